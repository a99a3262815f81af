/**
 * Tencent SCF types for the API Gateway trigger. No registry package provides them, so they are
 * declared here from the documented event shape (see docs in `../shared/spec/scf-api-gateway.md`).
 */

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

/** Integrated-request event an API Gateway trigger hands to `main_handler`. */
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

/** Integrated response; `body` must be a string. */
export interface ApiGatewayResponse {
  isBase64Encoded: boolean;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ScfHttpHandler = (event: ApiGatewayEvent, context: ScfContext) => Promise<ApiGatewayResponse>;
