/**
 * Tencent SCF types for HTTP-triggered event functions. No registry package provides them, so they
 * are declared here from the documented shapes (`../shared/spec/scf-api-gateway.md`).
 *
 * Two events reach the same handlers:
 * - the **function URL** event (函数 URL, SCF doc 583/96099): what a deployed function gets today;
 * - the **API Gateway** integrated-request event: what existing API Gateway services, and a TSE
 *   cloud-native gateway configured with an SCF backend in that mode, send.
 */

/**
 * What a function URL sends an event function: "compatible with apigw, without headerParameters,
 * isBase64Encoded, pathParameters, queryStringParameters, requestContext" (doc 583/96099). The path
 * is the request path as the client sent it; routing by path is the function's own job.
 *
 * The documented event has no `isBase64Encoded`, so a binary request body cannot be told apart from
 * text: the routes of this kit take JSON (UTF-8) bodies only, and files travel base64-encoded inside
 * JSON (see README, "Deploy").
 */
export interface FunctionUrlEvent {
  httpMethod: string;
  /** Request path, e.g. `/flow-groups/abc`. */
  path: string;
  /** Header names arrive lower-cased; `x-scf-remote-addr` carries the client IP. */
  headers: Record<string, string>;
  queryString?: Record<string, string> | null;
  /** Raw body as text; may be absent. */
  body?: string | null;
  /** Not in the documented function URL event; declared so one type covers both shapes. */
  isBase64Encoded?: undefined;
  requestContext?: undefined;
  pathParameters?: undefined;
  queryStringParameters?: undefined;
}

export interface ApiGatewayRequestContext {
  serviceId: string;
  /** The API's configured path, e.g. `/flow-groups/{FlowGroupId}`. */
  path: string;
  httpMethod: string;
  requestId: string;
  identity?: Record<string, string>;
  sourceIp: string;
  stage: string;
}

/** Integrated-request event an API Gateway trigger (or a gateway speaking its protocol) sends. */
export interface ApiGatewayEvent {
  requestContext: ApiGatewayRequestContext;
  /** Header names arrive lower-cased. */
  headers: Record<string, string>;
  /** Raw body; base64 of the raw bytes when `isBase64Encoded` is true; may be absent. */
  body?: string | null;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string> | null;
  queryStringParameters?: Record<string, string> | null;
  headerParameters?: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
  /** Request path as the client sent it, e.g. `/flow-groups/abc`. */
  path: string;
  queryString?: Record<string, string> | null;
  httpMethod: string;
}

/** Either HTTP event an SCF event function can be invoked with. */
export type HttpEvent = FunctionUrlEvent | ApiGatewayEvent;

/** Invocation context SCF passes as the second argument. */
export interface ScfContext {
  request_id?: string;
  function_name?: string;
  function_version?: string;
  namespace?: string;
  memory_limit_in_mb?: number;
  time_limit_in_ms?: number;
  tencentcloud_region?: string;
  tencentcloud_appid?: string;
  /** Present on newer runtimes only: guard for its absence. */
  getRemainingTimeInMillis?: () => number;
}

/**
 * Integrated response: a function URL and API Gateway (integrated response on) both turn it into
 * the HTTP answer. `body` must be a string.
 */
export interface IntegratedResponse {
  isBase64Encoded: boolean;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ScfHttpHandler = (event: HttpEvent, context: ScfContext) => Promise<IntegratedResponse>;
