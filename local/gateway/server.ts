import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyTooLarge, FunctionAnswerInvalid, FunctionFailed, FunctionTimedOut } from "../../shared/errors/request-errors";
import { REQUEST_BODY_LIMIT } from "../../shared/http/request";
import { errorResponse } from "../../shared/http/response";
import { resolveRoute, type RouteSpec } from "../../shared/http/routes";
import type { IntegratedResponse, ScfHttpHandler } from "../../shared/http/scf-types";
import { buildFunctionUrlEvent, buildScfContext } from "./function-url-event";
import { checkContentType, checkHostAndOrigin, routeOf } from "./request-guard";

/** A function the local stack serves, with the routes it declares. */
export interface LocalFunction {
  name: string;
  timeoutMs: number;
  memoryMb: number;
  /** Its declared routes: the one-domain gateway routes by them; a function URL ignores them. */
  routes: readonly RouteSpec[];
  invoke: ScfHttpHandler;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

interface ServeOptions {
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
}

/**
 * A local function URL: every request, whatever its path or method, goes to the one function as a
 * function URL event (the function answers 404/405 itself), bodies over 6 MB are refused with 413
 * before it runs, its timeout is enforced, and its integrated response becomes the HTTP answer.
 */
export function startFunctionUrl(fn: LocalFunction, options: ServeOptions = {}): Promise<RunningServer> {
  return serve(options, () => fn);
}

/**
 * One domain in front of every function, like a TSE cloud-native gateway routing by path: the
 * request goes, unchanged and as a function URL event, to the function that declares its route;
 * an undeclared path is 404 and a declared path with another method 405 (with `Allow`), answered
 * here. Routes must not repeat across functions (the deploy check refuses that).
 */
export function startGateway(options: ServeOptions & { functions: readonly LocalFunction[] }): Promise<RunningServer> {
  const table = options.functions.flatMap((fn) => fn.routes.map((route) => ({ method: route.method, path: route.path, fn })));
  return serve(options, (method, pathname) => resolveRoute(table, method, pathname).route.fn);
}

async function serve(options: ServeOptions, pick: (method: string, pathname: string) => LocalFunction): Promise<RunningServer> {
  const limit = options.bodyLimitBytes ?? REQUEST_BODY_LIMIT;
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(req, res, pick, limit, host).catch((error) => send(res, errorResponse(error, "gateway")));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  pick: (method: string, pathname: string) => LocalFunction,
  limit: number,
  listenHost: string,
) {
  const requestId = randomUUID();
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://local");
  let fn: LocalFunction;
  try {
    checkHostAndOrigin(req, listenHost);
    fn = pick(method, url.pathname);
  } catch (error) {
    req.resume();
    return send(res, errorResponse(error, requestId));
  }
  const body = await readBody(req, limit);
  if (body === "too-large") return send(res, errorResponse(new BodyTooLarge(limit), requestId), true);
  try {
    checkContentType(req, routeOf(fn.routes, method, url.pathname), body.length);
  } catch (error) {
    return send(res, errorResponse(error, requestId));
  }

  const event = buildFunctionUrlEvent({ method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? "127.0.0.1" });
  const context = buildScfContext({
    requestId,
    functionName: fn.name,
    timeoutMs: fn.timeoutMs,
    memoryMb: fn.memoryMb,
    startedAt: Date.now(),
  });
  send(res, await invokeWithTimeout(fn, () => fn.invoke(event, context), requestId));
}

async function invokeWithTimeout(
  fn: LocalFunction,
  invoke: () => Promise<IntegratedResponse>,
  requestId: string,
): Promise<IntegratedResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<IntegratedResponse>((resolve) => {
    timer = setTimeout(() => resolve(errorResponse(new FunctionTimedOut(fn.name, fn.timeoutMs), requestId)), fn.timeoutMs);
  });
  try {
    const response = await Promise.race([invoke(), timeout]);
    if (!isIntegratedResponse(response)) return errorResponse(new FunctionAnswerInvalid(fn.name), requestId);
    return response;
  } catch {
    // The platform answers 502 when the function throws; the function's own logs hold the error.
    return errorResponse(new FunctionFailed(fn.name), requestId);
  } finally {
    clearTimeout(timer);
  }
}

function isIntegratedResponse(value: unknown): value is IntegratedResponse {
  const r = value as IntegratedResponse | undefined;
  return typeof r === "object" && r !== null && Number.isInteger(r.statusCode) && typeof r.body === "string";
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve("too-large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, response: IntegratedResponse, closeConnection = false) {
  if (res.headersSent) return;
  const body = response.isBase64Encoded ? Buffer.from(response.body, "base64") : Buffer.from(response.body, "utf8");
  const headers: Record<string, string | number> = { ...response.headers, "Content-Length": body.length };
  if (closeConnection) headers.Connection = "close";
  res.writeHead(response.statusCode, headers);
  res.end(body);
}
