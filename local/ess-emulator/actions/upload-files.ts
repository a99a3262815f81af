import type { Edition } from "../core/model";
import { detectKind, EXTENSIONS, extensionOf, isImage, KINDS_BY_BUSINESS_TYPE, type FileKind } from "../documents/file-kinds";
import { countPdfPages, PdfProblem } from "../documents/pdf";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readArray, readInteger, readObject, readString, type Json } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essCaller } from "./identity";

/**
 * `UploadFiles` of both editions (served on the API port and on the file host's port). Each file
 * is checked the way the service does before it keeps it: its bytes must be a kind the
 * BusinessType takes (magic bytes, not the name), its name's extension must match, a PDF must
 * parse, be unencrypted and have pages, and the size limits of the SDK comments hold. All files
 * are read before anything is kept: one bad file fails the whole call ("如果一个文件上传失败, 则全部
 * 文件皆上传失败"). The emulator keeps the bytes, the name and the page count; the FileIds work for
 * one hour.
 */

const FILE_LIFETIME_SECONDS = 3600;
const MAX_FILES = 20;
const MiB = 1024 * 1024;
/** "图片类型(png/jpg/jpeg)限制大小为5M以下, PDF/word/excel等其他格式限制大小为60M以下". */
export const UPLOAD_LIMITS = { image: 5 * MiB, businessLicense: 8 * MiB, other: 60 * MiB } as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** `FileType` values of the ess model. */
const FILE_TYPES: Record<string, FileKind> = {
  pdf: "pdf",
  doc: "doc",
  docx: "docx",
  xls: "xls",
  xlsx: "xlsx",
  html: "html",
  jpg: "jpeg",
  jpeg: "jpeg",
  png: "png",
};

/** Error codes per edition: the ess error list has no file-type or file-size code, essbasic has both. */
const CODES: Record<Edition, { type: string; size: string }> = {
  ess: { type: "InvalidParameter.ResourceType", size: "LimitExceeded" },
  essbasic: { type: "InvalidParameter.FileType", size: "LimitExceeded.FileSize" },
};

interface CheckedFile {
  fileName: string;
  bytes: Buffer;
  kind: FileKind;
  pages?: number;
}

function sizeLimit(kind: FileKind, businessType: string): number {
  if (!isImage(kind)) return UPLOAD_LIMITS.other;
  return businessType === "BUSINESSLICENSE" ? UPLOAD_LIMITS.businessLicense : UPLOAD_LIMITS.image;
}

async function checkFile(raw: unknown, i: number, ctx: ActionContext, businessType: string, wanted?: FileKind): Promise<CheckedFile> {
  const codes = CODES[ctx.edition];
  const path = `FileInfos[${i}]`;
  const info = readObject(raw, path);
  if (!info) throw missing(path);
  const text = readString(info.FileBody, `${path}.FileBody`, { required: true })!.replace(/\s+/g, "");
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw invalid(`${path}.FileBody`, "is not base64", "InvalidParameter.ParamError");
  const bytes = Buffer.from(text, "base64");
  if (bytes.length === 0) throw missing(`${path}.FileBody`);
  const givenName =
    readString(info.FileName, `${path}.FileName`, { maxLength: 200, invalidCode: "InvalidParameter.ParamError" }) || undefined;
  const kind = detectKind(bytes, givenName ?? "");
  if (kind === undefined)
    throw invalid(`${path}.FileBody`, "is not a file type UploadFiles accepts (PDF, Word, Excel, HTML, PNG or JPEG)", codes.type);
  if (!KINDS_BY_BUSINESS_TYPE[businessType]!.has(kind))
    throw invalid(`${path}.FileBody`, `holds a ${kind.toUpperCase()} file, which BusinessType ${businessType} does not take`, codes.type);
  if (wanted !== undefined && kind !== wanted) throw invalid(`${path}.FileBody`, "does not hold the type FileType names", codes.type);
  if (givenName !== undefined && !EXTENSIONS[kind].includes(extensionOf(givenName)))
    throw invalid(`${path}.FileName`, `must end in .${EXTENSIONS[kind][0]} for the file it names`, codes.type);
  const limit = sizeLimit(kind, businessType);
  if (bytes.length > limit)
    throw invalid(`${path}.FileBody`, `is larger than the ${limit / MiB} MB allowed for this file type`, codes.size);
  let pages: number | undefined;
  if (kind === "pdf") {
    try {
      pages = await countPdfPages(bytes);
    } catch (error) {
      if (error instanceof PdfProblem) throw invalid(`${path}.FileBody`, error.message, codes.type);
      throw error;
    }
  }
  return { fileName: givenName ?? `file.${EXTENSIONS[kind][0]}`, bytes, kind, pages };
}

async function storeFiles(body: Json, ctx: ActionContext, appId?: string): Promise<Record<string, unknown>> {
  const businessType = readString(body.BusinessType, "BusinessType", { required: true })!;
  if (!KINDS_BY_BUSINESS_TYPE[businessType])
    throw invalid("BusinessType", "is not a supported business type", "InvalidParameter.ParamError");
  if (readInteger(body.Deadline, "Deadline") !== undefined)
    throw new ApiError(
      "OperationDenied.WhiteListForbid",
      "`Deadline` (a file lifetime other than one hour) is a whitelist feature this account lacks.",
    );
  const fileType = readString(body.FileType, "FileType");
  const wanted = fileType ? FILE_TYPES[fileType.toLowerCase()] : undefined;
  if (fileType && wanted === undefined) throw invalid("FileType", "is not a supported file type", "InvalidParameter.ParamError");
  const infos = readArray(body.FileInfos, "FileInfos");
  if (!infos || infos.length === 0) throw missing("FileInfos");
  if (infos.length > MAX_FILES) throw invalid("FileInfos", `holds more than ${MAX_FILES} files`, "InvalidParameter.ParamError");
  const files: CheckedFile[] = [];
  for (let i = 0; i < infos.length; i++) files.push(await checkFile(infos[i], i, ctx, businessType, wanted));
  // essbasic: "若上传多个文件，所有文件必须为相同类型".
  if (ctx.edition === "essbasic" && files.some((f) => f.kind !== files[0]!.kind))
    throw invalid("FileInfos", "mixes file types; all files of one call must be of the same type", CODES.essbasic.type);

  // Everything checked: now keep the files (nothing above changed any state).
  const expiresAt = nowSeconds(ctx) + FILE_LIFETIME_SECONDS;
  const fileIds = files.map((f) => {
    const fileId = ctx.ids.id();
    ctx.blobs.put(fileId, f.bytes);
    ctx.world.addFile({
      fileId,
      edition: ctx.edition,
      fileName: f.fileName,
      size: f.bytes.length,
      expiresAt,
      kind: f.kind,
      pages: f.pages,
      appId,
    });
    return fileId;
  });
  return { FileIds: fileIds, TotalCount: fileIds.length, Deadline: expiresAt };
}

/** ess `UploadFiles` (the caller is `Caller.OperatorId`). */
export const essUploadFiles: ActionHandler = (body, ctx) => {
  const caller = readObject(body.Caller, "Caller");
  essCaller(body, ctx, readString(caller?.OperatorId, "Caller.OperatorId"), "Caller.OperatorId");
  return storeFiles(body, ctx);
};

/** essbasic `UploadFiles` (files belong to `Agent.AppId`). */
export const essbasicUploadFiles: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  if (owner.appId === undefined) throw new ApiError("InternalError", "agent without application");
  return storeFiles(body, ctx, owner.appId);
};
