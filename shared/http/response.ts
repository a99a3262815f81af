import { AppError, GENERIC_5XX_MESSAGE, type Issue } from "../errors/app-error";
import { UnexpectedError } from "../errors/request-errors";
import { maskDeep, maskText } from "../log/mask";
import type { IntegratedResponse } from "./scf-types";

/** At most this many issues go into one error body; the rest are counted. */
export const MAX_ISSUES_IN_BODY = 100;

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): IntegratedResponse {
  return { isBase64Encoded: false, statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The body every error answers with (see docs/architecture.md, "Errors on the wire"). */
export interface ErrorBody {
  Error: {
    Code: string;
    Message: string;
    Issues?: Issue[];
    IssuesOmitted?: number;
    EssRequestId?: string;
  };
  RequestId: string;
}

/**
 * Turns any thrown value into an error response. Unknown errors become a generic 500; 5xx
 * messages are replaced unless the error says it was written for the caller; everything that goes
 * out is masked once more, so a field value echoed by mistake still hides mobiles and ID numbers.
 */
export function errorResponse(error: unknown, requestId: string): IntegratedResponse {
  const appError = error instanceof AppError ? error : new UnexpectedError(error);
  const issues = appError.issues;
  const body: ErrorBody = {
    Error: {
      Code: appError.code,
      Message: appError.expose ? maskText(appError.message) : GENERIC_5XX_MESSAGE,
      Issues: issues && issues.length > 0 ? (maskDeep(issues.slice(0, MAX_ISSUES_IN_BODY)) as Issue[]) : undefined,
      IssuesOmitted: issues && issues.length > MAX_ISSUES_IN_BODY ? issues.length - MAX_ISSUES_IN_BODY : undefined,
      EssRequestId: appError.essRequestId || undefined,
    },
    RequestId: requestId,
  };
  return jsonResponse(appError.httpStatus, body, appError.headers);
}
