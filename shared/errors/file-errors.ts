import { AppError, CodeCarryingError, summarizeIssues, type Issue } from "./app-error";

/**
 * Refusals of an upload (`POST /ess/files`, `POST /essbasic/files`), decided before ESS is called.
 * Every problem found is listed with the part it concerns (`Files[1].FileBody`, `file[0]`); file
 * names are never echoed (they may name people).
 */

/** The issue code that means "this is not a PDF". */
export const NOT_A_PDF = "InvalidParameter.FileType";

/** Every problem found is a file that is not a PDF: 415 Unsupported Media Type. */
export class FilesNotPdf extends CodeCarryingError {
  constructor(issues: Issue[]) {
    super("FilesNotPdf", issues[0]!.Code, summarizeIssues(issues, "problems"), { issues });
  }
}

/** One or more files (or the body holding them) refused. */
export class UploadRefused extends CodeCarryingError {
  constructor(issues: Issue[]) {
    super("UploadRefused", issues[0]!.Code, summarizeIssues(issues, "problems"), { issues });
  }
}

/** The refusal for these problems: 415 when every one is a file that is not a PDF, else 400. */
export function uploadRefusal(issues: Issue[]): FilesNotPdf | UploadRefused {
  return issues.every((issue) => issue.Code === NOT_A_PDF) ? new FilesNotPdf(issues) : new UploadRefused(issues);
}

/** A request larger than a function URL takes, with what to do instead. */
export class UploadTooLarge extends AppError {
  constructor(limitBytes: number) {
    super(
      "UploadTooLarge",
      `Request body is larger than ${limitBytes} bytes, the most a function URL takes ` +
        `(about ${Math.floor((limitBytes * 3) / 4 / 1024 / 1024)} MB of PDF ` +
        "once base64-encoded): send fewer files per request, or upload a larger PDF with the official SDK's UploadFiles from your " +
        "backend (host file.ess.tencent.cn) and use its FileIds",
    );
  }
}

/** ESS answered UploadFiles with another number of FileIds than files sent. */
export class UploadAnswerIncomplete extends AppError {
  constructor(sent: number, answered: number, essRequestId?: string) {
    super("UploadAnswerIncomplete", `ESS answered ${answered} FileIds for ${sent} files; upload them again`, { essRequestId });
  }
}
