import type { IncomingHttpHeaders } from "node:http";
import type { ApiGatewayEvent, ScfContext } from "../../shared/http/scf-types";

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_CONTENT = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|[\w.+-]+\+xml|javascript))/i;

export interface EventInput {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  /** The API's configured path, e.g. `/flow-groups/{FlowGroupId}`. */
  routePath: string;
  pathParameters: Record<string, string>;
  requestId: string;
  stage?: string;
}

/** Builds the integrated-request event exactly as SCF's API Gateway trigger does. */
export function buildApiGatewayEvent(input: EventInput): ApiGatewayEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of input.url.searchParams) if (!(name in query)) query[name] = value;
  const stage = input.stage ?? "release";
  const textual = input.body.length === 0 || TEXT_CONTENT.test(headers["content-type"] ?? "");
  return {
    requestContext: {
      serviceId: "service-local",
      path: input.routePath,
      httpMethod: input.method,
      requestId: input.requestId,
      identity: {},
      sourceIp: input.sourceIp,
      stage,
    },
    headers,
    ...(input.body.length > 0
      ? textual
        ? { body: input.body.toString("utf8"), isBase64Encoded: false }
        : { body: input.body.toString("base64"), isBase64Encoded: true }
      : { isBase64Encoded: false }),
    pathParameters: input.pathParameters,
    queryStringParameters: query,
    headerParameters: {},
    stageVariables: { stage },
    path: input.url.pathname,
    queryString: query,
    httpMethod: input.method,
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
