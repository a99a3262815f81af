/**
 * An error answered the way Tencent Cloud API 3.0 answers: HTTP 200 with
 * `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. Messages name parameters, never their
 * values, so personal data never lands in an error body.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A missing parameter (`MissingParameter` or an action-specific code). */
export function missing(path: string, code = "MissingParameter"): ApiError {
  return new ApiError(code, `The request is missing a required parameter \`${path}\`.`);
}

/** A parameter with a bad value. */
export function invalid(path: string, reason: string, code = "InvalidParameter"): ApiError {
  return new ApiError(code, `Parameter \`${path}\` ${reason}.`);
}

/** A parameter of the wrong JSON type. */
export function wrongType(path: string, expected: string): ApiError {
  return new ApiError("InvalidParameter", `The value type of parameter \`${path}\` is not valid: expected ${expected}.`);
}

/** The wire body of a success. */
export function successBody(requestId: string, data: Record<string, unknown>): string {
  return JSON.stringify({ Response: { ...data, RequestId: requestId } });
}

/** The wire body of a failure. */
export function errorBody(requestId: string, code: string, message: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}
