import { computeSignature, parseAuthorization, parseTimeRange, sameHex, uriEncode, type SignableRequest } from "./signature";

/** The credentials a test server accepts. */
export interface CosCredentials {
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it in `x-cos-security-token` (temporary credentials). */
  token?: string;
}

export type Verdict = { ok: true } | { ok: false; status: number; code: string; message: string };

const deny = (code: string, message: string, status = 403): Verdict => ({ ok: false, status, code, message });

/** Headers a client adds after signing by design: the temporary-credential token. */
const UNSIGNED_COS_HEADERS = new Set(["x-cos-security-token"]);

/**
 * Checks a request's `Authorization` the way COS does, a little stricter: the Host header, every
 * query parameter and every `x-cos-*` header must be signed, so nothing that changes the meaning
 * of a request can be added or altered after signing.
 */
export function verifyRequest(request: SignableRequest, credentials: CosCredentials, nowSeconds: number): Verdict {
  const header = request.headers.authorization;
  if (header === undefined || header === "") return deny("AccessDenied", "Access Denied.");
  const auth = parseAuthorization(header);
  if (!auth) return deny("AccessDenied", "Authorization is malformed.");
  if (auth.algorithm !== "sha1") return deny("AccessDenied", "Unsupported q-sign-algorithm.");
  if (auth.secretId !== credentials.secretId) return deny("InvalidAccessKeyId", "The access key Id format you provided is invalid.");

  const signTime = parseTimeRange(auth.signTime);
  const keyTime = parseTimeRange(auth.keyTime);
  if (!signTime || !keyTime) return deny("AccessDenied", "q-sign-time or q-key-time is malformed.");
  for (const range of [signTime, keyTime]) {
    if (nowSeconds > range.end) return deny("AccessDenied", "Request has expired");
    if (nowSeconds < range.start)
      return deny("RequestTimeTooSkewed", "The difference between the request time and the server's time is too large.");
  }

  const signedHeaders = new Set(auth.headerList);
  const signedParams = new Set(auth.paramList);
  if (!signedHeaders.has("host")) return deny("SignatureDoesNotMatch", "The Host header is not signed.");
  for (const name of Object.keys(request.headers)) {
    if (name.startsWith("x-cos-") && !UNSIGNED_COS_HEADERS.has(name) && !signedHeaders.has(name)) {
      return deny("SignatureDoesNotMatch", `Header ${name} is not signed.`);
    }
  }
  for (const name of Object.keys(request.query)) {
    if (!signedParams.has(uriEncode(name).toLowerCase())) return deny("SignatureDoesNotMatch", `Query parameter ${name} is not signed.`);
  }

  const expected = computeSignature(request, credentials.secretKey, auth, {
    headers: auth.headerList,
    params: auth.paramList,
  });
  if (expected === undefined || !sameHex(expected, auth.signature)) {
    return deny("SignatureDoesNotMatch", "The Signature you specified is invalid.");
  }

  if (credentials.token !== undefined) {
    const token = request.headers["x-cos-security-token"];
    if (token === undefined || !sameHex(token, credentials.token)) {
      return deny("InvalidAccessKeyId", "The security token is missing or invalid.");
    }
  }
  return { ok: true };
}
