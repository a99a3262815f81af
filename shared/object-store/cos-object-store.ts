import { Readable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import { ConfigError, type StoreConfig } from "../config/config";
import { StoreUnavailableError } from "../errors/store-errors";
import { assertValidKey, assertValidPrefix, compareKeys, pageLimit } from "./keys";
import type { ObjectStore } from "./port";

/** The COS part of `StoreConfig`. */
export type CosStoreConfig = Extract<StoreConfig, { kind: "cos" }>;

export interface CosObjectStoreOptions {
  /** Socket timeout of one HTTP attempt, in ms. Default 3 000. */
  attemptTimeoutMs?: number;
  /** Upper bound of one operation, retries included, in ms. Default 10 000. */
  operationTimeoutMs?: number;
  /** Attempts of a create-exclusive write (this adapter retries it itself). Default 3. */
  createAttempts?: number;
  /** Objects per listing page (COS allows up to 1 000). Default 1 000. */
  pageSize?: number;
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

/**
 * The production `ObjectStore` on Tencent COS, with the official `cos-nodejs-sdk-v5`.
 *
 * - `createExclusive`: PutObject with `x-cos-forbid-overwrite: true`; COS answers 409
 *   FileAlreadyExists when the key exists. The SDK retries failed requests on its own, and a retry
 *   of a write whose first answer was lost would meet that 409 and report our own write as someone
 *   else's. So this one call sends a stream body (the SDK never retries those) and retries here,
 *   where a 409 after an unanswered attempt can be checked against the stored body.
 * - `put`, `get`, `list`, `delete`: PutObject, GetObject (404 NoSuchKey → undefined), GetBucket
 *   following `IsTruncated`/`NextMarker`, DeleteObject; idempotent, so the SDK's retries are fine.
 *
 * The SDK is loaded and the client built on first use, not at import: this module sits on the cold
 * start path of every function. Failures become `StoreUnavailableError` carrying the operation,
 * COS error code, HTTP status and COS request id, never credentials.
 */
export function createCosObjectStore(config: CosStoreConfig, options: CosObjectStoreOptions = {}): ObjectStore {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 3_000;
  const operationTimeoutMs = options.operationTimeoutMs ?? 10_000;
  const createAttempts = Math.max(1, options.createAttempts ?? 3);
  const pageSize = Math.min(1_000, Math.max(1, options.pageSize ?? 1_000));
  const location = { Bucket: config.bucket, Region: config.region };
  const fullKey = (key: string) => config.prefix + key;
  // Checked now, so a bad endpoint fails at start rather than at the first callback.
  const endpoint = endpointOptions(config.endpoint);

  let client: Promise<CosClient> | undefined;
  const getClient = (): Promise<CosClient> => {
    client ??= buildClient(config, endpoint, attemptTimeoutMs).catch((error: unknown) => {
      client = undefined;
      throw new StoreUnavailableError("COS client could not be loaded", { cause: summarize(error) });
    });
    return client;
  };

  /** Runs one SDK call on the (lazily built) client. */
  const call = async <T>(run: (cos: CosClient) => Promise<T>): Promise<T> => run(await getClient());
  const bounded = <T>(operation: string, work: Promise<T>): Promise<T> => withDeadline(operation, operationTimeoutMs, work);

  const putOnce = (cos: CosClient, key: string, body: string | Uint8Array) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
    return promisify<COS.PutObjectResult>((done) =>
      cos.putObject(
        {
          ...location,
          Key: fullKey(key),
          Body: Readable.from([bytes]),
          ContentLength: bytes.length,
          ContentType: "application/json; charset=utf-8",
          Headers: { "x-cos-forbid-overwrite": "true" },
        },
        done,
      ),
    );
  };

  const get = async (key: string): Promise<string | undefined> => {
    assertValidKey(key);
    try {
      const result = await bounded(
        "get",
        call((cos) => promisify<COS.GetObjectResult>((done) => cos.getObject({ ...location, Key: fullKey(key) }, done))),
      );
      return Buffer.isBuffer(result.Body) ? result.Body.toString("utf8") : String(result.Body ?? "");
    } catch (error) {
      if (failureOf(error).statusCode === 404 && failureOf(error).code === "NoSuchKey") return undefined;
      throw unavailable("get", error);
    }
  };

  const createWithRetries = async (key: string, body: string | Uint8Array): Promise<boolean> => {
    let unanswered = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await call((cos) => putOnce(cos, key, body));
        return true;
      } catch (error) {
        const failure = failureOf(error);
        if (failure.statusCode === 409 && failure.code === "FileAlreadyExists") {
          // After an attempt that got no good answer, the existing object may be our own write.
          return unanswered ? (await get(key)) === (typeof body === "string" ? body : Buffer.from(body).toString("utf8")) : false;
        }
        if (attempt >= createAttempts || !isRetryable(failure)) throw unavailable("createExclusive", error);
        unanswered = true;
        // COS asks for slower retries when it answers 503 SlowDown; a short pause is enough here.
        await pause(RETRY_PAUSE_MS * attempt);
      }
    }
  };

  /** One GET Bucket page: keys relative to the prefix, and the marker of the next page (if any). */
  const listOnce = async (prefix: string, marker: string | undefined, limit: number) => {
    const page = await call((cos) =>
      promisify<COS.GetBucketResult>((done) =>
        cos.getBucket({ ...location, Prefix: fullKey(prefix), MaxKeys: limit, ...(marker !== undefined ? { Marker: marker } : {}) }, done),
      ),
    );
    const pageKeys = (page.Contents ?? []).map((item) => item?.Key).filter((k): k is string => typeof k === "string");
    const truncated = String(page.IsTruncated) === "true";
    const next = truncated ? page.NextMarker || pageKeys[pageKeys.length - 1] : undefined;
    // A truncated page that does not move the marker forward would loop for ever.
    if (truncated && (next === undefined || (marker !== undefined && next <= marker))) {
      throw new StoreUnavailableError("COS list failed: a truncated page gave no usable NextMarker");
    }
    return { keys: pageKeys.map((k) => k.slice(config.prefix.length)), next };
  };

  const listAll = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let marker: string | undefined;
    do {
      const page = await listOnce(prefix, marker, pageSize);
      keys.push(...page.keys);
      marker = page.next;
    } while (marker !== undefined);
    return keys.sort(compareKeys);
  };

  return {
    async createExclusive(key, body) {
      assertValidKey(key);
      return bounded("createExclusive", createWithRetries(key, body));
    },

    async put(key, body) {
      assertValidKey(key);
      const payload = typeof body === "string" ? body : Buffer.from(body);
      try {
        await bounded(
          "put",
          call((cos) =>
            promisify<COS.PutObjectResult>((done) =>
              cos.putObject(
                { ...location, Key: fullKey(key), Body: payload, ContentType: "application/json; charset=utf-8" },
                done,
              ),
            ),
          ),
        );
      } catch (error) {
        throw unavailable("put", error);
      }
    },

    get,

    async list(prefix) {
      assertValidPrefix(prefix);
      try {
        return await bounded("list", listAll(prefix));
      } catch (error) {
        throw unavailable("list", error);
      }
    },

    async listPage(prefix, pageOptions = {}) {
      assertValidPrefix(prefix);
      const limit = pageLimit(pageOptions.limit);
      try {
        const page = await bounded(
          "list",
          listOnce(prefix, pageOptions.startAfter === undefined ? undefined : fullKey(pageOptions.startAfter), limit),
        );
        return { keys: page.keys.sort(compareKeys), truncated: page.next !== undefined };
      } catch (error) {
        throw unavailable("list", error);
      }
    },

    async check() {},

    async delete(key) {
      assertValidKey(key);
      try {
        await bounded(
          "delete",
          call((cos) =>
            promisify<COS.DeleteObjectResult>((done) => cos.deleteObject({ ...location, Key: fullKey(key) }, done)),
          ),
        );
      } catch (error) {
        throw unavailable("delete", error);
      }
    },
  };
}

/** Loads the SDK (kept out of module load) and builds one client for this container. */
async function buildClient(
  config: CosStoreConfig,
  endpoint: EndpointOptions,
  attemptTimeoutMs: number,
): Promise<CosClient> {
  const sdk = await import("cos-nodejs-sdk-v5");
  const Cos = (sdk as unknown as { default?: typeof COS }).default ?? (sdk as unknown as typeof COS);
  return new Cos({
    SecretId: config.credentials.secretId,
    SecretKey: config.credentials.secretKey,
    ...(config.credentials.token !== undefined ? { SecurityToken: config.credentials.token } : {}),
    Timeout: attemptTimeoutMs,
    KeepAlive: true,
    ...endpoint,
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

/** Pause before the n-th retry of a create-exclusive write is n times this. */
const RETRY_PAUSE_MS = 50;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function promisify<T>(start: (done: (error: unknown, data: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, data) => (error ? reject(error) : resolve(data)));
  });
}

async function withDeadline<T>(operation: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`COS ${operation} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failureOf(error: unknown): SdkFailure {
  if (typeof error !== "object" || error === null) return {};
  const e = error as { statusCode?: unknown; code?: unknown; headers?: unknown };
  return {
    ...(typeof e.statusCode === "number" ? { statusCode: e.statusCode } : {}),
    ...(typeof e.code === "string" ? { code: e.code } : {}),
    ...(typeof e.headers === "object" && e.headers !== null ? { headers: e.headers as Record<string, string> } : {}),
  };
}

/** 5xx and transport failures (no HTTP status) may succeed on a retry; 4xx will not. */
function isRetryable(failure: SdkFailure): boolean {
  return failure.statusCode === undefined || failure.statusCode >= 500;
}

/** The parts of a failure that are safe to keep: never the request, its headers or credentials. */
function summarize(error: unknown): { statusCode?: number; code?: string; requestId?: string } {
  const failure = failureOf(error);
  const requestId = failure.headers?.["x-cos-request-id"];
  return {
    ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
    ...(failure.code !== undefined ? { code: failure.code } : {}),
    ...(typeof requestId === "string" ? { requestId } : {}),
  };
}

function unavailable(operation: string, error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const { statusCode, code, requestId } = summarize(error);
  const parts = [code ?? "error", statusCode !== undefined ? `HTTP ${statusCode}` : undefined, requestId ? `request ${requestId}` : undefined];
  return new StoreUnavailableError(`COS ${operation} failed: ${parts.filter(Boolean).join(", ")}`, {
    cause: summarize(error),
  });
}
