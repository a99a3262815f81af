import type { Issue } from "../errors/app-error";
import { uploadRefusal, UploadTooLarge } from "../errors/file-errors";
import { UnsupportedContentType } from "../errors/request-errors";
import type { Edition } from "../ess/edition";
import { isJsonMediaType, mediaType, parseJsonRequest } from "./content-type";
import { header, rawBody, REQUEST_BODY_LIMIT } from "./request";
import type { HttpEvent } from "./scf-types";
import { BASE64_CIPHERTEXT } from "../text/input-patterns";
import { MultipartError, multipartBoundary, parseMultipart, type MultipartPart } from "../files/multipart";
import type { UploadedFile, UploadRequest } from "../files/upload-files";

/** The body limit of a function URL request (6 MB): uploads larger than this never reach the function. */
export const UPLOAD_BODY_LIMIT = REQUEST_BODY_LIMIT;

/** Identity fields a multipart upload may carry as text parts (the same paths as in a create request). */
const IDENTITY_FIELDS: Record<Edition, readonly string[]> = {
  ess: ["Operator.UserId", "Agent.ProxyOrganizationId"],
  essbasic: ["Agent.AppId", "Agent.ProxyOrganizationOpenId", "Agent.ProxyOperator.OpenId"],
};

/**
 * Reads an upload request: 413 over the function URL limit, 415 for a Content-Type other than
 * multipart/form-data or JSON, 400 for a body that is not well-formed.
 */
export function readUploadRequest(event: HttpEvent, edition: Edition): UploadRequest {
  const bytes = rawBody(event);
  if (bytes.length > UPLOAD_BODY_LIMIT) throw new UploadTooLarge(UPLOAD_BODY_LIMIT);
  const type = mediaType(event);
  if (type === "multipart/form-data") return readMultipart(bytes, header(event, "content-type")!, edition, event.isBase64Encoded === true);
  if (!isJsonMediaType(type)) throw new UnsupportedContentType("multipart/form-data or application/json");
  return readJson(parseJsonRequest(event, UPLOAD_BODY_LIMIT), edition);
}

function readMultipart(body: Buffer, contentType: string, edition: Edition, base64Event: boolean): UploadRequest {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined)
    refuse("Content-Type", "InvalidParameter.ContentType", "multipart/form-data needs a valid boundary parameter");
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(body, boundary);
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    refuse(
      error.part === undefined ? "Body" : `part[${error.part}]`,
      "InvalidParameter.Body",
      `is not well-formed multipart/form-data: ${error.message}`,
    );
  }
  const issues: Issue[] = [];
  const files: UploadedFile[] = [];
  const identity: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const part of parts) {
    if (part.name === "file") {
      const file = multipartFile(part, files.length, base64Event, issues);
      if (file) files.push(file);
      continue;
    }
    if (!IDENTITY_FIELDS[edition].includes(part.name) || part.filename !== undefined) {
      issues.push({
        Path: part.name.slice(0, 64),
        Code: "UnknownParameter",
        Message: `is not a field of this upload (file, ${IDENTITY_FIELDS[edition].join(", ")})`,
      });
    } else if (seen.has(part.name)) {
      issues.push({ Path: part.name, Code: "InvalidParameter", Message: "is given twice" });
    } else {
      seen.add(part.name);
      setPath(identity, part.name, part.body.toString("utf8"));
    }
  }
  return { form: "multipart", files, identity, issues };
}

function multipartFile(part: MultipartPart, index: number, base64Event: boolean, issues: Issue[]): UploadedFile | undefined {
  const path = `file[${index}]`;
  const encoding = part.transferEncoding;
  let bytes = part.body;
  if (encoding === "base64") {
    const decoded = decodeBase64(part.body.toString("latin1"));
    if (decoded === undefined) {
      issues.push({ Path: path, Code: "InvalidParameter.FileBody", Message: "says Content-Transfer-Encoding: base64 but is not base64" });
      return undefined;
    }
    bytes = decoded;
  } else if (encoding !== undefined && !["binary", "8bit", "7bit"].includes(encoding)) {
    issues.push({
      Path: path,
      Code: "InvalidParameter.ContentTransferEncoding",
      Message: "uses a Content-Transfer-Encoding other than base64, binary, 8bit or 7bit",
    });
    return undefined;
  }
  const raw = encoding !== "base64" && !base64Event;
  return {
    path,
    fileName: baseName(part.filename),
    declaredType: part.contentType,
    bytes,
    maybeAltered: raw && bytes.includes(REPLACEMENT_CHARACTER),
  };
}

function readJson(body: unknown, edition: Edition): UploadRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    refuse("Body", "InvalidParameter.Body", "must be a JSON object with Files");
  const fields = body as Record<string, unknown>;
  const issues: Issue[] = [];
  const identityKeys = edition === "ess" ? ["Operator", "Agent"] : ["Agent"];
  for (const key of Object.keys(fields)) {
    if (key !== "Files" && !identityKeys.includes(key)) {
      issues.push({
        Path: key.slice(0, 64),
        Code: "UnknownParameter",
        Message: `is not a field of this upload (Files, ${identityKeys.join(", ")})`,
      });
    }
  }
  const identity: Record<string, unknown> = {};
  for (const key of identityKeys) {
    if (fields[key] === undefined) continue;
    identity[key] = fields[key];
    for (const path of unknownIdentityPaths(fields[key], key, edition)) {
      issues.push({
        Path: path,
        Code: "UnknownParameter",
        Message: `is not an identity field of this upload (${IDENTITY_FIELDS[edition].join(", ")})`,
      });
    }
  }
  const list = fields.Files;
  if (list === undefined) issues.push({ Path: "Files", Code: "MissingParameter.Files", Message: "is required: the PDFs to upload" });
  else if (!Array.isArray(list))
    issues.push({ Path: "Files", Code: "InvalidParameter.Files", Message: "must be an array of {FileName, FileBody}" });
  const files: UploadedFile[] = [];
  (Array.isArray(list) ? list : []).forEach((item, i) => {
    const file = jsonFile(item, `Files[${i}]`, issues);
    if (file) files.push(file);
  });
  return { form: "json", files, identity, issues };
}

function jsonFile(item: unknown, path: string, issues: Issue[]): UploadedFile | undefined {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    issues.push({ Path: path, Code: "InvalidParameter.Files", Message: "must be an object {FileName, FileBody}" });
    return undefined;
  }
  const { FileName, FileBody, ...rest } = item as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    issues.push({
      Path: `${path}.${key.slice(0, 64)}`,
      Code: "UnknownParameter",
      Message: "is not a field of a file (FileName, FileBody)",
    });
  }
  if (FileName !== undefined && typeof FileName !== "string") {
    issues.push({ Path: `${path}.FileName`, Code: "InvalidParameter.FileName", Message: "must be a string" });
  }
  if (typeof FileBody !== "string" || FileBody === "") {
    const code = FileBody === undefined || FileBody === "" ? "MissingParameter.FileBody" : "InvalidParameter.FileBody";
    issues.push({ Path: `${path}.FileBody`, Code: code, Message: "must be the file's bytes in base64" });
    return undefined;
  }
  const bytes = decodeBase64(FileBody);
  if (bytes === undefined) {
    issues.push({ Path: `${path}.FileBody`, Code: "InvalidParameter.FileBody", Message: "is not base64" });
    return undefined;
  }
  return { path, fileName: typeof FileName === "string" ? baseName(FileName) : undefined, bytes, maybeAltered: false };
}

/** Identity fields inside `Operator` / `Agent` that this upload does not take. */
function unknownIdentityPaths(value: unknown, key: string, edition: Edition): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [key];
  const allowed = IDENTITY_FIELDS[edition].filter((p) => p.startsWith(`${key}.`));
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [field, child] of Object.entries(node)) {
      const path = `${prefix}.${field.slice(0, 64)}`;
      if (allowed.includes(path)) continue;
      const nested = typeof child === "object" && child !== null && !Array.isArray(child);
      if (nested && allowed.some((p) => p.startsWith(`${path}.`))) walk(child as Record<string, unknown>, path);
      else out.push(path);
    }
  };
  walk(value as Record<string, unknown>, key);
  return out;
}

const REPLACEMENT_CHARACTER = Buffer.from("\uFFFD", "utf8");

/** Standard base64 (line breaks allowed, padding optional), or undefined when it is not. */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]+/g, "");
  if (compact.length % 4 === 1 || !BASE64_CIPHERTEXT.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/** The last segment of a path a client sent as a file name (`C:\\docs\\a.pdf` → `a.pdf`); undefined when empty. */
function baseName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  return base === "" ? undefined : base;
}

function setPath(target: Record<string, unknown>, dotted: string, value: string): void {
  const keys = dotted.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

function refuse(path: string, code: string, message: string): never {
  throw uploadRefusal([{ Path: path, Code: code, Message: message }]);
}
