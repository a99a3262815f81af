/**
 * `multipart/form-data` (RFC 7578 over RFC 2046), read from a request body already in memory: the
 * parts in order, each with its field name, file name, declared type, transfer encoding and bytes.
 * Strict where a lenient reader would guess (a missing closing boundary, a part without a name, a
 * header without a colon are refused), and bounded: the number of parts and the size of each part's
 * headers are capped, and every search is one `indexOf` over the body, so a hostile body costs time
 * linear in its length.
 */

export interface MultipartPart {
  /** Position among all parts, from 0. */
  index: number;
  /** `name` of the part's Content-Disposition. */
  name: string;
  /** `filename` (or `filename*`, decoded) when the part is a file. */
  filename?: string;
  /** The part's Content-Type, lower-cased, without parameters. */
  contentType?: string;
  /** The part's Content-Transfer-Encoding, lower-cased (RFC 7578 deprecates it; curl's `encoder=` sends it). */
  transferEncoding?: string;
  body: Buffer;
}

/** Why a body is not well-formed multipart; `part` is the index of the part at fault, when there is one. */
export class MultipartError extends Error {
  constructor(
    message: string,
    readonly part?: number,
  ) {
    super(message);
    this.name = "MultipartError";
  }
}

export const MULTIPART_LIMITS = { parts: 64, headerBytes: 8 * 1024 } as const;

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** The boundary of a `multipart/form-data` Content-Type (quoted or not), or undefined when there is none or it is invalid. */
export function multipartBoundary(contentType: string): string | undefined {
  const [type, ...params] = splitParams(contentType);
  if (type?.toLowerCase() !== "multipart/form-data") return undefined;
  const boundary = paramsOf(params).get("boundary");
  // RFC 2046: 1 to 70 characters from a fixed set, not ending in a space.
  if (boundary === undefined || !/^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/.test(boundary) || boundary.endsWith(" ")) return undefined;
  return boundary;
}

/** The parts of `body`, in order. Throws `MultipartError` when the body is not well-formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
  // The first delimiter opens the body or follows a preamble line.
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(nextDelimiter);
  if (at < 0) throw new MultipartError("the body holds no part: its boundary does not appear");
  if (at > 0) at += CRLF.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    let cursor = at + delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts;
    // Transport padding (spaces and tabs) may follow a delimiter before its line break.
    while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++;
    if (body[cursor] !== 0x0d || body[cursor + 1] !== 0x0a)
      throw new MultipartError("a boundary line does not end with CRLF", parts.length);
    if (parts.length === MULTIPART_LIMITS.parts) throw new MultipartError(`the body has more than ${MULTIPART_LIMITS.parts} parts`);
    const headerStart = cursor + CRLF.length;
    // A part without headers starts with its blank line at once.
    const headerEnd =
      body[headerStart] === 0x0d && body[headerStart + 1] === 0x0a ? headerStart - 2 : body.indexOf(HEADER_END, headerStart);
    if (headerEnd < 0 || headerEnd - headerStart > MULTIPART_LIMITS.headerBytes) {
      throw new MultipartError("a part's headers never end (or are longer than 8 KB)", parts.length);
    }
    const bodyStart = headerEnd + HEADER_END.length;
    const end = body.indexOf(nextDelimiter, bodyStart);
    if (end < 0) throw new MultipartError("the body ends before its closing boundary (truncated?)", parts.length);
    const headers = headerEnd < headerStart ? [] : body.toString("utf8", headerStart, headerEnd).split("\r\n");
    parts.push(partOf(parts.length, headers, body.subarray(bodyStart, end)));
    at = end + CRLF.length;
  }
}

function partOf(index: number, lines: string[], body: Buffer): MultipartPart {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0 || /^[ \t]/.test(line)) throw new MultipartError("a part has a header line that is not `Name: value`", index);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition");
  if (disposition === undefined) throw new MultipartError("a part has no Content-Disposition", index);
  const [kind, ...rest] = splitParams(disposition);
  if (kind?.toLowerCase() !== "form-data") throw new MultipartError("a part's Content-Disposition is not form-data", index);
  const params = paramsOf(rest);
  const name = params.get("name");
  if (name === undefined || name === "") throw new MultipartError("a part has no name", index);
  const filename = extendedFilename(params.get("filename*")) ?? params.get("filename");
  return {
    index,
    name,
    filename,
    contentType: headers.get("content-type")?.split(";")[0]?.trim().toLowerCase(),
    transferEncoding: headers.get("content-transfer-encoding")?.toLowerCase(),
    body,
  };
}

/** `type; a=b; c="d;e"` → `["type", "a=b", "c=\"d;e\""]`, honouring quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === "\\" && i + 1 < value.length) current += c + value[++i];
    else if (c === '"') (quoted = !quoted), (current += c);
    else if (c === ";" && !quoted) out.push(current.trim()), (current = "");
    else current += c;
  }
  out.push(current.trim());
  return out;
}

/** `name=value` parameters, names lower-cased, quoted values unquoted. A parameter given twice keeps its first value. */
function paramsOf(params: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq <= 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** RFC 5987 `UTF-8''%E5%90%88%E5%90%8C.pdf`; undefined when absent or not decodable. */
function extendedFilename(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^utf-8'[^']*'(.+)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
