import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error";
import type { Logger } from "../log/logger";
import { errorResponse, jsonResponse } from "./response";
import { resolveRoute, type RouteDeclaration, type RouteName, type RouteSpec } from "./routes";
import type { HttpEvent, IntegratedResponse, ScfContext, ScfHttpHandler } from "./scf-types";
import { remainingTimeMs } from "./time-budget";

/** What a route function receives: the decoded parts of the event, and per-request helpers. */
export interface HttpRequest {
  /** The function URL event, or an API Gateway event (both shapes are accepted). */
  event: HttpEvent;
  context: ScfContext;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** This service's request id: the SCF request id when there is one. */
  requestId: string;
  log: Logger;
  /** Milliseconds the function has left, when the runtime tells. */
  remainingTimeMs(): number | undefined;
}

export interface HttpResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Extra fields for the access log line (e.g. the ESS RequestId). Never personal data. */
  logFields?: Record<string, unknown>;
}

export interface HttpRoute extends RouteSpec {
  /** Short name for logs, e.g. `create-group.ess`. */
  name: string;
  handle(request: HttpRequest): Promise<HttpResult>;
}

/**
 * Joins a function's declared routes (`functions/<name>/routes.ts`) with their implementations,
 * one per declared name: a route without an implementation, or an implementation without a route,
 * does not compile.
 */
export function bindRoutes<const R extends readonly RouteDeclaration[]>(
  declared: R,
  implementations: Record<RouteName<R>, (request: HttpRequest) => Promise<HttpResult>>,
): HttpRoute[] {
  const handlers = implementations as Record<string, (request: HttpRequest) => Promise<HttpResult>>;
  return declared.map((route) => {
    const handle = handlers[route.name];
    if (typeof handle !== "function") throw new Error(`route ${route.name} has no implementation`);
    return { ...route, handle };
  });
}

/**
 * Builds an SCF `main_handler` from routes: resolves the route (404/405), runs it, maps any error
 * to the JSON error body, and writes one access log line with the request ids, route, status and
 * duration. The single place where a thrown value becomes a response.
 */
export function createHttpHandler(options: {
  routes: readonly HttpRoute[];
  log: Logger;
  /** Runs after the route is resolved and before it is handled; throws to refuse (e.g. 401). */
  authenticate?: (event: HttpEvent) => void;
  now?: () => number;
}): ScfHttpHandler {
  const now = options.now ?? Date.now;
  return async (event: HttpEvent, context: ScfContext): Promise<IntegratedResponse> => {
    const started = now();
    const requestId = context?.request_id || event?.requestContext?.requestId || randomUUID();
    const method = (event?.httpMethod ?? event?.requestContext?.httpMethod ?? "GET").toUpperCase();
    const path = event?.path ?? "/";
    const log = options.log.child({ scfRequestId: requestId });
    let routeName = "unmatched";
    let response: IntegratedResponse;
    let logFields: Record<string, unknown> = {};
    try {
      const { route, params } = resolveRoute(options.routes, method, path);
      routeName = route.name;
      options.authenticate?.(event);
      const result = await route.handle({
        event,
        context: context ?? {},
        method,
        path,
        params,
        query: { ...(event.queryString ?? {}), ...(event.queryStringParameters ?? {}) },
        requestId,
        log: log.child({ route: routeName }),
        remainingTimeMs: () => remainingTimeMs(context),
      });
      logFields = result.logFields ?? {};
      response = jsonResponse(result.statusCode, result.body, result.headers);
    } catch (error) {
      response = errorResponse(error, requestId);
      const appError = error instanceof AppError ? error : undefined;
      logFields = {
        errorCode: appError?.code ?? "InternalError",
        essRequestId: appError?.essRequestId || undefined,
        // A 5xx line carries the error itself (masked by the logger), so one line tells the story.
        error: response.statusCode >= 500 ? error : undefined,
      };
    }
    response.headers["X-Request-Id"] = requestId;
    const level = response.statusCode >= 500 ? "error" : response.statusCode >= 400 ? "warn" : "info";
    log[level]("request", {
      route: routeName,
      method,
      status: response.statusCode,
      durationMs: now() - started,
      ...logFields,
    });
    return response;
  };
}
