import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ObjectStoreSettings } from "../../../shared/object-store/port";
import { compareKeys } from "../../../shared/object-store/keys";
import { verifyRequest, type CosCredentials } from "./verify";
import { errorXml, lifecycleXml, listBucketXml, versioningXml, type LifecycleRule } from "./xml";

/**
 * An in-memory COS bucket on 127.0.0.1 for tests: PutObject (with `x-cos-forbid-overwrite`),
 * GetObject, HeadObject, DeleteObject, GetBucket and GET/PUT Bucket versioning, answering like COS
 * (XML bodies, error codes), verifying every request's signature, recording every request, and
 * failing on demand. It also behaves the way COS documents and a kind fake would not:
 * - **listings lag** (`listing.lagMs`, GET Bucket 436/7734: "due to the eventual consistency of
 *   this API, the results may not include the object you just uploaded"): a new key shows in
 *   listings only `lagMs` after it was written, and a deleted key keeps showing for as long;
 *   single-key reads are never affected. `listing.catchUp()` ends the lag for what exists now;
 * - **versioning** (PUT Bucket versioning 436/19889): once `Enabled` it can only be `Suspended`,
 *   never turned off, and on such a bucket `x-cos-forbid-overwrite` is ignored, so a second
 *   create-exclusive write of a key succeeds and replaces the first (Enabled answers with
 *   `x-cos-version-id`, Suspended writes the `null` version);
 * - **SlowDown**: fault mode `slowdown` answers 503 `SlowDown`, as COS does to a client that sends
 *   too fast; `unavailable` answers 503 `ServiceUnavailable`;
 * - **round trips** (`latencyMs`): every answer waits that long, so a loopback bench counts the
 *   sequential requests a store makes in the time they would cost on a network.
 * `x-cos-meta-*` headers are kept with the object and returned by GET and HEAD, as COS does.
 *
 * The bucket is not in the URL: the SDK only builds virtual-host URLs, and a custom endpoint
 * (`Domain`) without `{Bucket}` serves one bucket, so this server is one bucket.
 */

export type CosOperation =
  | "PutObject"
  | "GetObject"
  | "HeadObject"
  | "DeleteObject"
  | "GetBucket"
  | "GetBucketVersioning"
  | "PutBucketVersioning"
  | "GetBucketLifecycle";

/** How an injected fault shows: a COS 503 (ServiceUnavailable or SlowDown) or 500, a dropped connection, or no answer at all. */
export type FaultMode = "unavailable" | "slowdown" | "internal" | "denied" | "drop" | "drop-after-apply" | "hang";

/** `write` = PutObject and DeleteObject; `read` = GetObject, HeadObject and GetBucket (bucket versioning only when named). */
export type FaultTarget = "write" | "read" | "any" | CosOperation | readonly CosOperation[];

export interface FaultRule {
  /** Which requests fail; default `any`. */
  on?: FaultTarget;
  /** Default `unavailable` (503 ServiceUnavailable). */
  mode?: FaultMode;
  /** How many matching requests fail; default 1. `Infinity` until `clear()`. */
  count?: number;
  /** Only requests on these keys (the listing prefix for GetBucket); full COS keys. */
  key?: RegExp | ((key: string) => boolean);
}

export interface RecordedRequest {
  method: string;
  operation: CosOperation | "Unknown";
  /** Object key (decoded), or the `prefix` of a GetBucket. */
  key: string;
  query: Record<string, string>;
  /** Lower-cased names. Holds the Authorization header (SecretId and signature, not the key). */
  headers: Record<string, string>;
  status?: number;
  errorCode?: string;
  fault?: FaultMode;
  /** True when the client closed the connection before this request was answered (an aborted request). */
  abandoned?: boolean;
  /** When the server took the request (after its round-trip delay), epoch ms of its clock. */
  at: number;
}

export interface CosServerOptions {
  bucket?: string;
  region?: string;
  /** Default: a fresh random pair. Add `token` to demand `x-cos-security-token`. */
  credentials?: CosCredentials;
  /** Most keys one GetBucket page returns, whatever `max-keys` asks (default 1 000). */
  pageSize?: number;
  /** The server's clock in epoch ms (signature time windows, `Date`); default `Date.now`. */
  now?: () => number;
  /** How long a new (or deleted) key stays out of (in) listings, in ms; default 0. */
  listingLagMs?: number;
  /** Time every answer waits, in ms (one network round trip); default 0. */
  latencyMs?: number;
  /** Versioning the bucket starts with; default never enabled. */
  versioning?: VersioningStatus;
  /**
   * A COS-compatible store that does not implement `x-cos-forbid-overwrite` (some gateways and
   * private deployments): the header is ignored, whatever the versioning. Default false.
   */
  ignoreForbidOverwrite?: boolean;
}

export type VersioningStatus = "Enabled" | "Suspended";

/** Listing consistency controls (see the server's description). */
export interface CosListing {
  /** Current lag for keys written or deleted from now on, in ms. */
  lagMs: number;
  /** Listings show every key as it is now (the lag then continues for later writes). */
  catchUp(): void;
}

export interface StoredObject {
  body: Buffer;
  contentType?: string;
  etag: string;
  lastModified: Date;
  /** `x-cos-meta-*` headers it was written with (lower-case names). */
  meta?: Record<string, string>;
  /** Set on a bucket with versioning Enabled. */
  versionId?: string;
}

export interface CosFaults {
  /** Queues a fault; rules are consumed in the order they were added. */
  failNext(rule?: FaultRule): void;
  /** Drops every queued fault and the page size override. */
  clear(): void;
  /** Faults still queued (Infinity when one is unbounded). */
  pending(): number;
  /** Faults that have fired so far. */
  readonly fired: number;
  /** Overrides `options.pageSize` until cleared; small values force pagination. */
  pageSize: number | undefined;
}

export interface CosObjects {
  get(key: string): StoredObject | undefined;
  /** Body as UTF-8 text. */
  text(key: string): string | undefined;
  keys(): string[];
  put(key: string, body: string | Buffer, contentType?: string): void;
  delete(key: string): void;
  clear(): void;
}

export interface CosTestServer {
  /** `http://127.0.0.1:<port>`, for `ObjectStoreSettings.endpoint`. */
  endpoint: string;
  bucket: string;
  region: string;
  credentials: CosCredentials;
  /** A ready `ObjectStoreSettings` for this server (prefix default `test/`). */
  storeConfig(options?: { prefix?: string; credentials?: CosCredentials }): Extract<ObjectStoreSettings, { kind: "cos" }>;
  requests: RecordedRequest[];
  faults: CosFaults;
  objects: CosObjects;
  /** Replaces the server clock (epoch ms). */
  setNow(now: () => number): void;
  listing: CosListing;
  /** Time every answer waits, in ms; may be changed between requests. */
  latencyMs: number;
  /** The bucket's versioning as GET Bucket versioning would answer it (undefined: never enabled). */
  readonly versioning: VersioningStatus | undefined;
  /** Sets versioning as the console would; refuses to turn it off once it was enabled. */
  setVersioning(status: VersioningStatus): void;
  /** Requests answered so far per operation (faults included). */
  counts(): Record<string, number>;
  /** The bucket's lifecycle rules (GET Bucket lifecycle answers 404 NoSuchLifecycleConfiguration without any). */
  lifecycle: LifecycleRule[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Starts a server on 127.0.0.1 with a random port. */
export async function startCosServer(options: CosServerOptions = {}): Promise<CosTestServer> {
  const bucket = options.bucket ?? "ess-test-1250000000";
  const region = options.region ?? "ap-guangzhou";
  const credentials: CosCredentials = options.credentials ?? {
    secretId: `AKID${randomBytes(12).toString("hex")}`,
    secretKey: randomBytes(16).toString("hex"),
  };
  let now = options.now ?? Date.now;
  const store = new Map<string, StoredObject>();
  // Listing consistency: when each present key starts to show, and until when each deleted key still shows.
  const visibleFrom = new Map<string, number>();
  const tombstones = new Map<string, { until: number; object: StoredObject }>();
  let lagMs = options.listingLagMs ?? 0;
  let latencyMs = options.latencyMs ?? 0;
  let versioning: VersioningStatus | undefined = options.versioning;
  let versionCounter = 0;
  const lifecycle: LifecycleRule[] = [];
  const setVersioning = (status: VersioningStatus) => {
    versioning = status;
  };
  /** Writes `object` at `key` as COS would, keeping listing visibility as it was for an existing key. */
  const write = (key: string, object: StoredObject) => {
    if (!store.has(key)) visibleFrom.set(key, now() + lagMs);
    store.set(key, object);
  };
  const remove = (key: string) => {
    const object = store.get(key);
    if (object === undefined) return;
    store.delete(key);
    const shownFrom = visibleFrom.get(key) ?? 0;
    visibleFrom.delete(key);
    // A key nobody could list yet disappears from listings at once; a listed one lingers.
    if (lagMs > 0 && shownFrom <= now()) tombstones.set(key, { until: now() + lagMs, object });
  };
  /** What a listing shows at this moment: lagging keys hidden, lingering tombstones shown. */
  const listable = (): Map<string, StoredObject> => {
    const at = now();
    const shown = new Map<string, StoredObject>();
    for (const [key, object] of store) if ((visibleFrom.get(key) ?? 0) <= at) shown.set(key, object);
    for (const [key, stone] of tombstones) {
      if (stone.until <= at) tombstones.delete(key);
      else if (!shown.has(key)) shown.set(key, stone.object);
    }
    return shown;
  };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const faultState = createFaults();
  let requestCounter = 0;

  const objects: CosObjects = {
    get: (key) => store.get(key),
    text: (key) => store.get(key)?.body.toString("utf8"),
    keys: () => [...store.keys()].sort(compareKeys),
    put: (key, body, contentType) => write(key, storedObject(Buffer.from(body), contentType, new Date(now()))),
    delete: (key) => remove(key),
    clear: () => {
      store.clear();
      visibleFrom.clear();
      tombstones.clear();
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const requestId = `${Date.now().toString(36)}-${(++requestCounter).toString(36)}`;
    const url = splitUrl(req.url ?? "/");
    const headers = flattenHeaders(req);
    const method = (req.method ?? "GET").toUpperCase();
    const path = safeDecode(url.path);
    const operation = operationOf(method, path ?? "/", url.query ?? {});
    const key = operation === "GetBucket" ? (url.query?.prefix ?? "") : (path ?? "").slice(1);
    const record: RecordedRequest = { method, operation, key, query: url.query ?? {}, headers, at: Date.now() };
    requests.push(record);
    res.once("close", () => {
      if (!res.writableFinished) record.abandoned = true;
    });

    res.setHeader("x-cos-request-id", requestId);
    res.setHeader("Date", new Date(now()).toUTCString());
    // Set for drop-after-apply: the change is made, but the client never hears about it.
    let silent = false;
    const fail = (status: number, code: string, message: string) => {
      if (silent) return void req.socket.destroy();
      record.status = status;
      record.errorCode = code;
      const xml = errorXml({ code, message, resource: `${bucket}.cos.${region}.myqcloud.com${url.path}`, requestId });
      res.writeHead(status, { "Content-Type": "application/xml" });
      res.end(method === "HEAD" ? undefined : xml);
    };
    const ok = (status: number, extra: Record<string, string> = {}, payload?: Buffer | string) => {
      if (silent) return void req.socket.destroy();
      record.status = status;
      res.writeHead(status, extra);
      res.end(method === "HEAD" ? undefined : payload);
    };

    if (path === undefined || url.query === undefined) return fail(400, "InvalidURI", "Couldn't parse the specified URI.");
    if (body === undefined) return fail(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
    if (operation === "Unknown") return fail(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");

    const verdict = verifyRequest({ method, path, query: url.query, headers }, credentials, Math.floor(now() / 1000));
    if (!verdict.ok) return fail(verdict.status, verdict.code, verdict.message);

    const fault = faultState.take(operation, key);
    if (fault !== undefined) {
      record.fault = fault;
      if (fault === "unavailable") return fail(503, "ServiceUnavailable", "Service is unable to handle request.");
      if (fault === "slowdown") return fail(503, "SlowDown", "Please reduce your request rate.");
      if (fault === "internal") return fail(500, "InternalError", "We encountered an internal error. Please try again.");
      if (fault === "denied") return fail(403, "AccessDenied", "Access Denied.");
      if (fault === "hang") return; // answered by nobody; stop() closes the socket
      if (fault === "drop") return void req.socket.destroy();
      silent = fault === "drop-after-apply";
    }

    const respond = (): void => {
      switch (operation) {
        case "PutObject":
          return putObject();
        case "GetObject":
        case "HeadObject":
          return getObject();
        case "DeleteObject":
          remove(key);
          return ok(204);
        case "GetBucket":
          return getBucket();
        case "GetBucketVersioning":
          return ok(200, { "Content-Type": "application/xml" }, versioningXml(versioning));
        case "PutBucketVersioning":
          return putBucketVersioning();
        case "GetBucketLifecycle":
          if (lifecycle.length === 0) return fail(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist.");
          return ok(200, { "Content-Type": "application/xml" }, lifecycleXml(lifecycle));
      }
    };

    const putBucketVersioning = () => {
      const status = /<Status>\s*([A-Za-z]*)\s*<\/Status>/.exec(body.toString("utf8"))?.[1];
      if (status !== "Enabled" && status !== "Suspended") {
        // There is no status that turns versioning off: once enabled it can only be suspended.
        return fail(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
      }
      versioning = status;
      return ok(200, { "Content-Length": "0" });
    };

    const putObject = () => {
      if (key === "") return fail(400, "InvalidArgument", "Object key is empty.");
      const md5 = headers["content-md5"];
      if (md5 !== undefined && md5 !== createHash("md5").update(body).digest("base64")) {
        return fail(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
      }
      // COS honours x-cos-forbid-overwrite only on a bucket that never had versioning.
      if (headers["x-cos-forbid-overwrite"] === "true" && versioning === undefined && !options.ignoreForbidOverwrite && store.has(key)) {
        return fail(409, "FileAlreadyExists", "The object already exists.");
      }
      const object = storedObject(body, headers["content-type"], new Date(now()), metaOf(headers));
      if (versioning === "Enabled") object.versionId = `v${(++versionCounter).toString(36)}-${randomBytes(4).toString("hex")}`;
      write(key, object);
      return ok(200, { ETag: object.etag, "Content-Length": "0", ...(object.versionId ? { "x-cos-version-id": object.versionId } : {}) });
    };

    const getObject = () => {
      const object = store.get(key);
      if (!object) return fail(404, "NoSuchKey", "The specified key does not exist.");
      return ok(
        200,
        {
          ETag: object.etag,
          "Content-Type": object.contentType ?? "application/octet-stream",
          "Content-Length": String(object.body.length),
          "Last-Modified": object.lastModified.toUTCString(),
          ...(object.meta ?? {}),
          ...(object.versionId ? { "x-cos-version-id": object.versionId } : {}),
        },
        object.body,
      );
    };

    const getBucket = () => {
      const query = url.query!;
      const maxKeys = query["max-keys"] === undefined ? 1000 : Number(query["max-keys"]);
      if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > 1000) {
        return fail(400, "InvalidArgument", "max-keys must be an integer from 0 to 1000.");
      }
      const pageSize = Math.min(maxKeys, faultState.pageSize ?? options.pageSize ?? 1000);
      const page = listPage(listable(), {
        prefix: query.prefix ?? "",
        marker: query.marker ?? "",
        delimiter: query.delimiter,
        limit: pageSize,
      });
      const xml = listBucketXml({
        bucket,
        prefix: query.prefix ?? "",
        marker: query.marker ?? "",
        maxKeys,
        ...(query.delimiter !== undefined ? { delimiter: query.delimiter } : {}),
        ...page,
      });
      return ok(200, { "Content-Type": "application/xml" }, xml);
    };

    respond();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    bucket,
    region,
    credentials,
    storeConfig: (config = {}) => ({
      kind: "cos",
      bucket,
      region,
      prefix: config.prefix ?? "test/",
      credentials: config.credentials ?? credentials,
      endpoint,
    }),
    requests,
    faults: faultState.api,
    objects,
    setNow: (next) => {
      now = next;
    },
    listing: {
      get lagMs() {
        return lagMs;
      },
      set lagMs(value) {
        lagMs = value;
      },
      catchUp() {
        const at = now();
        for (const key of visibleFrom.keys()) visibleFrom.set(key, Math.min(visibleFrom.get(key)!, at));
        tombstones.clear();
      },
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(value) {
      latencyMs = value;
    },
    get versioning() {
      return versioning;
    },
    setVersioning,
    lifecycle,
    counts() {
      const counts: Record<string, number> = {};
      for (const r of requests) counts[r.operation] = (counts[r.operation] ?? 0) + 1;
      return counts;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

// ---------------------------------------------------------------------------------------------

function createFaults() {
  const rules: Array<Required<Pick<FaultRule, "mode" | "count">> & FaultRule> = [];
  let fired = 0;
  let pageSize: number | undefined;

  const targets = (on: FaultTarget | undefined, operation: CosOperation): boolean => {
    if (on === undefined || on === "any") return true;
    if (on === "write") return operation === "PutObject" || operation === "DeleteObject";
    if (on === "read") return operation === "GetObject" || operation === "HeadObject" || operation === "GetBucket";
    return typeof on === "string" ? on === operation : on.includes(operation);
  };
  const keyMatches = (rule: FaultRule, key: string): boolean =>
    rule.key === undefined || (typeof rule.key === "function" ? rule.key(key) : rule.key.test(key));

  const api: CosFaults = {
    failNext(rule = {}) {
      rules.push({ ...rule, mode: rule.mode ?? "unavailable", count: rule.count ?? 1 });
    },
    clear() {
      rules.length = 0;
      pageSize = undefined;
    },
    pending: () => rules.reduce((sum, rule) => sum + rule.count, 0),
    get fired() {
      return fired;
    },
    get pageSize() {
      return pageSize;
    },
    set pageSize(value) {
      pageSize = value;
    },
  };

  return {
    api,
    get pageSize() {
      return pageSize;
    },
    take(operation: CosOperation, key: string): FaultMode | undefined {
      const index = rules.findIndex((rule) => targets(rule.on, operation) && keyMatches(rule, key));
      if (index < 0) return undefined;
      const rule = rules[index]!;
      rule.count -= 1;
      if (rule.count <= 0) rules.splice(index, 1);
      fired += 1;
      return rule.mode;
    },
  };
}

function operationOf(method: string, path: string, query: Record<string, string>): CosOperation | "Unknown" {
  if (path === "/" && "versioning" in query)
    return method === "GET" ? "GetBucketVersioning" : method === "PUT" ? "PutBucketVersioning" : "Unknown";
  if (path === "/" && "lifecycle" in query) return method === "GET" ? "GetBucketLifecycle" : "Unknown";
  if (path === "/") return method === "GET" ? "GetBucket" : "Unknown";
  switch (method) {
    case "PUT":
      return "PutObject";
    case "GET":
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return "DeleteObject";
    default:
      return "Unknown";
  }
}

function listPage(
  store: Map<string, StoredObject>,
  request: { prefix: string; marker: string; delimiter: string | undefined; limit: number },
) {
  const contents: Array<{ key: string; size: number; etag: string; lastModified: Date }> = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  const candidates = [...store.keys()]
    .filter((key) => key.startsWith(request.prefix) && (request.marker === "" || compareKeys(key, request.marker) > 0))
    .sort(compareKeys);
  for (const key of candidates) {
    const rest = key.slice(request.prefix.length);
    const cut = request.delimiter ? rest.indexOf(request.delimiter) : -1;
    const commonPrefix = cut >= 0 ? request.prefix + rest.slice(0, cut + request.delimiter!.length) : undefined;
    if (commonPrefix !== undefined && commonPrefixes.includes(commonPrefix)) continue;
    if (commonPrefix !== undefined && request.marker !== "" && compareKeys(commonPrefix, request.marker) <= 0) continue;
    if (contents.length + commonPrefixes.length >= request.limit) {
      isTruncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      last = commonPrefix;
    } else {
      const object = store.get(key)!;
      contents.push({ key, size: object.body.length, etag: object.etag, lastModified: object.lastModified });
      last = key;
    }
  }
  return { contents, commonPrefixes, isTruncated, ...(isTruncated && last !== undefined ? { nextMarker: last } : {}) };
}

function storedObject(body: Buffer, contentType: string | undefined, at: Date, meta?: Record<string, string>): StoredObject {
  return {
    body,
    ...(contentType !== undefined ? { contentType } : {}),
    etag: `"${createHash("md5").update(body).digest("hex")}"`,
    lastModified: at,
    ...(meta !== undefined && Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

/** The `x-cos-meta-*` headers of a request. */
function metaOf(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("x-cos-meta-")));
}

/** Path and decoded query of a request URL; `query` undefined when it cannot be decoded. */
function splitUrl(raw: string): { path: string; query: Record<string, string> | undefined } {
  const at = raw.indexOf("?");
  const path = at < 0 ? raw : raw.slice(0, at);
  const search = at < 0 ? "" : raw.slice(at + 1);
  const query: Record<string, string> = {};
  for (const pair of search.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = safeDecode(eq < 0 ? "" : pair.slice(eq + 1));
    if (name === undefined || value === undefined) return { path, query: undefined };
    query[name] = value;
  }
  return { path, query };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** The request body, or undefined when it is larger than COS would take in one PutObject here. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
