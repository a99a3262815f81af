import { createHash, createHmac } from "node:crypto";

/**
 * Test-side verifier of Tencent Cloud API 3.0 signatures (TC3-HMAC-SHA256), written from the public
 * description of the algorithm so tests do not trust the SDK's signer or the emulator's verifier.
 */
export function tc3Signature(input: {
  secretKey: string;
  method: string;
  path: string;
  query: string;
  contentType: string;
  host: string;
  payload: string | Buffer;
  timestamp: number;
  service: string;
}): string {
  const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const canonicalRequest = [
    input.method,
    input.path,
    input.query,
    `content-type:${input.contentType}\nhost:${input.host}\n`,
    "content-type;host",
    sha256(input.payload),
  ].join("\n");
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, sha256(canonicalRequest)].join("\n");
  const signing = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), "tc3_request");
  return createHmac("sha256", signing).update(stringToSign).digest("hex");
}

/** Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=…, Signature=…`. */
export function parseTc3Authorization(header: string | undefined) {
  const match =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      header ?? "",
    );
  if (!match) return undefined;
  return { secretId: match[1]!, date: match[2]!, service: match[3]!, signedHeaders: match[4]!, signature: match[5]! };
}
