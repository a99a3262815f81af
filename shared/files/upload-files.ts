import type { Issue } from "../errors/app-error";
import { NOT_A_PDF, UploadAnswerIncomplete, uploadRefusal } from "../errors/file-errors";
import type { Edition } from "../ess/edition";
import type { EssPort, UploadFilesCall, ConfiguredIdentity } from "../ess/port";
import { applyCallerIdentity } from "../groups/identity";
import type { Logger } from "../log/logger";
import { inspectPdf } from "./pdf-check";

/**
 * An upload request as it arrived, either as `multipart/form-data` (one or more `file` parts, plus
 * optional identity fields) or as JSON (`{"Files":[{"FileName","FileBody":"<base64>"}], …}`),
 * decoded into the same shape by shared/http/upload-request.ts, which also collects problems of form
 * (unknown fields, a part without a file name, base64 that is not); the files are judged here.
 */
export interface UploadedFile {
  /** Where the file is in the request: `Files[1]` (JSON) or `file[1]` (the second `file` part). */
  path: string;
  /** The name the caller gave, without any folder part. */
  fileName?: string;
  /** A multipart part's own Content-Type, when it declared one. */
  declaredType?: string;
  bytes: Buffer;
  /**
   * True when the part travelled as raw bytes inside a text event and holds U+FFFD: a function URL
   * passes the body as text, so bytes that are not UTF-8 were replaced on the way.
   */
  maybeAltered: boolean;
}

export interface UploadRequest {
  form: "multipart" | "json";
  files: UploadedFile[];
  /** `Operator` / `Agent` as a create request names them, for identity defaults and pinning. */
  identity: Record<string, unknown>;
  /** Problems of form found while reading. */
  issues: Issue[];
}

/**
 * Contract PDFs in, FileIds out: every file is checked here before ESS is called (`UploadFiles` on
 * the file host), so a file ESS would refuse costs no call and a batch with one bad file is
 * refused whole, as ESS itself refuses it ("如果一个文件上传失败, 则全部文件皆上传失败").
 *
 * Limits are the SDK models': at most 20 files a call ("最多可上传20个文件"), a PDF at most 60 MB
 * ("PDF/word/excel等其他格式限制大小为60M以下"), a name at most 200 characters ending in `.pdf`
 * ("文件名的后缀必须反映其文件类型"). The function URL's 6 MB per request binds long before 60 MB.
 */
export const UPLOAD_LIMITS = { files: 20, pdfBytes: 60 * 1024 * 1024, fileNameChars: 200 } as const;

export interface UploadFilesDeps {
  ess: Pick<EssPort, "uploadFiles">;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

export interface UploadFilesInput {
  edition: Edition;
  request: UploadRequest;
  timeoutMs?: number;
}

export interface UploadFilesResponse {
  /** One per file, in upload order. */
  FileIds: string[];
  /** What was checked of each file (its FileId, name, pages, size), in upload order. */
  Files: Array<{ FileId: string; FileName: string; Pages: number; Bytes: number }>;
  /** When the FileIds stop working: ESS's `Deadline`, or one hour after the upload when it gives none. */
  ExpiresAt: string;
  /** ESS's RequestId. */
  RequestId?: string;
}

/** What a multipart file that travelled as text and does not parse most likely went through. */
const ALTERED_IN_TRANSIT =
  "its bytes were changed on the way: a function URL passes the request body as text, so raw PDF bytes that are not UTF-8 " +
  'are replaced. Send it base64-encoded: JSON {"Files":[{"FileName","FileBody"}]}, or the part with Content-Transfer-Encoding: ' +
  "base64 (curl -F 'file=@contract.pdf;encoder=base64')";

/**
 * Checks every file (name, size, a real PDF with pages), fills and pins the caller identity as the
 * create route does, then makes one `UploadFiles` call for all of them. All problems are reported
 * at once; nothing reaches ESS unless there are none.
 */
export async function uploadFiles(input: UploadFilesInput, deps: UploadFilesDeps): Promise<UploadFilesResponse> {
  const { edition, request } = input;
  const issues: Issue[] = [...request.issues];
  if (request.files.length === 0 && !issues.some((i) => i.Path === "Files" || i.Path.startsWith("Files["))) {
    const path = request.form === "multipart" ? "file" : "Files";
    issues.push({ Path: path, Code: "MissingParameter.Files", Message: "is required: at least one PDF" });
  }
  if (request.files.length > UPLOAD_LIMITS.files) {
    issues.push({
      Path: "Files",
      Code: "LimitExceeded.FileCount",
      Message: `holds ${request.files.length} files; UploadFiles takes at most ${UPLOAD_LIMITS.files}`,
    });
  }
  const checked = request.files.map((file) => checkFile(file, issues));
  if (issues.length > 0) throw uploadRefusal(issues);

  const caller = callerOf(edition, request.identity, deps.identity);
  const fileInfos = request.files.map((file, i) => ({ FileName: checked[i]!.fileName, FileBody: file.bytes.toString("base64") }));
  const call: UploadFilesCall =
    caller.edition === "ess"
      ? {
          edition: "ess",
          request: {
            BusinessType: "DOCUMENT",
            FileType: "pdf",
            Caller: { OperatorId: caller.operatorId },
            Agent: caller.agent,
            FileInfos: fileInfos,
          },
        }
      : { edition: "essbasic", request: { BusinessType: "DOCUMENT", Agent: caller.agent, FileInfos: fileInfos } };
  const uploadedAt = deps.clock().getTime();
  const answer = await deps.ess.uploadFiles(call, { timeoutMs: input.timeoutMs });
  const fileIds = answer.FileIds ?? [];
  if (fileIds.length !== request.files.length) throw new UploadAnswerIncomplete(request.files.length, fileIds.length, answer.RequestId);
  deps.log.info("files uploaded", {
    files: fileIds.length,
    bytes: request.files.reduce((n, f) => n + f.bytes.length, 0),
    essRequestId: answer.RequestId,
  });
  return {
    FileIds: fileIds,
    Files: fileIds.map((fileId, i) => ({
      FileId: fileId,
      FileName: checked[i]!.fileName,
      Pages: checked[i]!.pages,
      Bytes: request.files[i]!.bytes.length,
    })),
    ExpiresAt: new Date(typeof answer.Deadline === "number" ? answer.Deadline * 1000 : uploadedAt + 3_600_000).toISOString(),
    RequestId: answer.RequestId,
  };
}

/** A file's name and page count, or its problems added to `issues`. */
function checkFile(file: UploadedFile, issues: Issue[]): { fileName: string; pages: number } {
  const nameIssue = fileNameProblem(file.fileName);
  const namePath = file.path.startsWith("Files[") ? `${file.path}.FileName` : file.path;
  const bodyPath = file.path.startsWith("Files[") ? `${file.path}.FileBody` : file.path;
  if (nameIssue) issues.push({ Path: namePath, ...nameIssue });
  if (
    file.declaredType !== undefined &&
    !["application/pdf", "application/octet-stream", "application/x-pdf"].includes(file.declaredType)
  ) {
    issues.push({
      Path: bodyPath,
      Code: NOT_A_PDF,
      Message: "is declared as another type than application/pdf; only PDFs start a contract",
    });
    return { fileName: "", pages: 0 };
  }
  if (file.bytes.length === 0) {
    issues.push({ Path: bodyPath, Code: "MissingParameter.FileBody", Message: "is empty" });
    return { fileName: "", pages: 0 };
  }
  if (file.bytes.length > UPLOAD_LIMITS.pdfBytes) {
    issues.push({
      Path: bodyPath,
      Code: "LimitExceeded.FileSize",
      Message: `is larger than the ${UPLOAD_LIMITS.pdfBytes / 1024 / 1024} MB UploadFiles takes for a PDF`,
    });
    return { fileName: "", pages: 0 };
  }
  const verdict = inspectPdf(file.bytes);
  if (verdict.ok && verdict.repaired && file.maybeAltered) {
    issues.push({ Path: bodyPath, Code: "InvalidParameter.FileBody", Message: `is not an intact PDF: ${ALTERED_IN_TRANSIT}` });
    return { fileName: "", pages: 0 };
  }
  if (!verdict.ok) {
    const altered = verdict.reason === "damaged" && file.maybeAltered;
    issues.push({
      Path: bodyPath,
      Code: verdict.reason === "not-pdf" ? NOT_A_PDF : "InvalidParameter.FileBody",
      Message: altered ? `is not a readable PDF: ${ALTERED_IN_TRANSIT}` : verdict.problem,
    });
    return { fileName: "", pages: 0 };
  }
  return { fileName: file.fileName ?? "", pages: verdict.pages };
}

/** Why a file name will not do, or undefined. ESS wants the suffix to match the type. */
function fileNameProblem(name: string | undefined): { Code: string; Message: string } | undefined {
  if (name === undefined) return { Code: "MissingParameter.FileName", Message: "needs a file name ending in .pdf" };
  if (Array.from(name).length > UPLOAD_LIMITS.fileNameChars)
    return { Code: "InvalidParameter.FileName", Message: `is longer than ${UPLOAD_LIMITS.fileNameChars} characters` };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { Code: "InvalidParameter.FileName", Message: "contains control characters" };
  if (!name.toLowerCase().endsWith(".pdf") || name.length <= 4)
    return { Code: "InvalidParameter.FileName", Message: "must end in .pdf (ESS: the suffix must match the file's type)" };
  return undefined;
}

type UploadCaller =
  | { edition: "ess"; operatorId: string; agent?: { ProxyOrganizationId: string } }
  | { edition: "essbasic"; agent: { AppId: string; ProxyOrganizationOpenId: string; ProxyOperator: { OpenId: string } } };

/**
 * Who uploads: the request's `Operator` / `Agent`, filled in and pinned by the configured identity
 * exactly as for a create (403 when it names someone else). UploadFiles needs ess `Caller.OperatorId`,
 * essbasic the whole `Agent`.
 */
function callerOf(edition: Edition, given: Record<string, unknown>, configured: ConfiguredIdentity): UploadCaller {
  const body = applyCallerIdentity(edition, given, configured) as { Operator?: { UserId?: unknown }; Agent?: Record<string, unknown> };
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const missing = (path: string, setting: string): never => {
    throw uploadRefusal([{ Path: path, Code: `MissingParameter.${path}`, Message: `is required to upload (or configure ${setting})` }]);
  };
  if (edition === "ess") {
    const operatorId = text(body.Operator?.UserId) ?? missing("Operator.UserId", "ESS_OPERATOR_USER_ID");
    const proxy = text(body.Agent?.ProxyOrganizationId);
    return { edition, operatorId, agent: proxy === undefined ? undefined : { ProxyOrganizationId: proxy } };
  }
  const agent = body.Agent ?? {};
  const operator = (agent.ProxyOperator ?? {}) as Record<string, unknown>;
  return {
    edition,
    agent: {
      AppId: text(agent.AppId) ?? missing("Agent.AppId", "ESSBASIC_APP_ID"),
      ProxyOrganizationOpenId:
        text(agent.ProxyOrganizationOpenId) ?? missing("Agent.ProxyOrganizationOpenId", "ESSBASIC_PROXY_ORGANIZATION_OPEN_ID"),
      ProxyOperator: { OpenId: text(operator.OpenId) ?? missing("Agent.ProxyOperator.OpenId", "ESSBASIC_PROXY_OPERATOR_OPEN_ID") },
    },
  };
}
