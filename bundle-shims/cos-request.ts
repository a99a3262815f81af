/**
 * Replacement, in the deployed bundles only, for `cos-request`, the fork of `request` that the COS
 * SDK sends every call through. `request` loads cookie jars (tough-cookie → psl), HTTP signatures
 * (sshpk, tweetnacl, jsbn…), OAuth, HAR, multipart (form-data, mime-db) and qs: about 550 KB of the
 * bundle for features the SDK never asks for. This speaks HTTP with the runtime's own
 * `node:http`/`node:https` and reproduces what `request` does with the options the SDK passes in
 * `_submitRequest` (sdk/base.js): `method`, `url`, `headers`, `qs`, `body`, `timeout`, `strictSSL`,
 * `forever`, `followRedirect: false`.
 *
 * What the SDK sees is `request`'s behaviour, step by step:
 * - the URL's own query (`?acl`) and `qs` are merged and re-encoded the way `request` does with qs
 *   (RFC 3986, so `?acl` goes out as `?acl=`): the same names and values the SDK signed with
 *   `camSafeUrlEncode` in `util.getAuth`, so the server finds the same `q-url-param-list`;
 * - a `host` header from the URL (default port dropped); `content-length` for a string or Buffer
 *   body, `content-length: 0` for a body-less non-GET; the request starts on the next turn of the
 *   event loop, or at the first write when a stream is piped in (`readStream.pipe(sender)`, with
 *   back-pressure: `write` returns the socket's answer and `drain` is passed on);
 * - `timeout`: while connecting, a wall-clock timer (`ETIMEDOUT`, `connect: true`); once connected,
 *   or on a reused keep-alive socket, an idle timer (`ESOCKETTIMEDOUT`, `connect: false`);
 * - `forever`: one keep-alive agent per protocol for the process; otherwise the global agents;
 * - events `request`, `socket`, `response` (the `IncomingMessage`), `data`, `end`, `close`,
 *   `complete`, `drain`, `abort`, `error`; `req` is the `ClientRequest` (the SDK reads
 *   `req.connection`); `abort`, `pipe` (out, for `Output` streams), `pause`, `resume`, `destroy`.
 *
 * What it refuses, with an `error` event instead of a silently different request: a `proxy` or
 * `tunnel` option (the SDK's `Proxy`/`Tunnel`), redirects (the SDK's `FollowRedirect`), any other
 * option, a URL with credentials, and a query that qs would nest (`a[b]`), repeat or filter. Proxy
 * variables in the environment (`HTTPS_PROXY`…) are ignored, as by the ESS SDK's fetch shim: SCF
 * functions reach COS directly. Cookies were already off (`request` keeps none without a `jar`).
 */
import http from "node:http";
import https from "node:https";
import { Stream } from "node:stream";
import { lookup as mimeLookup } from "./mime-types";

/** The options `_submitRequest` passes (after its `clearKey`, so no `undefined` values). */
interface CosRequestOptions {
  method?: string;
  url: string;
  headers?: Record<string, unknown>;
  qs?: Record<string, unknown>;
  body?: string | Buffer | Uint8Array;
  timeout?: number;
  strictSSL?: boolean;
  forever?: boolean;
  followRedirect?: boolean;
  [other: string]: unknown;
}

const SUPPORTED_OPTIONS = new Set(["method", "url", "headers", "qs", "body", "timeout", "strictSSL", "forever", "followRedirect"]);

interface Target {
  protocol: "http:" | "https:";
  hostname: string;
  port: number;
  /** Path and query, as written on the request line. */
  path: string;
  /** `request`'s `uri.host`, the `host` header unless one is given. */
  host: string;
}

/** A stream piped into the sender; file read streams have `path` and `mode` (as `request` checks). */
interface PipedSource {
  readable?: boolean;
  path?: unknown;
  mode?: unknown;
  headers?: Record<string, unknown>;
  method?: string;
  stat?: { size?: number };
}

class CosRequest extends Stream {
  readable = true;
  writable = true;
  /** The outgoing request, once started. */
  req: http.ClientRequest | undefined;
  response: http.IncomingMessage | undefined;
  method: string;
  headers: Record<string, unknown> = {};

  private target: Target | undefined;
  private readonly body: Buffer | string | undefined;
  private readonly timeout: number | undefined;
  private readonly rejectUnauthorized: boolean | undefined;
  private readonly strictSSL: boolean | undefined;
  private readonly forever: boolean;
  private readonly explicitMethod: boolean;
  private src: PipedSource | undefined;
  private started = false;
  private aborted = false;
  private ended = false;
  private paused = false;
  private ntick = false;
  private destData = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: CosRequestOptions) {
    super();
    this.method = options.method || "GET";
    this.body =
      typeof options.body === "string" || Buffer.isBuffer(options.body)
        ? options.body
        : options.body instanceof Uint8Array
          ? Buffer.from(options.body)
          : undefined;
    // `request` ignores a zero or non-numeric timeout, and fires a negative one at once.
    const timeout = options.timeout;
    this.timeout =
      typeof timeout === "number" && timeout !== 0 && !Number.isNaN(timeout)
        ? timeout < 0
          ? 0
          : Number.isFinite(timeout)
            ? timeout
            : undefined
        : undefined;
    this.explicitMethod = Boolean(options.method);
    this.strictSSL = options.strictSSL;
    this.rejectUnauthorized = options.strictSSL === false ? false : undefined;
    this.forever = options.forever === true;

    let problem: Error | undefined;
    try {
      for (const name of Object.keys(options)) {
        if (!SUPPORTED_OPTIONS.has(name)) throw new Error(`cos-request option "${name}" is not supported in this bundle`);
      }
      if (options.followRedirect !== false) throw new Error("following redirects is not supported in this bundle");
      for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) this.headers[name] = value;
      this.target = target(options.url, options.qs);
      if (!this.hasHeader("host")) this.setHeader("host", this.target.host);
      if (this.body && !this.hasHeader("content-length")) {
        const length = Buffer.byteLength(this.body);
        if (!length) throw new Error("Argument error, options.body.");
        this.setHeader("content-length", length);
      }
    } catch (error) {
      problem = error instanceof Error ? error : new Error(String(error));
    }

    this.on("pipe", (src: PipedSource) => {
      if (this.ntick && this.started)
        this.emit("error", new Error("You cannot pipe to this stream after the outbound request has started."));
      this.src = src;
      if (src.readable && src.path && src.mode) {
        if (!this.hasHeader("content-type")) this.setHeader("content-type", mimeLookup(src.path));
      } else {
        for (const [name, value] of Object.entries(src.headers ?? {})) if (!this.hasHeader(name)) this.setHeader(name, value);
        if (src.method && !this.explicitMethod) this.method = src.method;
      }
    });

    // Like `request`: start on the next turn, unless a piped stream has written first.
    setImmediate(() => {
      if (problem) {
        this.aborted = true;
        this.emit("error", problem);
        return;
      }
      if (this.aborted) return;
      if (this.body) {
        this.write(this.body);
        this.end();
      } else if (!this.src) {
        if (this.method !== "GET") this.setHeader("content-length", 0);
        this.end();
      }
      this.ntick = true;
    });
  }

  /** `request`'s headers are case-insensitive: the first spelling of a name is kept. */
  private headerName(name: string): string | undefined {
    const lower = name.toLowerCase();
    return Object.keys(this.headers).find((key) => key.toLowerCase() === lower);
  }
  hasHeader(name: string): boolean {
    return this.headerName(name) !== undefined;
  }
  setHeader(name: string, value: unknown): void {
    this.headers[this.headerName(name) ?? name] = value;
  }

  private start(): void {
    const target = this.target;
    if (this.aborted || !target) return;
    this.started = true;
    if (this.src?.stat?.size && !this.hasHeader("content-length")) this.setHeader("content-length", this.src.stat.size);

    const transport = target.protocol === "https:" ? https : http;
    let req: http.ClientRequest;
    try {
      req = transport.request({
        host: target.hostname,
        port: target.port,
        path: target.path,
        method: this.method,
        headers: this.headers as http.OutgoingHttpHeaders,
        agent: agentFor(target.protocol, this.forever, this.rejectUnauthorized),
        ...(this.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      });
    } catch (error) {
      this.emit("error", error);
      return;
    }
    this.req = req;
    const timeout = this.timeout;

    req.on("response", (response) => this.onResponse(response));
    req.on("error", (error) => {
      if (this.aborted) return;
      this.clearTimer();
      this.emit("error", error);
    });
    req.on("drain", () => this.emit("drain"));
    req.on("socket", (socket) => {
      const idleTimeout = () => {
        // Between bytes once connected: a server that stops mid-answer.
        req.setTimeout(timeout!, () => {
          if (!this.req) return;
          this.abort();
          this.emit("error", timeoutError("ESOCKETTIMEDOUT", false));
        });
      };
      if (timeout !== undefined) {
        if (socket.connecting) {
          const onConnect = () => {
            socket.removeListener("connect", onConnect);
            this.clearTimer();
            idleTimeout();
          };
          socket.on("connect", onConnect);
          req.on("error", () => socket.removeListener("connect", onConnect));
          // Wall clock until the socket connects (and, as in `request`, until the answer when it never does).
          this.timer = setTimeout(() => {
            socket.removeListener("connect", onConnect);
            this.abort();
            this.emit("error", timeoutError("ETIMEDOUT", true));
          }, timeout);
        } else {
          idleTimeout();
        }
      }
      this.emit("socket", socket);
    });
    this.emit("request", req);
  }

  private onResponse(response: http.IncomingMessage): void {
    if (this.aborted) {
      response.resume();
      return;
    }
    this.response = response;
    const socket = response.socket as (NodeJS.Socket & { authorized?: boolean; authorizationError?: Error }) | null;
    if (this.target?.protocol === "https:" && this.strictSSL && !socket?.authorized) {
      this.emit("error", new Error(`SSL Error: ${socket ? socket.authorizationError : `${this.target.host} does not support SSL`}`));
      return;
    }
    this.clearTimer();
    // `request` ends a response that closes without 'end' (Node reports the cut as an 'error' first).
    response.on("close", () => {
      if (!this.ended) response.emit("end");
    });
    response.once("end", () => {
      this.ended = true;
    });
    if (this.paused) response.pause();
    this.emit("response", response);
    response.on("data", (chunk: Buffer) => {
      this.destData = true;
      this.emit("data", chunk);
    });
    response.once("end", (chunk?: unknown) => this.emit("end", chunk));
    response.on("error", (error) => this.emit("error", error));
    response.on("close", () => this.emit("close"));
    this.on("end", () => {
      if (!this.aborted) this.emit("complete", response);
    });
  }

  write(chunk: unknown): boolean | undefined {
    if (this.aborted) return undefined;
    if (!this.started) this.start();
    return this.req ? this.req.write(chunk as Buffer) : undefined;
  }

  end(chunk?: unknown): void {
    if (this.aborted) return;
    if (chunk) this.write(chunk);
    if (!this.started) this.start();
    this.req?.end();
  }

  abort(): void {
    this.aborted = true;
    if (this.req) this.req.destroy();
    else this.response?.destroy();
    this.clearTimer();
    this.emit("abort");
  }

  destroy(): void {
    this.clearTimer();
    if (!this.ended) this.end();
    else this.response?.destroy();
  }

  pause(): void {
    if (this.response) this.response.pause();
    else this.paused = true;
  }

  resume(): void {
    if (this.response) this.response.resume();
    else this.paused = false;
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    if (this.response && this.destData) {
      this.emit("error", new Error("You cannot pipe after data has been emitted from the response."));
      return destination;
    }
    if (this.response && this.ended) {
      this.emit("error", new Error("You cannot pipe after the response has been ended."));
      return destination;
    }
    return super.pipe(destination, options);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function timeoutError(code: "ETIMEDOUT" | "ESOCKETTIMEDOUT", connect: boolean): Error {
  return Object.assign(new Error(code), { code, connect });
}

const agents = new Map<string, http.Agent>();

/** `request`'s pooling: the global agent unless an option is set, else one agent per protocol and options. */
function agentFor(protocol: Target["protocol"], keepAlive: boolean, rejectUnauthorized: boolean | undefined): http.Agent {
  const transport = protocol === "https:" ? https : http;
  if (!keepAlive && rejectUnauthorized === undefined) return transport.globalAgent;
  const key = `${protocol}${keepAlive ? "keep-alive" : ""}:${rejectUnauthorized ?? ""}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new transport.Agent({
      ...(keepAlive ? { keepAlive: true } : {}),
      ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Characters that Node's legacy `url.parse` (which `request` uses) escapes in a path. */
const AUTO_ESCAPE = /[{}|^`<>"' \r\n\t]/g;

/** The URL the SDK built (`getUrl`: scheme, host[:port], encoded key, maybe `?action`) plus `qs`. */
export function target(url: string, qs: Record<string, unknown> | undefined): Target {
  const match = /^(https?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(url.trim());
  if (!match) throw new Error(`Invalid URI "${url}"`);
  const protocol = match[1]!.toLowerCase() === "https" ? "https:" : "http:";
  const authority = match[2]!;
  if (authority.includes("@")) throw new Error("credentials in a COS URL are not supported in this bundle");
  const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hostMatch || hostMatch[1] === "") throw new Error(`Invalid URI "${url}"`);
  const hostname = hostMatch[1]!.toLowerCase();
  const explicitPort = hostMatch[2] ? hostMatch[2] : undefined;
  const defaultPort = protocol === "https:" ? 443 : 80;
  const port = explicitPort !== undefined ? Number(explicitPort) : defaultPort;
  const host = explicitPort !== undefined && port !== defaultPort ? `${hostname}:${explicitPort}` : hostname;

  const escapePath = (text: string) => text.replace(AUTO_ESCAPE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  const pathname = escapePath((match[3] || "/").replace(/\\/g, "/"));
  const ownQuery = match[4];
  const merged = qs === undefined ? "" : stringifyQuery({ ...parseQuery(ownQuery ?? ""), ...ownEntries(qs) });
  const query = merged !== "" ? `?${merged}` : ownQuery !== undefined ? `?${escapePath(ownQuery)}` : "";
  return { protocol, hostname: hostname.replace(/^\[(.*)\]$/, "$1"), port, path: pathname + query, host };
}

/** `for…in` copies of `request`'s merge, minus names qs would treat specially. */
function ownEntries(qs: Record<string, unknown>): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  for (const name in qs) entries[checkedName(name)] = qs[name];
  return entries;
}

/** qs would nest `a[b]` and skip names that `Object.prototype` has; neither is a COS parameter. */
function checkedName(name: string): string {
  if (name.includes("[") || (name in Object.prototype && name !== "")) {
    throw new Error(`query parameter "${name}" is not supported in this bundle`);
  }
  return name;
}

/** qs.parse for flat queries: `+` is a space, percent-decoding, no value is "", empty names dropped. */
export function parseQuery(query: string): Record<string, string> {
  const result: Record<string, string> = {};
  const parts = query.split("&");
  if (parts.length > 1000) throw new Error("more than 1000 query parameters is not supported in this bundle");
  for (const part of parts) {
    if (part === "") continue;
    const at = part.indexOf("=");
    const name = decode(at === -1 ? part : part.slice(0, at));
    if (name === "") continue;
    if (Object.hasOwn(result, checkedName(name))) throw new Error(`repeated query parameter "${name}" is not supported in this bundle`);
    result[name] = at === -1 ? "" : decode(part.slice(at + 1));
  }
  return result;
}

/** qs.stringify for flat values (qs's defaults: RFC 3986, `null` as `name=`, `undefined` skipped). */
export function stringifyQuery(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    pairs.push(`${encode(name)}=${encode(scalar(name, value))}`);
  }
  return pairs.join("&");
}

function scalar(name: string, value: unknown): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" || typeof value === "function" || typeof value === "symbol") {
    throw new Error(`query parameter "${name}" must be a string or number in this bundle`);
  }
  return String(value);
}

/** qs's RFC 3986 encoder, which is also the SDK's `camSafeUrlEncode`: all but `A-Z a-z 0-9 - . _ ~`. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** qs's decoder: text that is not valid percent-encoding stays as it is. */
function decode(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `require("cos-request")(options)`, as the SDK calls it. */
function request(options: CosRequestOptions): CosRequest {
  if (options === undefined) throw new Error("undefined is not a valid uri or options object.");
  return new CosRequest(options);
}

export default request;
