import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "./api-error";

/**
 * Verification of Tencent Cloud API 3.0 request signatures (TC3-HMAC-SHA256), written from the
 * published algorithm:
 *
 *   CanonicalRequest = Method \n Path \n Query \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
 *   StringToSign     = "TC3-HMAC-SHA256" \n Timestamp \n Date/Service/tc3_request \n hex(SHA256(CanonicalRequest))
 *   Key              = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), Service), "tc3_request")
 *
 * Server-side rules: the scope's date is the UTC date of `X-TC-Timestamp`; the scope's service is
 * the first dot-separated label of the Host (`ess` for ess.tencentcloudapi.com, `127` for
 * 127.0.0.1:9000); the timestamp is within five minutes of the server clock.
 */

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
/** How far `X-TC-Timestamp` may be from the server clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** A SecretId/SecretKey pair the emulator accepts. */
export interface ApiKey {
  secretId: string;
  secretKey: string;
  /** Temporary credentials carry a token that must come back in `X-TC-Token`. */
  token?: string;
}

/** The parts of an HTTP request the signature covers. */
export interface SignedRequest {
  method: string;
  /** Path without query, e.g. `/`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The fields of an `Authorization: TC3-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  algorithm: string;
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION_PATTERN =
  /^(\S+)\s+Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request\s*,\s*SignedHeaders=([a-z0-9;-]+)\s*,\s*Signature=([0-9a-f]{64})$/i;

/** Parses the header; undefined when it does not have the TC3 shape. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (header === undefined) return undefined;
  const m = AUTHORIZATION_PATTERN.exec(header.trim());
  if (!m) return undefined;
  return {
    algorithm: m[1]!,
    secretId: m[2]!,
    date: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.toLowerCase().split(";"),
    signature: m[6]!.toLowerCase(),
  };
}

/** `YYYY-MM-DD` in UTC of a unix timestamp in seconds. */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

function headerValue(headers: SignedRequest["headers"], name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().toLowerCase();
}

/**
 * The values the Host header may have been signed with: clients sign the host name without the
 * port (the SDK does) while the Host header they send carries it; accept both spellings.
 */
function hostCandidates(host: string): string[] {
  const withoutPort = host.startsWith("[") ? host.replace(/(\])(:\d+)$/, "$1") : host.replace(/:\d+$/, "");
  return withoutPort === host ? [host] : [withoutPort, host];
}

/** The signature a client holding `secretKey` computes for `request`. */
export function computeSignature(
  request: SignedRequest,
  auth: Pick<ParsedAuthorization, "date" | "service" | "signedHeaders">,
  timestamp: string,
  secretKey: string,
  hostValue: string,
): string {
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${name === "host" ? hostValue : headerValue(request.headers, name)}\n`)
    .join("");
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    request.query,
    canonicalHeaders,
    auth.signedHeaders.join(";"),
    sha256Hex(request.body),
  ].join("\n");
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, auth.date), auth.service), "tc3_request");
  return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Keys and clock for `verifyRequestSignature`. */
export interface VerifyDeps {
  findKey(secretId: string): ApiKey | undefined;
  /** Server clock, epoch milliseconds. */
  now: number;
}

/**
 * Checks a request's signature; returns the key that signed it or throws the `AuthFailure.*`
 * error a real endpoint answers with. Checks run in the order a caller can fix them: the header's
 * shape, the clock, the key, the token, the scope, the signature.
 */
export function verifyRequestSignature(request: SignedRequest, deps: VerifyDeps): ApiKey {
  const rawAuth = request.headers["authorization"];
  const auth = parseAuthorization(Array.isArray(rawAuth) ? rawAuth[0] : rawAuth);
  if (!auth || auth.algorithm !== TC3_ALGORITHM)
    throw new ApiError("AuthFailure.InvalidAuthorization", "Authorization in the request header is invalid.");
  if (!auth.signedHeaders.includes("content-type") || !auth.signedHeaders.includes("host"))
    throw new ApiError("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host.");

  const timestampText = headerValue(request.headers, "x-tc-timestamp");
  if (!/^\d+$/.test(timestampText)) throw new ApiError("MissingParameter", "The request is missing a valid `X-TC-Timestamp`.");
  const timestamp = Number(timestampText);
  if (Math.abs(deps.now / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS)
    throw new ApiError(
      "AuthFailure.SignatureExpire",
      "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
    );

  const key = deps.findKey(auth.secretId);
  if (!key) throw new ApiError("AuthFailure.SecretIdNotFound", "The SecretId does not exist or has been disabled.");

  const rawToken = request.headers["x-tc-token"];
  const token = (Array.isArray(rawToken) ? rawToken[0] : rawToken)?.trim() ?? "";
  if ((key.token ?? "") !== "" || token !== "") {
    if (!sameText(token, key.token ?? ""))
      throw new ApiError("AuthFailure.TokenFailure", "The token is invalid or does not belong to this SecretId.");
  }

  if (auth.date !== utcDate(timestamp))
    throw new ApiError("AuthFailure.SignatureFailure", "The credential scope date is not the UTC date of X-TC-Timestamp.");
  const host = headerValue(request.headers, "host");
  const candidates = hostCandidates(host);
  if (!candidates.some((h) => h.split(".")[0] === auth.service))
    throw new ApiError("AuthFailure.SignatureFailure", "The credential scope service does not match the requested host.");

  const ok = candidates.some((hostValue) =>
    sameText(computeSignature(request, auth, timestampText, key.secretKey, hostValue), auth.signature),
  );
  if (!ok)
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  return key;
}
