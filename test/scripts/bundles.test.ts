import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFunctionUrlEvent } from "../../local/gateway/function-url-event";
import { buildFunctions, type BundleSize } from "../../scripts/build";
import { startCosServer, type CosTestServer } from "../support/cos-server";
import { startEssStandIn } from "../support/ess-stand-in";
import { censusOfKeys } from "../support/store-census";

/**
 * The deployed artifacts themselves (shims and the on-demand SDK file included), each loaded in a
 * fresh Node process with a deployment's variables, serving a create, a status read, a reconcile
 * and a signed callback against the signature-checking COS test server and the ESS stand-in.
 */
const root = path.resolve(__dirname, "../..");
const API_KEY = "bundle-test-key";
const fixture = (suffix: string) => readFileSync(path.join(root, "test/fixtures/callbacks", `ess-flow-status-change.${suffix}`), "utf8");
const fixtureConfig = JSON.parse(readFileSync(path.join(root, "test/fixtures/callbacks/fixture-config.json"), "utf8")) as {
  key: string;
  token: string;
};

let out: string;
let sizes: BundleSize[];
let cos: CosTestServer;
let ess: Awaited<ReturnType<typeof startEssStandIn>>;
let env: Record<string, Record<string, string>>;

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), "bundles-test-"));
  sizes = await buildFunctions({ outRoot: out, quiet: true });
  cos = await startCosServer({ credentials: { secretId: "AKIDbundles", secretKey: "bundles-secret" } });
  ess = await startEssStandIn({ secretId: "AKIDess", secretKey: "essKey" });
  const store = {
    STORE: "cos",
    COS_BUCKET: cos.bucket,
    COS_REGION: cos.region,
    COS_PREFIX: "bundles/",
    COS_SECRET_ID: "AKIDbundles",
    COS_SECRET_KEY: "bundles-secret",
    COS_ENDPOINT: cos.endpoint,
    LOG_LEVEL: "error",
  };
  const essVars = {
    ESS_SECRET_ID: "AKIDess",
    ESS_SECRET_KEY: "essKey",
    ESS_ENDPOINT: ess.endpoint,
    ESS_TIMEOUT_MS: "3000",
    ESS_OPERATOR_USER_ID: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K",
    API_KEY_HASHES: createHash("sha256").update(API_KEY).digest("hex"),
  };
  env = {
    "create-group": { ...store, ...essVars },
    "group-status": { ...store, ...essVars },
    callback: { ...store, ESS_CALLBACK_KEY: fixtureConfig.key, ESS_CALLBACK_TOKEN: fixtureConfig.token },
  };
}, 120_000);
afterAll(async () => {
  await cos?.stop();
  await ess?.stop();
  rmSync(out, { recursive: true, force: true });
});

interface Answer {
  response: { statusCode: number; body: string };
  sdkFileLoaded: boolean;
}

/** Loads `dist/<fn>/index.js` in a fresh process (environment exactly `env`) and handles one event. */
function invoke(fn: string, event: unknown): Promise<Answer> {
  const program = `
    const fs = require("fs");
    const input = JSON.parse(fs.readFileSync(0, "utf8"));
    const handler = require(input.file).main_handler;
    Promise.resolve(handler(input.event, { request_id: "bundle-test", getRemainingTimeInMillis: () => 10000 })).then((response) => {
      const sdkFileLoaded = Object.keys(require.cache).some((f) => f.endsWith("tencentcloud-sdk.js"));
      fs.writeSync(1, JSON.stringify({ response, sdkFileLoaded }));
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", program], { env: env[fn], stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", () => {
      try {
        resolve(JSON.parse(stdout) as Answer);
      } catch {
        reject(new Error(`${fn} printed no answer: ${stderr.slice(0, 800)}`));
      }
    });
    child.stdin.end(JSON.stringify({ file: path.join(out, fn, "index.js"), event }));
  });
}

/** The event each function's URL sends. */
const event = (method: string, url: string, headers: Record<string, string>, body = "") =>
  buildFunctionUrlEvent({
    method,
    url: new URL(url, "https://1250000000-abcd1234.ap-guangzhou.tencentscf.com"),
    headers,
    body: Buffer.from(body),
    sourceIp: "203.0.113.9",
  });

describe("the built bundles, end to end on their shims", () => {
  let flowGroupId: string;

  it("create-group creates at ESS (signed request) and records the group in COS (signed requests)", async () => {
    const { Operator: _, ...request } = JSON.parse(
      readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8"),
    ) as Record<string, unknown>;
    const { response } = await invoke(
      "create-group",
      event(
        "POST",
        "/ess/flow-groups",
        { "x-api-key": API_KEY, "content-type": "application/json", "idempotency-key": "bundle-test-1" },
        JSON.stringify(request),
      ),
    );
    expect(response.statusCode).toBe(200);
    flowGroupId = (JSON.parse(response.body) as { FlowGroupId: string }).FlowGroupId;
    expect(ess.calls.at(-1)).toMatchObject({ action: "CreateFlowGroupByFiles", signatureValid: true });
    expect(cos.objects.text(`bundles/groups/${flowGroupId}/record.json`)).toContain(flowGroupId);
    expect(cos.requests.filter((r) => (r.status ?? 0) >= 400 && r.status !== 404)).toEqual([]);
  });

  it("group-status reads from COS without loading the SDK file", async () => {
    const { response, sdkFileLoaded } = await invoke("group-status", event("GET", `/flow-groups/${flowGroupId}`, { "x-api-key": API_KEY }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ FlowGroupId: flowGroupId });
    expect(sdkFileLoaded).toBe(false);
    expect(sizes.find((s) => s.fn === "group-status")?.onDemand?.file).toBe("tencentcloud-sdk.js");
  });

  it("group-status ?refresh=1 loads the SDK file and asks ESS (signed request)", async () => {
    const { response, sdkFileLoaded } = await invoke(
      "group-status",
      event("GET", `/flow-groups/${flowGroupId}?refresh=1`, { "x-api-key": API_KEY }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toHaveProperty("Reconciled");
    expect(sdkFileLoaded).toBe(true);
    expect(ess.calls.at(-1)).toMatchObject({ action: "DescribeFlowInfo", signatureValid: true });
  });

  it("callback stores a signed, encrypted callback in COS", async () => {
    const query = JSON.parse(fixture("query.json")) as Record<string, string>;
    const { response } = await invoke(
      "callback",
      event(
        "POST",
        `/ess/callbacks?${new URLSearchParams(query)}`,
        JSON.parse(fixture("headers.json")) as Record<string, string>,
        fixture("body.json"),
      ),
    );
    expect(response.statusCode).toBe(200);
    const census = censusOfKeys(cos.objects.keys().map((key) => key.slice("bundles/".length)));
    expect(census.events + census.loose + census.waiting).toBe(1);
  });
});

describe("a built bundle with a bad configuration", () => {
  it.each([
    ["create-group", "API_KEY_HASHES"],
    ["group-status", "COS_BUCKET"],
    ["callback", "ESS_CALLBACK_KEY"],
  ])("%s without %s: one line naming it on stderr (not the minified source), exit code 1", async (fn, variable) => {
    const { [variable]: _, ...rest } = env[fn]!;
    const child = spawn(process.execPath, ["-e", `require(${JSON.stringify(path.join(out, fn, "index.js"))})`], {
      env: { ...rest, TENCENTCLOUD_RUNENV: "SCF" },
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^${fn}: Invalid configuration: .*${variable}`))]);
    expect(stderr.length).toBeLessThan(1_000);
  });
});
