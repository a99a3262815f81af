import { AppError, CodeCarryingError, type AppErrorOptions } from "./app-error";

/**
 * What a failed ESS call becomes (shared/ess/error-map.ts sorts the SDK's errors into these). ESS's
 * RequestId is kept so the caller can quote it to Tencent support. The four that pass ESS's code on
 * carry it; the others name the failure in our words, since ESS's own answer may hold internals.
 */
type EssOptions = Pick<AppErrorOptions, "essRequestId" | "cause">;

/** ESS refused the request's parameters (`InvalidParameter*`, `MissingParameter*`, `UnknownParameter*`): ESS's code and message. */
export class EssInvalidRequest extends CodeCarryingError {
  constructor(code: string, message: string, options: EssOptions = {}) {
    super("EssInvalidRequest", code, message, options);
  }
}

/** ESS knows no such resource (`ResourceNotFound*`): ESS's code and message. */
export class EssResourceNotFound extends CodeCarryingError {
  constructor(code: string, message: string, options: EssOptions = {}) {
    super("EssResourceNotFound", code, message, options);
  }
}

/** ESS said "too many requests" (`LimitExceeded*`, `RequestLimitExceeded*`): nothing was done; retry after a pause. */
export class EssRateLimited extends CodeCarryingError {
  constructor(code: string, message: string, options: EssOptions = {}) {
    super("EssRateLimited", code, message, { ...options, headers: { "Retry-After": "1" } });
  }
}

/**
 * A business refusal (`OperationDenied.NoQuota`, `FailedOperation.*`, `UnauthorizedOperation.*`, …):
 * ESS's code is its public vocabulary and tells the caller what to fix; ESS's free text may name
 * people, so it stays out.
 */
export class EssRefused extends CodeCarryingError {
  constructor(code: string, options: EssOptions = {}) {
    super("EssRefused", code, `ESS refused the request with ${code}; see the ESS error code list.`, options);
  }
}

/** No answer within the time given: a create may still have succeeded. */
export class EssTimeout extends AppError {
  constructor(timeoutMs: number | undefined, options: EssOptions = {}) {
    super(
      "EssTimeout",
      `ESS did not answer within ${timeoutMs ?? "the configured"} ms. A create may still have succeeded: ` +
        "check the group before sending it again, or send it with an Idempotency-Key.",
      options,
    );
  }
}

export class EssUnreachable extends AppError {
  constructor(httpCode: number | undefined, options: EssOptions = {}) {
    super("EssUnreachable", `ESS could not be reached${httpCode === undefined ? "" : ` (HTTP ${httpCode})`}.`, options);
  }
}

export class EssAuthFailure extends AppError {
  constructor(options: EssOptions = {}) {
    super("EssAuthFailure", "ESS rejected this service's credentials.", options);
  }
}

export class EssInternalError extends AppError {
  constructor(options: EssOptions = {}) {
    super("EssInternalError", "ESS failed internally; retry later.", options);
  }
}
