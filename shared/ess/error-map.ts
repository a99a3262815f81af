import { AppError } from "../errors/app-error";
import { maskText } from "../log/mask";

/** What the official SDK throws (`TencentCloudSDKHttpException`), read structurally. */
interface SdkErrorShape {
  message?: unknown;
  code?: unknown;
  requestId?: unknown;
  httpCode?: unknown;
}

/** Maps an ESS error code to our HTTP status, per conventions rule 7. */
export function statusForEssCode(code: string): number {
  if (/^(InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter)(\.|$)/.test(code)) return 400;
  if (/^ResourceNotFound(\.|$)/.test(code)) return 404;
  if (/^(LimitExceeded|RequestLimitExceeded)(\.|$)/.test(code) || code === "FailedOperation.RequestLimitExceeded")
    return 429;
  return 502;
}

/** True for ESS answers that mean "slow down": safe to retry after a pause, even for a create. */
export function isRateLimitCode(code: string): boolean {
  return statusForEssCode(code) === 429;
}

/**
 * Maps anything the SDK throws to an `AppError`. The one place where ESS's vocabulary becomes our
 * HTTP status. ESS's RequestId is kept; ESS's own message is passed on (masked) only for 4xx, since
 * a 5xx must not leak internals.
 */
export function mapEssError(error: unknown, context: { timeoutMs?: number } = {}): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : undefined;
  const essRequestId = typeof e.requestId === "string" && e.requestId !== "" ? e.requestId : undefined;
  const message = typeof e.message === "string" ? e.message : "";
  const base = { cause: error, ...(essRequestId ? { essRequestId } : {}) };

  if (code === undefined) {
    if (/timeout|aborted/i.test(message)) {
      return new AppError(
        "InternalError.EssTimeout",
        502,
        `ESS did not answer within ${context.timeoutMs ?? "the configured"} ms. A create may still have succeeded: ` +
          "check the group before sending it again, or send it with an Idempotency-Key.",
        { ...base, expose: true },
      );
    }
    const httpCode = typeof e.httpCode === "number" ? ` (HTTP ${e.httpCode})` : "";
    return new AppError("InternalError.EssUnreachable", 502, `ESS could not be reached${httpCode}.`, { ...base, expose: true });
  }

  if (/^AuthFailure(\.|$)/.test(code)) {
    return new AppError("InternalError.EssAuthFailure", 502, "ESS rejected this service's credentials.", { ...base, expose: true });
  }
  if (/^InternalError(\.|$)/.test(code)) {
    return new AppError("InternalError.Ess", 502, "ESS failed internally; retry later.", { ...base, expose: true });
  }

  const status = statusForEssCode(code);
  if (status < 500) {
    return new AppError(code, status, maskText(message) || `ESS answered ${code}`, {
      ...base,
      ...(status === 429 ? { headers: { "Retry-After": "1" } } : {}),
    });
  }
  // A business refusal (OperationDenied.NoQuota, FailedOperation.*, UnauthorizedOperation.*, …):
  // the code is ESS's public vocabulary and tells the caller what to fix; ESS's free text may name
  // people, so it stays out.
  return new AppError(code, 502, `ESS refused the request with ${code}; see the ESS error code list.`, {
    ...base,
    expose: true,
  });
}
