import { AppError, PayloadTooLargeError, type Issue } from "./app-error";

/**
 * Refusals of an upload (`POST /ess/files`, `POST /essbasic/files`), decided before ESS is called.
 * Every problem found is listed with the part it concerns (`Files[1].FileBody`, `file[0]`); file
 * names are never echoed (they may name people).
 */

/** Issue codes that mean "this is not a PDF": alone they make the answer 415 Unsupported Media Type. */
export const NOT_A_PDF = "InvalidParameter.FileType";

/** One or more files (or the body holding them) refused: 415 when every problem is a file that is not a PDF, else 400. */
export class UploadRefused extends AppError {
  constructor(issues: Issue[]) {
    const first = issues[0]!;
    const status = issues.every((issue) => issue.Code === NOT_A_PDF) ? 415 : 400;
    const summary =
      issues.length === 1 ? `${first.Path}: ${first.Message}` : `${issues.length} problems; first: ${first.Path}: ${first.Message}`;
    super(first.Code, status, summary, { issues });
    this.name = "UploadRefused";
  }
}

/** A request larger than a function URL takes, with what to do instead. */
export class UploadTooLarge extends PayloadTooLargeError {
  constructor(limitBytes: number) {
    super(limitBytes);
    this.message =
      `Request body is larger than ${limitBytes} bytes, the most a function URL takes ` +
      `(about ${Math.floor((limitBytes * 3) / 4 / 1024 / 1024)} MB of PDF ` +
      "once base64-encoded): send fewer files per request, or upload a larger PDF with the official SDK's UploadFiles from your " +
      "backend (host file.ess.tencent.cn) and use its FileIds";
    this.name = "UploadTooLarge";
  }
}

/** ESS answered UploadFiles with another number of FileIds than files sent. */
export class UploadAnswerIncomplete extends AppError {
  constructor(sent: number, answered: number, essRequestId?: string) {
    super("FailedOperation.UploadFiles", 502, `ESS answered ${answered} FileIds for ${sent} files; upload them again`, {
      expose: true,
      essRequestId,
    });
    this.name = "UploadAnswerIncomplete";
  }
}
