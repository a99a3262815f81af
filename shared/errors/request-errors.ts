import { AppError, CodeCarryingError, GENERIC_5XX_MESSAGE, summarizeIssues, type Issue } from "./app-error";

/** Refusals of a request before any use case runs: routing, body decoding, content types, validation. */

/** No route has this path. */
export class RouteNotFound extends AppError {
  constructor(method: string, path: string) {
    super("RouteNotFound", `No route for ${method.toUpperCase()} ${path.split("?")[0]}`);
  }
}

/** Routes have this path, but not this method. */
export class MethodNotAllowed extends AppError {
  constructor(allowed: readonly string[]) {
    super("MethodNotAllowed", `Method not allowed; use ${allowed.join(", ")}`, { headers: { Allow: allowed.join(", ") } });
  }
}

/** A body above the route's limit. */
export class BodyTooLarge extends AppError {
  constructor(limitBytes: number) {
    super("BodyTooLarge", `Request body is larger than ${limitBytes} bytes`);
  }
}

/** A body that cannot be read as the JSON the route takes: not UTF-8, empty, or not JSON. */
export class BodyUnreadable extends AppError {
  constructor(why: string) {
    super("BodyUnreadable", why);
  }
}

/** A JSON body that nests objects and arrays deeper than any valid request does. */
export class JsonTooDeep extends AppError {
  constructor(what: string, maxDepth: number) {
    super("JsonTooDeep", `${what} nests objects and arrays deeper than ${maxDepth} levels`);
  }
}

/** A body whose Content-Type the route does not take (e.g. a PDF posted to a JSON route). */
export class UnsupportedContentType extends AppError {
  constructor(accepted: string, hint = "") {
    super("UnsupportedContentType", `This route takes ${accepted}${hint ? `; ${hint}` : ""}`, {
      headers: { Accept: accepted.replace(/ or /g, ", ") },
    });
  }
}

/** A body on a JSON route that is not declared `application/json` (the local gateway's check). */
export class JsonContentTypeRequired extends AppError {
  constructor() {
    super("JsonContentTypeRequired", "This route takes a JSON body: send Content-Type: application/json");
  }
}

/** A request whose `Host` is not one this local server answers to (DNS rebinding). */
export class HostRefused extends AppError {
  constructor() {
    super("HostRefused", "This local server answers only to 127.0.0.1, localhost and [::1]");
  }
}

/** A request sent by a web page of another origin. */
export class OriginRefused extends AppError {
  constructor() {
    super("OriginRefused", "Requests from web pages of another origin are refused");
  }
}

/** 400 with every violation found, the first one's code on top. */
export class ValidationError extends CodeCarryingError {
  constructor(issues: Issue[], message?: string) {
    super("ValidationError", issues[0]?.Code ?? "InvalidParameter", message ?? summarizeIssues(issues), { issues });
  }
}

/** Anything thrown that is not an `AppError`: a generic 500, its message never shown. */
export class UnexpectedError extends AppError {
  constructor(cause: unknown) {
    super("UnexpectedError", GENERIC_5XX_MESSAGE, { cause });
  }
}

/**
 * A request reached a function whose configuration did not load. The caller gets a generic 500; the
 * function's log names the variables (never their values).
 */
export class FunctionMisconfigured extends AppError {
  constructor(fn: string) {
    super("FunctionMisconfigured", `Function ${fn} is misconfigured; its log names the setting to fix`);
  }
}

/** The local gateway's answers when a function does not answer as the platform requires (SCF answers 502 alike). */
export class FunctionTimedOut extends AppError {
  constructor(fn: string, timeoutMs: number) {
    super("FunctionTimedOut", `Function ${fn} timed out after ${timeoutMs} ms`);
  }
}

export class FunctionAnswerInvalid extends AppError {
  constructor(fn: string) {
    super("FunctionAnswerInvalid", `Function ${fn} returned an invalid integrated response`);
  }
}

export class FunctionFailed extends AppError {
  constructor(fn: string) {
    super("FunctionFailed", `Function ${fn} failed`);
  }
}
