import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import { ConfigError } from "../errors/config-error";
import { BucketCheckFailed, BucketVersioned, StoreRefusedError, StoreUnavailableError } from "../errors/store-errors";
import { assertValidKey, assertValidPrefix, compareKeys, pageLimit } from "./keys";
import type { CallOptions, ListPage, ObjectStore, ObjectStoreSettings } from "./port";

/** The COS part of `ObjectStoreSettings`. */
export type CosStoreConfig = Extract<ObjectStoreSettings, { kind: "cos" }>;

export interface CosObjectStoreOptions {
  /** Longest one HTTP attempt may take before it is aborted and (time allowing) retried, in ms. Default 3 000. */
  attemptTimeoutMs?: number;
  /** The deadline of a call that brings none, in ms from its start. Default 10 000. */
  operationTimeoutMs?: number;
  /** Most attempts of one call, the first included. Default 6. */
  maxAttempts?: number;
  /** First pause before a retry after a 5xx or a lost answer, in ms (doubled each time, full jitter). Default 25. */
  retryBaseMs?: number;
  /** First pause after 503 SlowDown, in ms: COS asks for a lower rate, so back off more. Default 200. */
  slowDownBaseMs?: number;
  /** Longest pause between attempts, in ms. Default 2 000. */
  retryCapMs?: number;
  /** Objects per listing page (COS allows up to 1 000). Default 1 000. */
  pageSize?: number;
  /** How long a failed versioning check (e.g. AccessDenied) is remembered before it is asked again, in ms. Default 60 000. */
  recheckAfterMs?: number;
  /** For tests: the jitter source (default `Math.random`). */
  random?: () => number;
}

type CosClient = InstanceType<typeof COS>;

interface EndpointOptions {
  Protocol?: "http:" | "https:";
  Domain?: string;
}

/** What the SDK puts on a failed call (see its `CosSdkError`); only non-secret parts are read. */
interface SdkFailure {
  statusCode?: number;
  code?: string;
  headers?: Record<string, string | undefined>;
}

/** One request as this adapter sends it through the SDK's generic `request`. */
interface CosRequest {
  method: "GET" | "PUT" | "HEAD" | "DELETE";
  /** Full key (prefix included); "" for bucket operations. */
  key: string;
  query?: Record<string, string>;
  /** A bucket sub-resource such as `versioning`. */
  action?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Answer the body as raw bytes (objects) instead of parsed XML (bucket listings). */
  raw?: boolean;
}

interface CosAnswer {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  Body?: Buffer;
  [parsed: string]: unknown;
}

/** The metadata header that names the writer of a create-exclusive object (see `createExclusive`). */
const WRITER_HEADER = "x-cos-meta-writer";

/**
 * The production `ObjectStore` on Tencent COS, with the official `cos-nodejs-sdk-v5`.
 *
 * Every request goes through the SDK's generic `request` with a stream body (empty for reads).
 * The SDK retries a failed request up to three more times at once, without a pause (sdk/base.js,
 * `submitRequest`), except when the body is a stream; so this adapter owns every retry:
 * exponential backoff with full jitter after a 5xx or an unanswered attempt, a longer one after
 * 503 `SlowDown`, and never past the caller's deadline. Each attempt is aborted (its body stream
 * destroyed, which makes the SDK abort the HTTP request) when its own time or the deadline runs
 * out, so nothing keeps running after the caller has answered.
 *
 * - `createExclusive`: PutObject with `x-cos-forbid-overwrite: true`; COS answers 409
 *   FileAlreadyExists when the key exists. Each call writes a random nonce as `x-cos-meta-writer`:
 *   a 409 after an attempt that got no clear answer is then checked with a HEAD, and the write is
 *   ours only if the stored nonce is (bodies are never compared: two writers can send equal bytes).
 * - Before the first write of a container, GET Bucket versioning: a bucket whose versioning was ever
 *   enabled ignores x-cos-forbid-overwrite, so every call is refused with `BucketVersioned`
 *   (cached: versioning can never be turned off again). A PUT answered with `x-cos-version-id` means
 *   versioning was enabled since: refused from then on.
 * - `get`, `list`, `listPage`, `put`, `delete`: GetObject (404 → undefined), GET Bucket following
 *   `IsTruncated`/`NextMarker`, PutObject, DeleteObject.
 *
 * The SDK is loaded and the client built on first use, not at import: this module sits on the cold
 * start path of every function. Failures become `StoreUnavailableError` carrying the operation,
 * COS error code, HTTP status and COS request id, never credentials.
 */
export function createCosObjectStore(config: CosStoreConfig, options: CosObjectStoreOptions = {}): ObjectStore {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 3_000;
  const operationTimeoutMs = options.operationTimeoutMs ?? 10_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const retryBaseMs = options.retryBaseMs ?? 25;
  const slowDownBaseMs = options.slowDownBaseMs ?? 200;
  const retryCapMs = options.retryCapMs ?? 2_000;
  const pageSize = Math.min(1_000, Math.max(1, options.pageSize ?? 1_000));
  const recheckAfterMs = options.recheckAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  const location = { Bucket: config.bucket, Region: config.region };
  const fullKey = (key: string) => config.prefix + key;
  // Checked now, so a bad endpoint fails at start rather than at the first callback.
  const endpoint = endpointOptions(config.endpoint);

  let client: Promise<CosClient> | undefined;
  const getClient = (): Promise<CosClient> => {
    client ??= buildClient(config, endpoint).catch((error: unknown) => {
      client = undefined;
      throw new StoreUnavailableError("COS client could not be loaded", { cause: summarize(error) });
    });
    return client;
  };

  const deadlineOf = (callOptions: CallOptions | undefined) => callOptions?.deadline ?? Date.now() + operationTimeoutMs;

  /** One attempt, aborted after `budgetMs`. Resolves with the answer or rejects with the SDK's error. */
  const attempt = async (request: CosRequest, budgetMs: number): Promise<CosAnswer> => {
    const cos = await getClient();
    return new Promise<CosAnswer>((resolve, reject) => {
      const body = oneShotStream(request.body);
      const timer = setTimeout(
        () => body.destroy(Object.assign(new Error("attempt aborted at its time limit"), { code: "ETIMEDOUT" })),
        budgetMs,
      );
      cos.request(
        {
          ...location,
          Method: request.method,
          Key: request.key,
          ...(request.query ? { Query: request.query } : {}),
          ...(request.action ? { Action: request.action } : {}),
          Headers: { "Content-Length": String(request.body?.length ?? 0), ...request.headers },
          Body: body,
          ...(request.raw ? { RawBody: true } : {}),
        } as unknown as COS.RequestParams,
        (error: unknown, data: unknown) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(data as CosAnswer);
        },
      );
    });
  };

  /**
   * Sends `request` until it gets an answer that is not worth retrying, within `deadline`.
   * `onUnclear` is told when an attempt ended without a clear answer (its effect unknown).
   */
  const send = async (operation: string, request: CosRequest, deadline: number, onUnclear?: () => void): Promise<CosAnswer> => {
    for (let attemptNo = 1; ; attemptNo++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new StoreUnavailableError(`COS ${operation} ran out of time`);
      try {
        return await attempt(request, Math.min(attemptTimeoutMs, left));
      } catch (error) {
        const failure = failureOf(error);
        if (!isRetryable(failure)) throw error;
        onUnclear?.();
        const base = failure.code === "SlowDown" ? slowDownBaseMs : retryBaseMs;
        const pause = random() * Math.min(retryCapMs, base * 2 ** (attemptNo - 1));
        // Another attempt needs time to be answered too; stop rather than start one that cannot finish.
        if (attemptNo >= maxAttempts || Date.now() + pause + MIN_ATTEMPT_MS >= deadline) throw error;
        await sleep(pause);
      }
    }
  };

  // ---- the versioning check, once per container -------------------------------------------
  let verdict: { at: number; result: Promise<void> } | undefined;
  const check = (deadline: number): Promise<void> => {
    if (verdict === undefined || (verdict.at > 0 && Date.now() - verdict.at > recheckAfterMs)) {
      const result = readVersioning(deadline);
      const entry = { at: 0, result };
      verdict = entry;
      result.catch((error: unknown) => {
        // A refusal is remembered (a versioned bucket forever, a failed check for a while); an
        // outage is not: the next call asks again.
        if (error instanceof BucketVersioned) return;
        if (error instanceof StoreRefusedError) entry.at = Date.now();
        else if (verdict === entry) verdict = undefined;
      });
    }
    return verdict.result;
  };
  const refuse = (error: StoreRefusedError) => {
    verdict = { at: 0, result: Promise.reject(error) };
    verdict.result.catch(() => undefined);
  };

  const readVersioning = async (deadline: number): Promise<void> => {
    let answer: CosAnswer;
    try {
      answer = await send("versioning check", { method: "GET", key: "", action: "versioning" }, deadline);
    } catch (error) {
      const failure = failureOf(error);
      // The role may write objects but not read the bucket's versioning: refused (loudly), not guessed.
      // Wrong keys (SignatureDoesNotMatch, InvalidAccessKeyId) fail every call anyway: reported as such.
      if (failure.statusCode === 403 && failure.code === "AccessDenied") throw new BucketCheckFailed(`AccessDenied, HTTP 403`);
      throw unavailable("versioning check", error);
    }
    const status = (answer.VersioningConfiguration as { Status?: unknown } | undefined)?.Status;
    if (typeof status === "string" && status !== "") throw new BucketVersioned(status);
  };

  /** Writes wait for the check; reads run beside it and fail with it. */
  const guarded = async <T>(
    operation: string,
    callOptions: CallOptions | undefined,
    write: boolean,
    run: (deadline: number) => Promise<T>,
  ) => {
    const deadline = deadlineOf(callOptions);
    try {
      if (write) {
        await check(deadline);
        return await run(deadline);
      }
      const [, result] = await Promise.all([check(deadline), run(deadline)]);
      return result;
    } catch (error) {
      if (error instanceof StoreRefusedError || error instanceof StoreUnavailableError) throw error;
      throw unavailable(operation, error);
    }
  };

  const noteVersionId = (answer: CosAnswer) => {
    if (answer.headers?.["x-cos-version-id"]) {
      const error = new BucketVersioned("Enabled");
      refuse(error);
      throw error;
    }
  };

  const bodyOf = (body: string | Uint8Array) => (typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body));

  /** The object's bytes (raw: the SDK hands the body over untouched), or undefined on 404. */
  const getBody = async (key: string, callOptions?: CallOptions): Promise<Buffer | undefined> => {
    assertValidKey(key);
    return guarded("get", callOptions, false, async (deadline) => {
      try {
        const answer = await send("get", { method: "GET", key: fullKey(key), raw: true }, deadline);
        return Buffer.isBuffer(answer.Body) ? answer.Body : Buffer.alloc(0);
      } catch (error) {
        if (failureOf(error).statusCode === 404) return undefined;
        throw error;
      }
    });
  };
  const get = async (key: string, callOptions?: CallOptions) => (await getBody(key, callOptions))?.toString("utf8");
  const getBytes = async (key: string, callOptions?: CallOptions) => {
    const body = await getBody(key, callOptions);
    return body === undefined ? undefined : new Uint8Array(body);
  };

  /** One GET Bucket page: keys relative to the prefix, and the marker of the next page (if any). */
  const listOnce = async (prefix: string, marker: string | undefined, limit: number, deadline: number) => {
    const query: Record<string, string> = { prefix: fullKey(prefix), "max-keys": String(limit) };
    if (marker !== undefined) query.marker = marker;
    const answer = await send("list", { method: "GET", key: "", query }, deadline);
    const result = (answer.ListBucketResult ?? {}) as { Contents?: unknown; IsTruncated?: unknown; NextMarker?: unknown };
    const contents = Array.isArray(result.Contents) ? result.Contents : result.Contents === undefined ? [] : [result.Contents];
    const pageKeys = contents.map((item) => (item as { Key?: unknown })?.Key).filter((k): k is string => typeof k === "string");
    const truncated = String(result.IsTruncated) === "true";
    const nextMarker = typeof result.NextMarker === "string" && result.NextMarker !== "" ? result.NextMarker : undefined;
    const next = truncated ? (nextMarker ?? pageKeys[pageKeys.length - 1]) : undefined;
    // A truncated page that does not move the marker forward would loop for ever.
    if (truncated && (next === undefined || (marker !== undefined && compareKeys(next, marker) <= 0))) {
      throw new StoreUnavailableError("COS list failed: a truncated page gave no usable NextMarker");
    }
    return { keys: pageKeys.filter((k) => k.startsWith(config.prefix)).map((k) => k.slice(config.prefix.length)), next };
  };

  return {
    async createExclusive(key, body, callOptions) {
      assertValidKey(key);
      return guarded("createExclusive", callOptions, true, async (deadline) => {
        const writer = randomBytes(12).toString("hex");
        const bytes = bodyOf(body);
        let unclear = false;
        try {
          const answer = await send(
            "createExclusive",
            {
              method: "PUT",
              key: fullKey(key),
              body: bytes,
              headers: {
                "Content-Type": callOptions?.contentType ?? JSON_TYPE,
                "x-cos-forbid-overwrite": "true",
                [WRITER_HEADER]: writer,
              },
            },
            deadline,
            () => (unclear = true),
          );
          noteVersionId(answer);
          return true;
        } catch (error) {
          const failure = failureOf(error);
          if (failure.statusCode !== 409 || failure.code !== "FileAlreadyExists") throw error;
          if (!unclear) return false;
          // An earlier attempt may have written it and lost the answer: whose nonce is stored?
          const head = await send("createExclusive check", { method: "HEAD", key: fullKey(key) }, deadline);
          return head.headers?.[WRITER_HEADER] === writer;
        }
      });
    },

    async put(key, body, callOptions) {
      assertValidKey(key);
      return guarded("put", callOptions, true, async (deadline) => {
        const request: CosRequest = {
          method: "PUT",
          key: fullKey(key),
          body: bodyOf(body),
          headers: { "Content-Type": callOptions?.contentType ?? JSON_TYPE },
        };
        noteVersionId(await send("put", request, deadline));
      });
    },

    get,
    getBytes,

    async list(prefix, callOptions) {
      assertValidPrefix(prefix);
      return guarded("list", callOptions, false, async (deadline) => {
        const keys: string[] = [];
        let marker: string | undefined;
        do {
          const page = await listOnce(prefix, marker, pageSize, deadline);
          keys.push(...page.keys);
          marker = page.next;
        } while (marker !== undefined);
        return keys.sort(compareKeys);
      });
    },

    async listPage(prefix, pageOptions = {}): Promise<ListPage> {
      assertValidPrefix(prefix);
      const limit = pageLimit(pageOptions.limit);
      return guarded("list", pageOptions, false, async (deadline) => {
        const startAfter = pageOptions.startAfter === undefined ? undefined : fullKey(pageOptions.startAfter);
        const page = await listOnce(prefix, startAfter, limit, deadline);
        return { keys: page.keys.sort(compareKeys), truncated: page.next !== undefined };
      });
    },

    async delete(key, callOptions) {
      assertValidKey(key);
      return guarded("delete", callOptions, true, async (deadline) => {
        await send("delete", { method: "DELETE", key: fullKey(key) }, deadline);
      });
    },

    async check(callOptions) {
      return guarded("versioning check", callOptions, true, async () => undefined);
    },
  };
}

const JSON_TYPE = "application/json; charset=utf-8";

/** Below this, a retry could not be answered before the deadline anyway. */
const MIN_ATTEMPT_MS = 20;

/** Loads the SDK (kept out of module load) and builds one client for this container. */
async function buildClient(config: CosStoreConfig, endpoint: EndpointOptions): Promise<CosClient> {
  const sdk = await import("cos-nodejs-sdk-v5");
  const Cos = (sdk as unknown as { default?: typeof COS }).default ?? (sdk as unknown as typeof COS);
  return new Cos({
    SecretId: config.credentials.secretId,
    SecretKey: config.credentials.secretKey,
    ...(config.credentials.token !== undefined ? { SecurityToken: config.credentials.token } : {}),
    KeepAlive: true,
    ...endpoint,
  });
}

/**
 * The body of one attempt: the bytes (or nothing), as a stream the SDK pipes into the request.
 * A stream body is what keeps the SDK from retrying on its own, and destroying it aborts the
 * request (the SDK listens for the stream's `error`). Not auto-destroyed at its end, so that a
 * late abort still reaches the SDK.
 */
function oneShotStream(bytes: Buffer | undefined): Readable {
  let sent = false;
  return new Readable({
    autoDestroy: false,
    read() {
      if (!sent && bytes !== undefined && bytes.length > 0) this.push(bytes);
      sent = true;
      this.push(null);
    },
  });
}

/**
 * A custom endpoint (`http://127.0.0.1:9100`, or a private domain that may use the SDK's
 * `{Bucket}`/`{Region}` placeholders) becomes the SDK's `Protocol` and `Domain`. The SDK refuses
 * `ForcePathStyle`, so the bucket is not in the path: such an endpoint serves one bucket.
 */
function endpointOptions(endpoint: string | undefined): EndpointOptions {
  if (endpoint === undefined) return {};
  const match = /^(https?):\/\/([^/]+)\/?$/.exec(endpoint.trim());
  if (!match) throw new ConfigError(["COS_ENDPOINT must look like http(s)://host[:port]"]);
  return { Protocol: match[1] === "http" ? "http:" : "https:", Domain: match[2]! };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function failureOf(error: unknown): SdkFailure {
  if (typeof error !== "object" || error === null) return {};
  const e = error as { statusCode?: unknown; code?: unknown; headers?: unknown };
  const failure: SdkFailure = {};
  if (typeof e.statusCode === "number") failure.statusCode = e.statusCode;
  if (typeof e.code === "string") failure.code = e.code;
  if (typeof e.headers === "object" && e.headers !== null) failure.headers = e.headers as Record<string, string>;
  return failure;
}

/** 5xx (SlowDown included) and transport failures or aborted attempts (no HTTP status) may succeed later; 4xx will not. */
function isRetryable(failure: SdkFailure): boolean {
  return failure.statusCode === undefined || failure.statusCode >= 500;
}

/** The parts of a failure that are safe to keep: never the request, its headers or credentials. */
function summarize(error: unknown): { statusCode?: number; code?: string; requestId?: string } {
  const failure = failureOf(error);
  const requestId = failure.headers?.["x-cos-request-id"];
  const summary: { statusCode?: number; code?: string; requestId?: string } = {};
  if (failure.statusCode !== undefined) summary.statusCode = failure.statusCode;
  if (failure.code !== undefined) summary.code = failure.code;
  if (typeof requestId === "string") summary.requestId = requestId;
  return summary;
}

function unavailable(operation: string, error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const { statusCode, code, requestId } = summarize(error);
  const parts = [
    code ?? "error",
    statusCode !== undefined ? `HTTP ${statusCode}` : undefined,
    requestId ? `request ${requestId}` : undefined,
  ];
  return new StoreUnavailableError(`COS ${operation} failed: ${parts.filter(Boolean).join(", ")}`, { cause: summarize(error) });
}
