/**
 * What kind of file an upload holds, from its first bytes (never from its name alone), and which
 * kinds each `UploadFiles.BusinessType` takes, as the SDK models list them.
 */

export type FileKind = "pdf" | "png" | "jpeg" | "doc" | "xls" | "docx" | "xlsx" | "html" | "zip";

/** The extensions a file name may carry for each kind ("文件名的后缀必须反映其文件类型"). */
export const EXTENSIONS: Record<FileKind, readonly string[]> = {
  pdf: ["pdf"],
  png: ["png"],
  jpeg: ["jpg", "jpeg"],
  doc: ["doc"],
  xls: ["xls"],
  docx: ["docx"],
  xlsx: ["xlsx"],
  html: ["html", "htm"],
  zip: ["zip"],
};

/** Kinds each BusinessType accepts (UploadFilesRequest.BusinessType in both editions' models). */
export const KINDS_BY_BUSINESS_TYPE: Record<string, ReadonlySet<FileKind>> = {
  TEMPLATE: new Set(["pdf", "doc", "docx", "html"]),
  DOCUMENT: new Set(["pdf", "doc", "docx", "jpeg", "png", "xls", "xlsx", "html"]),
  SEAL: new Set(["jpeg", "png"]),
  ARCHIVE: new Set(["pdf", "zip"]),
  BUSINESSLICENSE: new Set(["jpeg", "png"]),
};

const startsWith = (bytes: Buffer, signature: number[]): boolean => signature.every((b, i) => bytes[i] === b);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** The file name's extension, lower-cased ("" when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot + 1).toLowerCase();
}

/**
 * The kind of `bytes`. Office formats share containers (OLE for doc/xls, ZIP for docx/xlsx), so the
 * extension picks between them; anything unrecognised is undefined.
 */
export function detectKind(bytes: Buffer, fileName: string): FileKind | undefined {
  const ext = extensionOf(fileName);
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (startsWith(bytes, PNG)) return "png";
  if (startsWith(bytes, JPEG)) return "jpeg";
  if (startsWith(bytes, OLE)) return ext === "xls" ? "xls" : "doc";
  if (startsWith(bytes, ZIP)) return ext === "docx" ? "docx" : ext === "xlsx" ? "xlsx" : "zip";
  const head = bytes
    .subarray(0, 512)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "html";
  return undefined;
}

/** Whether the kind is an image (the smaller size limit applies). */
export function isImage(kind: FileKind): boolean {
  return kind === "png" || kind === "jpeg";
}
