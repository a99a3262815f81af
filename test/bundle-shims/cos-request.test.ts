import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import shimRequest, { target } from "../../bundle-shims/cos-request";

/**
 * The cos-request shim against the real cos-request, as the COS SDK resolves it: same request line
 * and headers on the wire, same query encoding, same events and errors for the options the SDK
 * passes (sdk/base.js `_submitRequest`).
 */
const fromCosSdk = createRequire(createRequire(import.meta.url).resolve("cos-nodejs-sdk-v5"));
type Sender = NodeJS.EventEmitter & {
  abort(): void;
  path?: string;
  getHeader?(name: string): unknown;
  pipe<T extends NodeJS.WritableStream>(d: T): T;
};
const realRequest = fromCosSdk("cos-request") as (options: object) => Sender;
const shim = shimRequest as unknown as (options: object) => Sender;

/** cos-nodejs-sdk-v5's own encoder (util.js camSafeUrlEncode), to build keys the way the SDK does. */
const camSafeUrlEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const cosKeyUrl = (host: string, key: string) => `https://${host}/${camSafeUrlEncode(key).replace(/%2F/g, "/")}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
/** Requests to /hang are accepted and never answered. */
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/hang")) return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const missing = req.url?.startsWith("/missing");
      res.writeHead(missing ? 404 : 200, { "content-type": "application/xml", "x-cos-request-id": "rid-1" });
      res.end(missing ? "<Error><Code>NoSuchKey</Code></Error>" : "<ok>yes</ok>");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends with `send`, as the SDK does (listeners, then an optional piped body); resolves with what happened. */
function exchange(send: (options: object) => Sender, options: object, piped?: () => Readable) {
  return new Promise<{
    status?: number;
    headers?: IncomingHttpHeaders;
    body: string;
    events: string[];
    error?: { code?: string; connect?: boolean };
  }>((resolve) => {
    const events: string[] = [];
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let headers: IncomingHttpHeaders | undefined;
    const sender = send(options);
    sender.on("response", (response: { statusCode: number; headers: IncomingHttpHeaders }) => {
      events.push("response");
      status = response.statusCode;
      headers = response.headers;
    });
    sender.on("data", (chunk: Buffer) => chunks.push(chunk));
    sender.on("end", () => {
      events.push("end");
      resolve({ status, headers, body: Buffer.concat(chunks).toString("utf8"), events });
    });
    sender.on("error", (error: { code?: string; connect?: boolean }) => {
      events.push("error");
      resolve({ body: "", events, error: { code: error.code, connect: error.connect } });
    });
    if (piped) piped().pipe(sender as unknown as NodeJS.WritableStream);
  });
}

/** What a server sees, minus what differs between any two connections. */
const wire = (r: Received) => ({ ...r, headers: { ...r.headers } });

describe("cos-request shim: query and path, as the real module builds them", () => {
  it.each([
    ["an object key", cosKeyUrl("examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com", "ess-status/events/m1.json"), {}],
    [
      "a key with spaces, unicode and reserved characters",
      cosKeyUrl("b-1250000000.cos.ap-guangzhou.myqcloud.com", "a b/ü 状态/(x)*!'~+&=?#%.json"),
      {},
    ],
    [
      "a listing page",
      "http://127.0.0.1:9100/",
      { prefix: "ess-status/groups/g/events/", "max-keys": 1000, marker: "ess-status/groups/g/events/b.json" },
    ],
    ["a prefix with unicode and reserved characters", "http://127.0.0.1:9100/", { prefix: "状态/ü é+&=?#%!'()*~", "max-keys": 4 }],
    ["an empty prefix", "http://127.0.0.1:9100/", { prefix: "", "max-keys": 1000 }],
    ["a sub-resource without value", "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/?acl", {}],
    ["a sub-resource on a key", "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/k?uploads", {}],
    ["a URL query merged with qs", "https://h.example.com/k?versionId=a%20b", { "response-content-type": "application/json" }],
    ["a qs value replacing the URL's", "https://h.example.com/k?a=1&b=2", { a: "3" }],
    ["a sub-resource and parameters", "https://h.example.com/k?tagging&a=1", { b: "2" }],
    ["plus signs and bad escapes in the URL's query", "https://h.example.com/k?a=1+2&c=%ZZ", {}],
    ["null, number, boolean and empty values", "http://h.example.com:8080/k", { a: null, n: 0, t: true, e: "" }],
    ["the default https port and an upper-case host", "https://H.Example.COM:443/k", {}],
    ["the default http port", "http://h.example.com:80/k", {}],
    ["characters the legacy URL parser escapes", "https://h.example.com/a b'c{d}", {}],
    ["no qs at all", "https://h.example.com/k?acl", undefined],
    ["integer-like names, ordered as objects order them", "https://h.example.com/k", { b: "1", 10: "x", 2: "y" }],
  ])("%s", (_, url, qs) => {
    const real = realRequest({ method: "GET", url, ...(qs !== undefined ? { qs } : {}), followRedirect: false });
    real.abort();
    const mine = target(url, qs as Record<string, unknown> | undefined);
    expect(mine.path).toBe(real.path);
    expect(mine.host).toBe(real.getHeader!("host"));
  });

  it.each([
    ["a nested qs name", { qs: { "a[b]": "x" } }],
    ["a repeated URL parameter", { url: "https://h.example.com/k?a=1&a=2" }],
    ["an object value", { qs: { a: { b: 1 } } }],
    ["a proxy", { proxy: "http://proxy.example.com:3128" }],
    ["following redirects", { followRedirect: true }],
    ["credentials in the URL", { url: "https://user:pass@h.example.com/k" }],
  ])("refuses %s with an error event, not a different request", async (_, change) => {
    const result = await exchange(shim, { method: "GET", url: `${base}/k`, qs: {}, followRedirect: false, ...change });
    expect(result.events).toEqual(["error"]);
    expect(received.some((r) => r.url.includes("h.example.com"))).toBe(false);
  });
});

describe("cos-request shim: on the wire, beside the real module", () => {
  const body = '{"MsgId":"m1","状态":"ALL"}';
  it.each([
    [
      "GET with a query",
      "/ess-status/k.json",
      {
        method: "GET",
        qs: { "response-cache-control": "no-cache" },
        headers: { "User-Agent": "cos-nodejs-sdk-v5-3.0.0", Authorization: "q-sign-algorithm=sha1&q-ak=x" },
      },
    ],
    [
      "PUT with a string body",
      "/k.json",
      {
        method: "PUT",
        qs: {},
        body,
        headers: { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) },
      },
    ],
    [
      "PUT with a Buffer body and no length",
      "/k.json",
      { method: "PUT", qs: {}, body: Buffer.from(body), headers: { "x-cos-forbid-overwrite": "true" } },
    ],
    ["DELETE without a body", "/k.json", { method: "DELETE", qs: {}, headers: {} }],
    ["DELETE with the SDK's Content-Length: 0", "/k.json", { method: "DELETE", qs: {}, headers: { "Content-Length": 0 } }],
    ["a 404 with an XML body", "/missing/k.json", { method: "GET", qs: {}, headers: {} }],
  ])("%s", async (_, path, options) => {
    const common = { url: base + path, followRedirect: false, forever: true, timeout: 2_000 };
    received.length = 0;
    const real = await exchange(realRequest, { ...common, ...options });
    const mine = await exchange(shim, { ...common, ...options });
    expect(received).toHaveLength(2);
    expect(wire(received[1]!)).toEqual(wire(received[0]!));
    expect({ ...mine, headers: { ...mine.headers, date: undefined } }).toEqual({ ...real, headers: { ...real.headers, date: undefined } });
  });

  it("streams a piped body (the adapter's create-exclusive write), with and without a length", async () => {
    for (const headers of [{ "Content-Length": Buffer.byteLength(body), "Content-Type": "application/json" }, {}]) {
      received.length = 0;
      const options = { method: "PUT", url: `${base}/stream.json`, qs: {}, headers, followRedirect: false, forever: true };
      const piece = () => Readable.from([Buffer.from(body.slice(0, 5)), Buffer.from(body.slice(5))]);
      const real = await exchange(realRequest, options, piece);
      const mine = await exchange(shim, options, piece);
      expect(wire(received[1]!)).toEqual(wire(received[0]!));
      expect(received[1]!.body).toBe(body);
      expect(mine.status).toBe(real.status);
    }
  });

  it("pipes the answer out (the SDK's Output streams)", async () => {
    const collect = async (send: (o: object) => Sender) => {
      const out = new PassThrough();
      const sender = send({ method: "GET", url: `${base}/k.json`, qs: {}, followRedirect: false });
      sender.on("error", () => undefined);
      sender.pipe(out);
      const chunks: Buffer[] = [];
      for await (const chunk of out) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    };
    expect(await collect(shim)).toBe(await collect(realRequest));
  });

  it("times out a server that never answers like the real module (ESOCKETTIMEDOUT once connected)", async () => {
    const options = { method: "GET", url: `${base}/hang`, qs: {}, followRedirect: false, timeout: 150 };
    const real = await exchange(realRequest, options);
    const mine = await exchange(shim, options);
    expect(mine.error).toEqual(real.error);
    expect(mine.error).toEqual({ code: "ESOCKETTIMEDOUT", connect: false });
  });

  it("reports a refused connection like the real module", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const options = { method: "GET", url: `http://127.0.0.1:${port}/k`, qs: {}, followRedirect: false, timeout: 1_000 };
    const real = await exchange(realRequest, options);
    const mine = await exchange(shim, options);
    expect(mine.error).toEqual(real.error);
    expect(mine.error?.code).toBe("ECONNREFUSED");
  });

  it("aborts without an error event", async () => {
    for (const send of [realRequest, shim]) {
      const events: string[] = [];
      const sender = send({ method: "GET", url: `${base}/hang`, qs: {}, followRedirect: false });
      for (const name of ["error", "abort", "response"]) sender.on(name, () => events.push(name));
      sender.on("request", () => setTimeout(() => sender.abort(), 20));
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(events).toEqual(["abort"]);
    }
  });
});
