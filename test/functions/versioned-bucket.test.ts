import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildFunctionUrlEvent } from "../../local/gateway/function-url-event";
import { hashApiKey } from "../../shared/auth/api-keys";
import { startCosServer, type CosTestServer } from "../support/cos-server";
import { startEssStandIn } from "../support/ess-stand-in";

/**
 * The three functions on a COS bucket whose versioning is (or once was) on: COS then ignores
 * x-cos-forbid-overwrite, so every function answers 503 with a code that names the cause, writes
 * nothing, and create-group spends no ESS quota. Each container asks the bucket once.
 */
const root = path.resolve(__dirname, "../..");
const API_KEY = "versioned-bucket-test-key";
const fixture = (suffix: string) => readFileSync(path.join(root, "test/fixtures/callbacks", `ess-flow-status-change.${suffix}`), "utf8");
const fixtureConfig = JSON.parse(readFileSync(path.join(root, "test/fixtures/callbacks/fixture-config.json"), "utf8")) as {
  key: string;
  token: string;
};

let cos: CosTestServer;
let ess: Awaited<ReturnType<typeof startEssStandIn>>;
let env: Record<string, string>;

beforeAll(async () => {
  cos = await startCosServer({ versioning: "Suspended" });
  ess = await startEssStandIn({ secretId: "AKIDess", secretKey: "essKey" });
  env = {
    STORE: "cos",
    COS_BUCKET: cos.bucket,
    COS_REGION: cos.region,
    COS_SECRET_ID: cos.credentials.secretId,
    COS_SECRET_KEY: cos.credentials.secretKey,
    COS_ENDPOINT: cos.endpoint,
    LOG_LEVEL: "error",
    ESS_SECRET_ID: "AKIDess",
    ESS_SECRET_KEY: "essKey",
    ESS_ENDPOINT: ess.endpoint,
    ESS_OPERATOR_USER_ID: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K",
    API_KEY_HASHES: hashApiKey(API_KEY),
    ESS_CALLBACK_KEY: fixtureConfig.key,
    ESS_CALLBACK_TOKEN: fixtureConfig.token,
  };
  // The modules compose themselves from the environment when imported, as on a cold start.
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await cos?.stop();
  await ess?.stop();
});

const event = (method: string, url: string, headers: Record<string, string>, body = "") =>
  buildFunctionUrlEvent({
    method,
    url: new URL(url, "https://1250000000-abcd1234.ap-guangzhou.tencentscf.com"),
    headers,
    body: Buffer.from(body),
    sourceIp: "203.0.113.9",
  });

const refusal = (response: { statusCode: number; body: string }) => ({
  status: response.statusCode,
  code: (JSON.parse(response.body) as { Error?: { Code?: string } }).Error?.Code,
});

describe("functions on a versioned COS bucket", () => {
  it("callback: 503 ResourceUnavailable.CosBucketVersioning, nothing stored, ESS will retry", async () => {
    const { createHandler, compose } = await import("../../functions/callback/handler");
    const handler = createHandler(compose(env));
    const query = JSON.parse(fixture("query.json")) as Record<string, string>;
    const headers = JSON.parse(fixture("headers.json")) as Record<string, string>;
    for (let delivery = 0; delivery < 2; delivery++) {
      const response = await handler(event("POST", `/ess/callbacks?${new URLSearchParams(query)}`, headers, fixture("body.json")), {
        request_id: "r",
      });
      expect(refusal(response)).toEqual({ status: 503, code: "ResourceUnavailable.CosBucketVersioning" });
      expect(JSON.parse(response.body).Error.Message).toContain("versioning");
    }
    expect(cos.objects.keys()).toEqual([]);
  });

  it("create-group: 503 before ESS is called (no quota spent), with or without an Idempotency-Key", async () => {
    const { createHandler, compose } = await import("../../functions/create-group/handler");
    const handler = createHandler(compose(env));
    const { Operator: _, ...request } = JSON.parse(
      readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8"),
    ) as Record<string, unknown>;
    const calls = ess.calls.length;
    for (const extra of [{}, { "idempotency-key": "versioned-1" }] as Array<Record<string, string>>) {
      const headers = { "x-api-key": API_KEY, "content-type": "application/json", ...extra };
      const response = await handler(event("POST", "/ess/flow-groups", headers, JSON.stringify(request)), { request_id: "r" });
      expect(refusal(response)).toEqual({ status: 503, code: "ResourceUnavailable.CosBucketVersioning" });
    }
    expect(ess.calls.length).toBe(calls);
    expect(cos.objects.keys()).toEqual([]);
  });

  it("group-status: 503 with the same code; each container asked the bucket once", async () => {
    const { createHandler, compose } = await import("../../functions/group-status/handler");
    const deps = compose(env);
    const handler = createHandler(deps);
    const before = cos.requests.filter((r) => r.operation === "GetBucketVersioning").length;
    for (let read = 0; read < 3; read++) {
      const id = "A".repeat(32);
      const response = await handler(event("GET", `/flow-groups/${id}`, { "x-api-key": API_KEY }), { request_id: "r" });
      expect(refusal(response)).toEqual({ status: 503, code: "ResourceUnavailable.CosBucketVersioning" });
    }
    expect(cos.requests.filter((r) => r.operation === "GetBucketVersioning").length - before).toBe(1);
  });
});
