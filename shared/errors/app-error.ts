/**
 * One error type for everything a handler can answer with.
 *
 * `code` uses the ESS vocabulary (`InvalidParameter.FlowGroupName`, `LimitExceeded`, …) so a caller
 * reads the same words as in the ESS documentation. `expose` follows the middy rule: messages of
 * 4xx errors are written for the caller; messages of 5xx errors are replaced by a generic sentence.
 */
export interface Issue {
  /** Exact path of the offending field, e.g. `FlowFileInfos[3].FlowApprovers[0].Mobile`. */
  Path: string;
  /** ESS-style code, e.g. `InvalidParameter.Mobile`, `MissingParameter.FlowName`. */
  Code: string;
  /** What is wrong, in words; never echoes personal data. */
  Message: string;
}

export interface AppErrorOptions {
  issues?: Issue[];
  /** RequestId ESS gave to a failed call, kept so the caller can quote it to Tencent support. */
  essRequestId?: string;
  /** Extra response headers, e.g. `Allow` for 405 or `WWW-Authenticate` for 401. */
  headers?: Record<string, string>;
  /** Overrides the default (`httpStatus < 500`) for 5xx errors whose message we wrote ourselves. */
  expose?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly issues: Issue[] | undefined;
  readonly essRequestId: string | undefined;
  readonly headers: Record<string, string>;
  private readonly exposeOverride: boolean | undefined;

  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.issues = options.issues;
    this.essRequestId = options.essRequestId;
    this.headers = options.headers ?? {};
    this.exposeOverride = options.expose;
  }

  /** Whether `message` may be shown to the caller (4xx) or must be replaced (5xx). */
  get expose(): boolean {
    return this.exposeOverride ?? this.httpStatus < 500;
  }
}

/** 400 with every violation found, first one's code on top. */
export class ValidationError extends AppError {
  constructor(issues: Issue[], message?: string) {
    const first = issues[0];
    const code = first?.Code ?? "InvalidParameter";
    const summary =
      message ??
      (issues.length === 1
        ? `${first!.Path}: ${first!.Message}`
        : `${issues.length} parameter errors; first: ${first!.Path}: ${first!.Message}`);
    super(code, 400, summary, { issues });
    this.name = "ValidationError";
  }
}

export class NotFoundError extends AppError {
  constructor(message = "No such resource", code = "ResourceNotFound") {
    super(code, 404, message);
    this.name = "NotFoundError";
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(allowed: readonly string[]) {
    super("UnsupportedOperation.Method", 405, `Method not allowed; use ${allowed.join(", ")}`, {
      headers: { Allow: allowed.join(", ") },
    });
    this.name = "MethodNotAllowedError";
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super("LimitExceeded.BodySize", 413, `Request body is larger than ${limitBytes} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/** Stand-in message for every 5xx, so internals never reach a caller. */
export const GENERIC_5XX_MESSAGE = "The service could not complete the request; retry later or quote the RequestId.";
