import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError, PayloadTooLargeError } from "../../shared/errors/app-error";
import { API_GATEWAY_BODY_LIMIT } from "../../shared/http/request";
import { errorResponse } from "../../shared/http/response";
import { resolveRoute } from "../../shared/http/routes";
import type { ApiGatewayResponse, ScfHttpHandler } from "../../shared/http/scf-types";
import { buildApiGatewayEvent, buildScfContext } from "./scf-event";

/** A route the local gateway serves, with the function that answers it. */
export interface GatewayRoute {
  method: string;
  path: string;
  functionName: string;
  timeoutMs: number;
  memoryMb: number;
  invoke: ScfHttpHandler;
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/**
 * A local stand-in for API Gateway: matches the route (404, 405 with `Allow`), refuses bodies over
 * 6 MB with 413 before any function runs, builds the SCF event and context, enforces the
 * function's timeout, and writes the integrated response back.
 */
export async function startGateway(options: {
  routes: readonly GatewayRoute[];
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
}): Promise<RunningGateway> {
  const limit = options.bodyLimitBytes ?? API_GATEWAY_BODY_LIMIT;
  const server = createServer((req, res) => {
    handle(req, res, options.routes, limit).catch((error) => {
      send(res, errorResponse(error, "gateway"));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: readonly GatewayRoute[], limit: number) {
  const requestId = randomUUID();
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://local");
  let matched: ReturnType<typeof resolveRoute<GatewayRoute>>;
  try {
    matched = resolveRoute(routes, method, url.pathname);
  } catch (error) {
    req.resume();
    return send(res, errorResponse(error, requestId));
  }
  const body = await readBody(req, limit);
  if (body === "too-large") return send(res, errorResponse(new PayloadTooLargeError(limit), requestId), true);

  const { route, params } = matched;
  const event = buildApiGatewayEvent({
    method,
    url,
    headers: req.headers,
    body,
    sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
    routePath: route.path,
    pathParameters: params,
    requestId,
  });
  const context = buildScfContext({
    requestId,
    functionName: route.functionName,
    timeoutMs: route.timeoutMs,
    memoryMb: route.memoryMb,
    startedAt: Date.now(),
  });
  send(res, await invokeWithTimeout(route, event, context, requestId));
}

async function invokeWithTimeout(
  route: GatewayRoute,
  event: Parameters<ScfHttpHandler>[0],
  context: Parameters<ScfHttpHandler>[1],
  requestId: string,
): Promise<ApiGatewayResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ApiGatewayResponse>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          errorResponse(
            new AppError("InternalError.FunctionTimeout", 502, `Function ${route.functionName} timed out after ${route.timeoutMs} ms`, {
              expose: true,
            }),
            requestId,
          ),
        ),
      route.timeoutMs,
    );
  });
  try {
    const response = await Promise.race([route.invoke(event, context), timeout]);
    if (!isIntegratedResponse(response)) {
      return errorResponse(
        new AppError("InternalError.FunctionResponse", 502, `Function ${route.functionName} returned an invalid integrated response`, {
          expose: true,
        }),
        requestId,
      );
    }
    return response;
  } catch {
    // API Gateway answers 502 when the function throws; the function's own logs hold the error.
    return errorResponse(
      new AppError("InternalError.FunctionError", 502, `Function ${route.functionName} failed`, { expose: true }),
      requestId,
    );
  } finally {
    clearTimeout(timer);
  }
}

function isIntegratedResponse(value: unknown): value is ApiGatewayResponse {
  const r = value as ApiGatewayResponse | undefined;
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

function send(res: ServerResponse, response: ApiGatewayResponse, closeConnection = false) {
  if (res.headersSent) return;
  const body = response.isBase64Encoded ? Buffer.from(response.body, "base64") : Buffer.from(response.body, "utf8");
  const headers: Record<string, string | number> = { ...response.headers, "Content-Length": body.length };
  if (closeConnection) headers.Connection = "close";
  res.writeHead(response.statusCode, headers);
  res.end(body);
}
