import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The COS XML API request signature ("q-sign-algorithm=sha1…"), written from Tencent Cloud's
 * public description of the scheme, independently of the SDK, so the test server is a real
 * second opinion on what the SDK sends:
 *
 *   SignKey      = hex HMAC-SHA1(SecretKey, KeyTime)
 *   HttpString   = lower(method) \n path \n HttpParameters \n HttpHeaders \n
 *   StringToSign = "sha1" \n SignTime \n hex SHA1(HttpString) \n
 *   Signature    = hex HMAC-SHA1(SignKey, StringToSign)
 *
 * HttpParameters / HttpHeaders: the signed names, URL-encoded and lower-cased, sorted, each as
 * `name=URLEncode(value)`, joined by `&`; their names joined by `;` are the param and header lists.
 */

/** Parts of an `Authorization` header. */
export interface CosAuthorization {
  algorithm: string;
  secretId: string;
  signTime: string;
  keyTime: string;
  headerList: string[];
  paramList: string[];
  signature: string;
}

/** What is signed: the decoded path, the decoded query and the request headers. */
export interface SignableRequest {
  method: string;
  /** Decoded path, starting with `/`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - _ . ~`. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Encoded, lower-cased name → encoded value, for the names to sign (given in any case). */
function canonicalPairs(source: Record<string, string>, names: readonly string[]): { list: string; text: string } | undefined {
  const byEncodedName = new Map<string, string>();
  for (const [name, value] of Object.entries(source)) byEncodedName.set(uriEncode(name).toLowerCase(), value);
  const wanted = [...new Set(names.map((n) => uriEncode(n).toLowerCase()))].sort();
  const pairs: string[] = [];
  for (const name of wanted) {
    const value = byEncodedName.get(name);
    if (value === undefined) return undefined;
    pairs.push(`${name}=${uriEncode(value)}`);
  }
  return { list: wanted.join(";"), text: pairs.join("&") };
}

/** The hex signature of `request` over the given names, or undefined if a signed name is absent. */
export function computeSignature(
  request: SignableRequest,
  secretKey: string,
  times: { signTime: string; keyTime: string },
  signed: { headers: readonly string[]; params: readonly string[] },
): string | undefined {
  const params = canonicalPairs(request.query, signed.params);
  const headers = canonicalPairs(request.headers, signed.headers);
  if (!params || !headers) return undefined;
  const httpString = `${request.method.toLowerCase()}\n${request.path}\n${params.text}\n${headers.text}\n`;
  const stringToSign = `sha1\n${times.signTime}\n${createHash("sha1").update(httpString, "utf8").digest("hex")}\n`;
  const signKey = createHmac("sha1", secretKey).update(times.keyTime, "utf8").digest("hex");
  return createHmac("sha1", signKey).update(stringToSign, "utf8").digest("hex");
}

/**
 * Signs a request the way a COS client must: every query parameter and every given header.
 * Used by tests to craft requests (expired, tampered…) that the SDK would never send.
 */
export function signRequest(
  request: SignableRequest,
  credentials: { secretId: string; secretKey: string },
  keyTime: { start: number; end: number },
): string {
  const times = `${keyTime.start};${keyTime.end}`;
  const headerNames = Object.keys(request.headers);
  const paramNames = Object.keys(request.query);
  const signature = computeSignature(
    request,
    credentials.secretKey,
    { signTime: times, keyTime: times },
    {
      headers: headerNames,
      params: paramNames,
    },
  )!;
  const list = (names: string[]) => [...new Set(names.map((n) => uriEncode(n).toLowerCase()))].sort().join(";");
  return [
    "q-sign-algorithm=sha1",
    `q-ak=${credentials.secretId}`,
    `q-sign-time=${times}`,
    `q-key-time=${times}`,
    `q-header-list=${list(headerNames)}`,
    `q-url-param-list=${list(paramNames)}`,
    `q-signature=${signature}`,
  ].join("&");
}

/** Parses an `Authorization` header; undefined when a required part is missing. */
export function parseAuthorization(header: string | undefined): CosAuthorization | undefined {
  if (header === undefined || header === "") return undefined;
  const parts = new Map<string, string>();
  for (const piece of header.split("&")) {
    const at = piece.indexOf("=");
    if (at > 0) parts.set(piece.slice(0, at), piece.slice(at + 1));
  }
  const get = (name: string) => parts.get(name);
  const required = ["q-sign-algorithm", "q-ak", "q-sign-time", "q-key-time", "q-header-list", "q-url-param-list", "q-signature"];
  if (required.some((name) => get(name) === undefined)) return undefined;
  const split = (value: string) => (value === "" ? [] : value.split(";"));
  return {
    algorithm: get("q-sign-algorithm")!,
    secretId: get("q-ak")!,
    signTime: get("q-sign-time")!,
    keyTime: get("q-key-time")!,
    headerList: split(get("q-header-list")!),
    paramList: split(get("q-url-param-list")!),
    signature: get("q-signature")!,
  };
}

/** `start;end` in unix seconds, or undefined when malformed. */
export function parseTimeRange(value: string): { start: number; end: number } | undefined {
  const match = /^(\d{1,12});(\d{1,12})$/.exec(value);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return start <= end ? { start, end } : undefined;
}

/** Constant-time comparison of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
