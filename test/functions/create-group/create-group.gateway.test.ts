import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readDeployedFunctions } from "../../../local/gateway/functions";
import { loadHandlers } from "../../../local/gateway/load-handlers";
import { startFunctionUrl, type RunningServer } from "../../../local/gateway/server";
import { createObjectStore, createStatusStore } from "../../../shared/status-store";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startEssStandIn } from "../../support/ess-stand-in";

/**
 * create-group end to end through its local function URL (the function from serverless.yml, its
 * routes from functions/create-group/routes.ts, the real handler module and its composition from
 * the environment), against a loopback stand-in for ESS
 * that records what the official SDK really sent and checks its TC3 signature independently.
 */
const SECRET_ID = "AKIDcreateGroupTest";
const SECRET_KEY = "createGroupTestSecretKey";
const API_KEY = "test-api-key-create-group";
let standIn: Awaited<ReturnType<typeof startEssStandIn>>;
let gateway: RunningServer;
let storeDir: string;

const seedDir = path.join("test", "fixtures", "seed");
const seeds = (await readdir(seedDir)).filter((f) => f.endsWith(".request.json")).sort();

async function seed(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(seedDir, file), "utf8"));
}

async function post(edition: string, body: string | object, apiKey: string | null = API_KEY) {
  const res = await fetch(`${gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(apiKey !== null ? { Authorization: `Bearer ${apiKey}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  standIn = await startEssStandIn({ secretId: SECRET_ID, secretKey: SECRET_KEY });
  storeDir = await mkdtemp(path.join(tmpdir(), "create-group-"));
  Object.assign(process.env, {
    ESS_SECRET_ID: SECRET_ID,
    ESS_SECRET_KEY: SECRET_KEY,
    ESS_ENDPOINT: standIn.endpoint,
    ESSBASIC_ENDPOINT: standIn.endpoint,
    ESS_TIMEOUT_MS: "1000",
    STORE: "file",
    STORE_DIR: storeDir,
    LOG_LEVEL: "error",
    API_KEY_HASHES: `${hashApiKey("another-key")},${hashApiKey(API_KEY)}`,
  });
  const [createGroup] = await loadHandlers((await readDeployedFunctions()).filter((f) => f.key === "create-group"));
  gateway = await startFunctionUrl(createGroup!, { port: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await standIn?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

beforeEach(() => {
  standIn.reset();
});

describe("create-group through the local gateway", () => {
  it.each(seeds)("posts %s verbatim and returns ESS's answer", async (file) => {
    const edition = file.startsWith("essbasic") ? "essbasic" : "ess";
    const example = await seed(file);
    const res = await post(edition, example);

    expect(res.status).toBe(200);
    expect(standIn.calls).toHaveLength(1);
    const call = standIn.calls[0]!;
    expect(call.action).toBe(edition === "ess" ? "CreateFlowGroupByFiles" : "ChannelCreateFlowGroupByFiles");
    expect(call.version).toBe(edition === "ess" ? "2020-11-11" : "2021-05-26");
    expect(call.region).toBe("ap-guangzhou");
    expect(call.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDcreateGroupTest\//);
    expect(call.signatureValid).toBe(true);

    // What reached ESS is the example itself; the only normalisation is the numeric string
    // ApproverType "1" of the enterprise B2C approver, which the SDK model types as a number.
    const expected = JSON.parse(JSON.stringify(example).replace(/"ApproverType":"1"/g, '"ApproverType":1'));
    expect(call.body).toEqual(expected);

    expect(res.body.FlowGroupId).toMatch(/^[A-Za-z0-9]{32}$/);
    const flowCount = ((example.FlowGroupInfos ?? example.FlowFileInfos) as unknown[]).length;
    expect(res.body.FlowIds).toHaveLength(flowCount);
    expect(res.body.RequestId).toMatch(/^s\d+/);
    expect(res.headers.get("x-request-id")).toBeTruthy();

    const store = createStatusStore(createObjectStore({ kind: "file", dir: storeDir, fsync: false }), { clock: () => new Date() });
    const group = await store.getGroup(res.body.FlowGroupId);
    expect(group).toMatchObject({ edition, flowGroupId: res.body.FlowGroupId, recorded: true, status: "INIT" });
    expect(group!.flows.map((f) => f.flowId)).toEqual(res.body.FlowIds);
  });

  it("returns the warning for a FlowGroupName the prose forbids but the examples use", async () => {
    const res = await post("ess", await seed("ess-example-1.request.json"));
    expect(res.status).toBe(200);
    expect(res.body.Warnings).toEqual(expect.arrayContaining([expect.objectContaining({ Path: "FlowGroupName" })]));
  });

  it("reports every violation at once and spends no ESS quota", async () => {
    const example = await seed("essbasic-example-1.request.json");
    const flows = example.FlowFileInfos as Array<Record<string, any>>;
    flows[0]!.FlowApprovers[1].Mobile = "12345";
    flows[1]!.Deadline = 1_000;
    (example as Record<string, unknown>).FlowGroupNmae = "typo";
    const res = await post("essbasic", example);
    expect(res.status).toBe(400);
    const paths = (res.body.Error.Issues as Array<{ Path: string }>).map((i) => i.Path);
    expect(paths).toEqual(
      expect.arrayContaining(["FlowFileInfos[0].FlowApprovers[1].Mobile", "FlowFileInfos[1].Deadline", "FlowGroupNmae"]),
    );
    expect(res.body.RequestId).toBeTruthy();
    expect(JSON.stringify(res.body)).not.toContain("13200000000");
    expect(standIn.calls).toHaveLength(0);
  });

  it.each([
    ["not JSON", "FlowGroupName=x", 400, "InvalidParameter.Body"],
    ["an empty body", "", 400, "InvalidParameter.Body"],
  ])("answers %s (%j) with %i %s", async (_name, body, status, code) => {
    const res = await post("ess", body);
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(standIn.calls).toHaveLength(0);
  });

  it.each([
    [{ Code: "InvalidParameter.FlowName", Message: "参数错误" }, 400, "InvalidParameter.FlowName"],
    [{ Code: "ResourceNotFound.Resource", Message: "未获取到文件资源" }, 404, "ResourceNotFound.Resource"],
    [{ Code: "RequestLimitExceeded", Message: "too fast" }, 429, "RequestLimitExceeded"],
    [{ Code: "OperationDenied.NoQuota", Message: "企业额度不足" }, 502, "OperationDenied.NoQuota"],
    [{ Code: "AuthFailure.SignatureFailure", Message: "bad" }, 502, "InternalError.EssAuthFailure"],
  ])("maps ESS error %o to %i and keeps ESS's RequestId", async (error, status, code) => {
    // A rate-limited create is retried (ESS created nothing), so it must keep failing to surface.
    standIn.failNextWith(error, error.Code === "RequestLimitExceeded" ? 10 : 1);
    const res = await post("essbasic", await seed("essbasic-example-1.request.json"));
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(res.body.Error.EssRequestId).toMatch(/^s\d+/);
  });

  it.each([
    ["no key", null, "AuthFailure.MissingApiKey"],
    ["a wrong key", "wrong-key", "AuthFailure.InvalidApiKey"],
  ])("answers 401 with WWW-Authenticate for %s, before ESS is called", async (_name, key, code) => {
    const res = await post("ess", await seed("ess-example-1.request.json"), key);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect(res.body.Error.Code).toBe(code);
    expect(standIn.calls).toHaveLength(0);
  });

  it("an invalid request with an Idempotency-Key holds no key: nothing is claimed or written before validation passes", async () => {
    const example = await seed("ess-example-3.request.json");
    const bad = { ...example, FlowGroupName: "" };
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}`, "Idempotency-Key": "invalid-first" };
    const res = await fetch(`${gateway.url}/ess/flow-groups`, { method: "POST", headers, body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    expect(await readdir(path.join(storeDir, "idempotency")).catch(() => [])).toEqual([]);
    expect(standIn.calls).toEqual([]);
  });

  it("retries a create that ESS refused for rate limiting, and succeeds", async () => {
    standIn.failNextWith({ Code: "RequestLimitExceeded", Message: "too fast" }, 1);
    const res = await post("ess", await seed("ess-example-3.request.json"));
    expect(res.status).toBe(200);
    expect(standIn.calls).toHaveLength(2);
  });

  it.each([
    [{ Code: "InternalError", Message: "内部错误" }],
    [{ Code: "InternalError.DbRead", Message: "内部错误" }],
    [{ Code: "FailedOperation", Message: "操作失败" }],
    [{ Code: "OperationDenied.NoQuota", Message: "企业额度不足" }],
  ])("sends a create ESS answered with %o exactly once (ESS may have created it): one ESS call", async (error) => {
    standIn.failNextWith(error, 5);
    const res = await post("ess", await seed("ess-example-3.request.json"));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(standIn.calls).toHaveLength(1);
  });

  it("a hung create is not sent again either: one ESS call, whatever the timeout", async () => {
    standIn.setDelay(1_500);
    const res = await post("ess", await seed("ess-example-3.request.json"));
    expect(res.status).toBe(502);
    expect(standIn.calls).toHaveLength(1);
    standIn.setDelay(0);
  });

  it("answers 502 InternalError.EssTimeout when ESS does not answer in time", async () => {
    standIn.setDelay(1_500);
    const res = await post("ess", await seed("ess-example-3.request.json"));
    expect(res.status).toBe(502);
    expect(res.body.Error.Code).toBe("InternalError.EssTimeout");
    expect(res.body.Error.Message).toMatch(/may still have succeeded/);
  });
});
