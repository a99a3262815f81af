import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";

/**
 * Signs requests with the official SDK's signer, for tests that need a request the SDK cannot
 * produce (a body that is not JSON, an unknown version…) yet is correctly signed.
 */
export interface SignInput {
  /** e.g. `http://127.0.0.1:9000/` */
  url: string;
  body: string;
  secretId: string;
  secretKey: string;
  timestamp?: number;
  /** Credential scope service; the SDK uses the first label of the endpoint host. */
  service?: string;
  contentType?: string;
}

export function sdkAuthorization(input: SignInput): { authorization: string; timestamp: number } {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const host = new URL(input.url).host;
  const authorization = Sign.sign3({
    method: "POST",
    url: input.url,
    payload: Buffer.from(input.body, "utf8"),
    timestamp,
    service: input.service ?? host.split(".")[0]!,
    secretId: input.secretId,
    secretKey: input.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": input.contentType ?? "application/json" },
  });
  return { authorization, timestamp };
}

export interface RawCall {
  url: string;
  action: string;
  version: string;
  body: string;
  secretId: string;
  secretKey: string;
  timestamp?: number;
  authorization?: string;
  extraHeaders?: Record<string, string>;
}

/** POSTs a signed (or deliberately mis-signed) API 3.0 request; returns status and parsed body. */
export async function rawApiCall(call: RawCall): Promise<{ status: number; body: any; headers: Headers }> {
  const signed = sdkAuthorization(call);
  const res = await fetch(call.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-TC-Action": call.action,
      "X-TC-Version": call.version,
      "X-TC-Timestamp": String(signed.timestamp),
      "X-TC-Region": "ap-guangzhou",
      Authorization: call.authorization ?? signed.authorization,
      ...call.extraHeaders,
    },
    body: call.body,
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
