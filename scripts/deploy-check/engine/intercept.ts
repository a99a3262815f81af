/**
 * Preloaded into the deploy engine's processes (`node --require tsx/cjs --require intercept.ts …`):
 * every HTTP(S) request to anywhere but loopback is sent, unchanged in method, path, headers and
 * body, to the deploy check's stand-in for Tencent Cloud at 127.0.0.1:$DEPLOY_CHECK_TENCENT_PORT,
 * with the URL it was meant for in `x-deploy-check-url`. Any other way out (DNS, raw sockets, TLS)
 * to a non-loopback host throws, so nothing the engine does can reach the network unnoticed.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";

const port = Number(process.env.DEPLOY_CHECK_TENCENT_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error("intercept.ts: DEPLOY_CHECK_TENCENT_PORT is not set");

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;
const originalHttpRequest = http.request;

type RequestArgs = [
  string | URL | http.RequestOptions,
  (http.RequestOptions | ((res: http.IncomingMessage) => void))?,
  ((res: http.IncomingMessage) => void)?,
];

/** The URL and options a `request(url?, options?, callback?)` call means. */
function parse(protocol: "http:" | "https:", args: RequestArgs) {
  let url: URL;
  let options: http.RequestOptions;
  let callback: ((res: http.IncomingMessage) => void) | undefined;
  if (typeof args[0] === "string" || args[0] instanceof URL) {
    url = new URL(String(args[0]));
    options = typeof args[1] === "object" && args[1] !== null ? args[1] : {};
    callback = typeof args[1] === "function" ? args[1] : args[2];
  } else {
    options = args[0];
    callback = typeof args[1] === "function" ? args[1] : undefined;
    const host = options.hostname ?? options.host ?? "localhost";
    url = new URL(`${options.protocol ?? protocol}//${host}${options.port ? `:${options.port}` : ""}${options.path ?? "/"}`);
  }
  return { url, options, callback };
}

function redirecting(protocol: "http:" | "https:", original: typeof http.request) {
  return function request(this: unknown, ...args: RequestArgs): http.ClientRequest {
    const { url, options, callback } = parse(protocol, args);
    if (LOOPBACK.test(url.hostname.replace(/^\[|\]$/g, ""))) return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders | undefined),
      "x-deploy-check-url": url.href,
    };
    return originalHttpRequest(
      { host: "127.0.0.1", port, method: options.method ?? "GET", path: `${url.pathname}${url.search}`, headers },
      callback,
    );
  } as typeof http.request;
}

function get(request: typeof http.request) {
  return ((...args: Parameters<typeof http.get>) => {
    const req = (request as (...a: unknown[]) => http.ClientRequest)(...args);
    req.end();
    return req;
  }) as typeof http.get;
}

http.request = redirecting("http:", http.request);
https.request = redirecting("https:", https.request as typeof http.request) as typeof https.request;
http.get = get(http.request);
https.get = get(https.request as typeof http.request) as typeof https.get;

const refuse = (what: string, host: unknown) => {
  throw new Error(`deploy check: the engine tried to reach ${String(host)} by ${what}; only HTTP(S) is redirected to the stand-in`);
};
const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname: string, ...rest: unknown[]) {
  if (!LOOPBACK.test(hostname)) refuse("DNS", hostname);
  return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
} as typeof dns.lookup;
const originalConnect = net.connect;
const guardNet = function connect(...args: unknown[]) {
  const options = args[0] as { host?: string; path?: string } | number | string;
  const host =
    typeof options === "object"
      ? options.path
        ? "localhost"
        : (options.host ?? "localhost")
      : typeof args[1] === "string"
        ? args[1]
        : "localhost";
  if (!LOOPBACK.test(host)) refuse("a socket", host);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(net, args);
};
net.connect = guardNet as typeof net.connect;
net.createConnection = guardNet as typeof net.createConnection;
const originalTls = tls.connect;
tls.connect = function connect(...args: unknown[]) {
  const options = args[0] as { host?: string } | number;
  const host = typeof options === "object" ? (options.host ?? "localhost") : typeof args[1] === "string" ? args[1] : "localhost";
  if (!LOOPBACK.test(host)) refuse("TLS", host);
  return (originalTls as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
} as typeof tls.connect;
