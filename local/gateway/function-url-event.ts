import type { IncomingHttpHeaders } from "node:http";
import type { FunctionUrlEvent, ScfContext } from "../../shared/http/scf-types";

export interface EventInput {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}

/**
 * The event a function URL sends an event function (SCF doc 583/96099): method, path, lower-cased
 * headers with the client IP in `x-scf-remote-addr`, the query string (first value of each name),
 * and the body as text. The documented event has no `isBase64Encoded`, so bytes that are not UTF-8
 * reach the function replaced by U+FFFD here, as they would in text; nothing else is added
 * (no `requestContext`, no `pathParameters`: routing is the function's job).
 */
export function buildFunctionUrlEvent(input: EventInput): FunctionUrlEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  headers["x-scf-remote-addr"] = input.sourceIp;
  const queryString: Record<string, string> = {};
  for (const [name, value] of input.url.searchParams) if (!(name in queryString)) queryString[name] = value;
  return {
    httpMethod: input.method,
    path: input.url.pathname,
    headers,
    queryString,
    body: input.body.toString("utf8"),
  };
}

/** The invocation context, with a working `getRemainingTimeInMillis`. */
export function buildScfContext(options: {
  requestId: string;
  functionName: string;
  timeoutMs: number;
  memoryMb: number;
  startedAt: number;
}): ScfContext {
  return {
    request_id: options.requestId,
    function_name: options.functionName,
    function_version: "$LATEST",
    namespace: "default",
    memory_limit_in_mb: options.memoryMb,
    time_limit_in_ms: options.timeoutMs,
    tencentcloud_region: "local",
    tencentcloud_appid: "0",
    getRemainingTimeInMillis: () => Math.max(0, options.startedAt + options.timeoutMs - Date.now()),
  };
}
