import { AppError } from "../errors/app-error";
import {
  EssAuthFailure,
  EssInternalError,
  EssInvalidRequest,
  EssRateLimited,
  EssRefused,
  EssResourceNotFound,
  EssTimeout,
  EssUnreachable,
} from "../errors/ess-errors";
import { maskText } from "../log/mask";

/** What the official SDK throws (`TencentCloudSDKHttpException`), read structurally. */
interface SdkErrorShape {
  message?: unknown;
  code?: unknown;
  requestId?: unknown;
  httpCode?: unknown;
}

const INVALID_REQUEST = /^(InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter)(\.|$)/;
const NOT_FOUND = /^ResourceNotFound(\.|$)/;
const RATE_LIMITED = /^(LimitExceeded|RequestLimitExceeded)(\.|$)/;

/** True for ESS answers that mean "slow down": safe to retry after a pause, even for a create. */
export function isRateLimitCode(code: string): boolean {
  return RATE_LIMITED.test(code) || code === "FailedOperation.RequestLimitExceeded";
}

/**
 * Sorts anything the SDK throws into the ESS errors of `shared/errors/ess-errors.ts` (conventions
 * rule 7; their statuses are in the error table). ESS's RequestId is kept; ESS's own message is
 * passed on (masked) only for the 4xx kinds, since a 5xx must not leak internals.
 */
export function mapEssError(error: unknown, context: { timeoutMs?: number } = {}): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : undefined;
  const essRequestId = typeof e.requestId === "string" && e.requestId !== "" ? e.requestId : undefined;
  const message = typeof e.message === "string" ? e.message : "";
  const options = { cause: error, essRequestId };

  if (code === undefined) {
    if (/timeout|aborted/i.test(message)) return new EssTimeout(context.timeoutMs, options);
    return new EssUnreachable(typeof e.httpCode === "number" ? e.httpCode : undefined, options);
  }
  if (/^AuthFailure(\.|$)/.test(code)) return new EssAuthFailure(options);
  if (/^InternalError(\.|$)/.test(code)) return new EssInternalError(options);

  const said = maskText(message) || `ESS answered ${code}`;
  if (INVALID_REQUEST.test(code)) return new EssInvalidRequest(code, said, options);
  if (NOT_FOUND.test(code)) return new EssResourceNotFound(code, said, options);
  if (isRateLimitCode(code)) return new EssRateLimited(code, said, options);
  return new EssRefused(code, options);
}
