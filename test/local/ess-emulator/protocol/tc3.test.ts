import { describe, expect, it } from "vitest";
import { ApiError } from "../../../../local/ess-emulator/protocol/api-error";
import { verifyRequestSignature, type ApiKey, type SignedRequest } from "../../../../local/ess-emulator/protocol/tc3";
import { sdkAuthorization } from "../support/signer";

/** Signature verification against requests signed by the official SDK's signer. */

const KEY: ApiKey = { secretId: "AKIDtestsecretid000000000000000000001", secretKey: "testsecretkey0000000000000000001" };
const NOW = Date.UTC(2024, 2, 25, 12, 0, 0);
const NOW_S = NOW / 1000;
const BODY = JSON.stringify({ FlowGroupName: "x" });

function request(
  opts: {
    url?: string;
    body?: string;
    timestamp?: number;
    secretKey?: string;
    service?: string;
    mutate?: (r: SignedRequest) => void;
    token?: string;
  } = {},
): SignedRequest {
  const url = opts.url ?? "http://127.0.0.1:9000/";
  const timestamp = opts.timestamp ?? NOW_S;
  const { authorization } = sdkAuthorization({
    url,
    body: BODY,
    secretId: KEY.secretId,
    secretKey: opts.secretKey ?? KEY.secretKey,
    timestamp,
    ...(opts.service ? { service: opts.service } : {}),
  });
  const r: SignedRequest = {
    method: "POST",
    path: "/",
    query: "",
    headers: {
      host: new URL(url).host,
      "content-type": "application/json",
      "x-tc-timestamp": String(timestamp),
      authorization,
      ...(opts.token !== undefined ? { "x-tc-token": opts.token } : {}),
    },
    body: Buffer.from(opts.body ?? BODY, "utf8"),
  };
  opts.mutate?.(r);
  return r;
}

function outcome(r: SignedRequest, key: ApiKey = KEY): string {
  try {
    verifyRequestSignature(r, { findKey: (id) => (id === key.secretId ? key : undefined), now: NOW });
    return "ok";
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
}

describe("TC3-HMAC-SHA256 verification", () => {
  it.each([
    ["a request signed by the SDK for the loopback emulator", request(), "ok"],
    ["a request for the real host name (scope service ess)", request({ url: "https://ess.tencentcloudapi.com/" }), "ok"],
    ["a request through localhost with a port", request({ url: "http://localhost:9000/" }), "ok"],
    ["a body changed after signing", request({ body: JSON.stringify({ FlowGroupName: "y" }) }), "AuthFailure.SignatureFailure"],
    ["a wrong SecretKey", request({ secretKey: "wrongsecretkey000000000000000001" }), "AuthFailure.SignatureFailure"],
    ["a scope service that is not the host's first label", request({ service: "ess" }), "AuthFailure.SignatureFailure"],
    ["a timestamp 301 s in the past", request({ timestamp: NOW_S - 301 }), "AuthFailure.SignatureExpire"],
    ["a timestamp 301 s in the future", request({ timestamp: NOW_S + 301 }), "AuthFailure.SignatureExpire"],
    ["a timestamp 299 s in the past", request({ timestamp: NOW_S - 299 }), "ok"],
    [
      "a scope date that is not the UTC date of the timestamp",
      request({ mutate: (r) => (r.headers.authorization = String(r.headers.authorization).replace("2024-03-25", "2024-03-24")) }),
      "AuthFailure.SignatureFailure",
    ],
    [
      "an unknown SecretId",
      request({ mutate: (r) => (r.headers.authorization = String(r.headers.authorization).replace(KEY.secretId, "AKIDunknown")) }),
      "AuthFailure.SecretIdNotFound",
    ],
    ["no Authorization header", request({ mutate: (r) => delete r.headers.authorization }), "AuthFailure.InvalidAuthorization"],
    [
      "a garbled Authorization header",
      request({ mutate: (r) => (r.headers.authorization = "TC3-HMAC-SHA256 nonsense") }),
      "AuthFailure.InvalidAuthorization",
    ],
    [
      "another algorithm",
      request({ mutate: (r) => (r.headers.authorization = String(r.headers.authorization).replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1")) }),
      "AuthFailure.InvalidAuthorization",
    ],
    [
      "SignedHeaders without host",
      request({ mutate: (r) => (r.headers.authorization = String(r.headers.authorization).replace("content-type;host", "content-type")) }),
      "AuthFailure.InvalidAuthorization",
    ],
    ["a changed Content-Type", request({ mutate: (r) => (r.headers["content-type"] = "text/plain") }), "AuthFailure.SignatureFailure"],
    ["a token sent for a permanent key", request({ token: "abc" }), "AuthFailure.TokenFailure"],
  ])("%s → %s", (_name, r, expected) => {
    expect(outcome(r)).toBe(expected);
  });

  it.each([
    ["the right token", "tok-123", "ok"],
    ["a wrong token", "tok-124", "AuthFailure.TokenFailure"],
    ["no token", undefined, "AuthFailure.TokenFailure"],
  ])("temporary keys need their token: %s → %s", (_name, token, expected) => {
    expect(outcome(request(token === undefined ? {} : { token }), { ...KEY, token: "tok-123" })).toBe(expected);
  });
});
