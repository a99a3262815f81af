/**
 * Replacement, in the deployed bundles only, for the Tencent Cloud SDK's `common/http/fetch.js`,
 * which wraps `node-fetch` (and through it whatwg-url's large Unicode tables) and
 * `https-proxy-agent`. This speaks HTTP with the runtime's own `node:http`/`node:https` and offers
 * the part of the fetch interface the SDK uses: `status`, `statusText`, `headers.get`, `json()`,
 * `text()` and `body` (a readable stream, for server-sent events). It honours `timeout`, `signal`
 * and `agent`. A proxy from `http_proxy` is not supported: SCF functions reach ESS directly.
 */
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";

interface SdkFetchOptions {
  method?: string;
  headers?: Record<string, string | number | undefined>;
  body?: string | Buffer | { pipe(destination: NodeJS.WritableStream): unknown };
  timeout?: number;
  signal?: AbortSignal;
  agent?: http.Agent;
}

class SdkResponse {
  constructor(
    private readonly message: http.IncomingMessage,
    readonly body: Readable,
  ) {}
  get status(): number {
    return this.message.statusCode ?? 0;
  }
  get statusText(): string {
    return this.message.statusMessage ?? "";
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  readonly headers = {
    get: (name: string): string | null => {
      const value = this.message.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

export default function sdkFetch(url: string, options: SdkFetchOptions = {}): Promise<SdkResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === "http:" ? http : https;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = String(value);
    const body = options.body;
    if (typeof body === "string" || Buffer.isBuffer(body)) headers["Content-Length"] = String(Buffer.byteLength(body));
    if (options.signal?.aborted) return reject(abortError());

    const request = transport.request(target, { method: options.method ?? "GET", headers, agent: options.agent }, (message) => {
      cleanup();
      resolve(new SdkResponse(message, message));
    });
    const onAbort = () => request.destroy(abortError());
    const timer = options.timeout ? setTimeout(() => request.destroy(new Error(`network timeout at: ${url}`)), options.timeout) : undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    options.signal?.addEventListener("abort", onAbort);
    request.on("error", (error) => {
      cleanup();
      reject(error);
    });
    if (body === undefined) request.end();
    else if (typeof body === "string" || Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  });
}

function abortError(): Error {
  const error = new Error("The user aborted a request.");
  error.name = "AbortError";
  return error;
}
