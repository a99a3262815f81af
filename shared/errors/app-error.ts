import { ERROR_TABLE, type CodeCarryingName, type ErrorName } from "./error-table";

/**
 * The base of every error a handler answers with. Each error is a class of its own, named for what
 * happened and raised where it happens (`throw new GroupNotFound(id)`); its HTTP status, ESS-style
 * code and `expose` come from its row in `error-table.ts`, the one place they are chosen.
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
  essRequestId?: string | undefined;
  /** Extra response headers, e.g. `Allow` for 405 or `WWW-Authenticate` for 401. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export abstract class AppError extends Error {
  override readonly name: ErrorName;
  readonly code: string;
  readonly httpStatus: number;
  /** Whether `message` may be shown to the caller (4xx, or a 5xx whose row says so). */
  readonly expose: boolean;
  readonly issues: Issue[] | undefined;
  readonly essRequestId: string | undefined;
  readonly headers: Record<string, string>;

  /**
   * `name` picks the error's row in the table; `code` is given only by errors whose row carries
   * none (ESS's own code, or the first issue's).
   */
  protected constructor(name: ErrorName, message: string, options: AppErrorOptions & { code?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const row: { status: number; code?: string; expose?: true } = ERROR_TABLE[name];
    this.name = name;
    this.code = row.code ?? options.code ?? "InternalError";
    this.httpStatus = row.status;
    this.expose = row.expose ?? row.status < 500;
    this.issues = options.issues;
    this.essRequestId = options.essRequestId;
    this.headers = options.headers ?? {};
  }
}

/** An error whose row leaves the code to it: the constructor takes the code. */
export abstract class CodeCarryingError extends AppError {
  protected constructor(name: CodeCarryingName, code: string, message: string, options: AppErrorOptions = {}) {
    super(name, message, { ...options, code });
  }
}

/** Stand-in message for every 5xx, so internals never reach a caller. */
export const GENERIC_5XX_MESSAGE = "The service could not complete the request; retry later or quote the RequestId.";

/** `n problems; first: Path: Message` (or the one problem), the summary every list of issues answers with. */
export function summarizeIssues(issues: readonly Issue[], noun = "parameter errors"): string {
  const first = issues[0];
  if (first === undefined) return "The request is not valid";
  return issues.length === 1 ? `${first.Path}: ${first.Message}` : `${issues.length} ${noun}; first: ${first.Path}: ${first.Message}`;
}
