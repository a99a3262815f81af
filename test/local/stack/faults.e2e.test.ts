import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startLocalStack, type LocalStack } from "../../../local/stack";
import { censusOfFolder } from "../../support/store-census";

/**
 * Reliability against the emulator's API faults, through the local stack with authentication on:
 * ESS internal errors and hangs are never retried for a create (it may have succeeded), rate limits
 * are; one Idempotency-Key makes exactly one ESS call however many requests race; counted on the
 * emulator itself.
 */
const KEY = "essk_fault_tests_key";
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "stack-faults-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "error", STORE_FSYNC: "false", API_KEY_HASHES: hashApiKey(KEY), ESS_TIMEOUT_MS: "1500" },
    emulator: {
      rateLimitPerSecond: 0,
      callback: { retry: { maxAttempts: 8, initialDelayMs: 20, factor: 1.5, maxDelayMs: 200, timeoutMs: 2_000 } },
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

beforeEach(() => stack.emulator.setFaults({}));

const example = (file: string) => readFile(path.join("test", "fixtures", "seed", file), "utf8");
const creates = () => stack.emulator.stats().calls.CreateFlowGroupByFiles ?? 0;

async function create(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gateway.url}/ess/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}`, ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe("create-group against ESS faults", () => {
  it("an ESS InternalError is answered 502 and not retried (the group may exist)", async () => {
    stack.emulator.setFaults({ internalErrorNext: 1, actions: ["CreateFlowGroupByFiles"] });
    const before = creates();
    const res = await create(await example("ess-example-3.request.json"));
    expect(res.status).toBe(502);
    expect(res.body.Error.Code).toBe("InternalError.Ess");
    expect(res.body.Error.EssRequestId).toMatch(/^s\d+/);
    expect(creates() - before).toBe(1);
  });

  it("an ESS that hangs past the timeout is answered 502 InternalError.EssTimeout, once", async () => {
    stack.emulator.setFaults({ hangNext: 1, actions: ["CreateFlowGroupByFiles"] });
    const before = creates();
    const res = await create(await example("ess-example-3.request.json"));
    expect(res.status).toBe(502);
    expect(res.body.Error.Code).toBe("InternalError.EssTimeout");
    expect(creates() - before).toBe(1);
  });

  it("rate limiting is retried with backoff and the group is created once", async () => {
    stack.emulator.setFaults({ requestLimitNext: 2, actions: ["CreateFlowGroupByFiles"] });
    const before = { calls: creates(), groups: stack.emulator.stats().groupsCreated };
    const res = await create(await example("ess-example-3.request.json"));
    expect(res.status).toBe(200);
    expect(creates() - before.calls).toBe(3);
    expect(stack.emulator.stats().groupsCreated - before.groups).toBe(1);
  });

  it("a request that breaks a documented rule is answered 400 and never reaches ESS", async () => {
    const before = creates();
    const invalid = JSON.parse(await example("ess-example-3.request.json"));
    invalid.FlowGroupInfos = invalid.FlowGroupInfos.slice(0, 1);
    const res = await create(JSON.stringify(invalid));
    expect(res.status).toBe(400);
    expect(res.body.Error.Issues.map((i: any) => i.Path)).toContain("FlowGroupInfos");
    expect(creates()).toBe(before);
  });
});

describe("idempotent create under concurrency", () => {
  it("20 concurrent requests with one key: exactly one ESS call and one group; the rest replay or wait", async () => {
    const body = await example("ess-example-1.request.json");
    const before = { calls: creates(), groups: stack.emulator.stats().groupsCreated };
    const results = await Promise.all(Array.from({ length: 20 }, () => create(body, { "Idempotency-Key": "order-2026-0001" })));
    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 409);
    expect(ok.length + busy.length).toBe(20);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.FlowGroupId)).size).toBe(1);
    expect(creates() - before.calls).toBe(1);
    expect(stack.emulator.stats().groupsCreated - before.groups).toBe(1);

    // Once it is done, every retry replays the same answer without calling ESS.
    const replay = await create(body, { "Idempotency-Key": "order-2026-0001" });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.FlowGroupId).toBe(ok[0]!.body.FlowGroupId);
    expect(creates() - before.calls).toBe(1);
  });

  it("the same key with another body is refused with 422, without calling ESS", async () => {
    await create(await example("ess-example-1.request.json"), { "Idempotency-Key": "order-2026-0002" });
    const before = creates();
    const res = await create(await example("ess-example-3.request.json"), { "Idempotency-Key": "order-2026-0002" });
    expect(res.status).toBe(422);
    expect(res.body.Error.Code).toBe("InvalidParameter.IdempotencyKeyReused");
    expect(creates()).toBe(before);
  });

  it("after a timeout the key is not released: the retry answers 409 instead of creating a second group", async () => {
    stack.emulator.setFaults({ hangNext: 1, actions: ["CreateFlowGroupByFiles"] });
    const body = await example("ess-example-3.request.json");
    const first = await create(body, { "Idempotency-Key": "order-2026-0003" });
    expect(first.status).toBe(502);
    stack.emulator.setFaults({});
    const before = creates();
    const retry = await create(body, { "Idempotency-Key": "order-2026-0003" });
    expect(retry.status).toBe(409);
    expect(retry.body.Error.Code).toBe("FailedOperation.IdempotencyOutcomeUnknown");
    expect(creates()).toBe(before);
  });

  it("after a failure that created nothing the key is free again", async () => {
    const body = JSON.parse(await example("ess-example-3.request.json"));
    const bad = { ...body, FlowGroupName: "" };
    expect((await create(JSON.stringify(bad), { "Idempotency-Key": "order-2026-0004" })).status).toBe(400);
    expect((await create(JSON.stringify(body), { "Idempotency-Key": "order-2026-0004" })).status).toBe(200);
  });
});

describe("counted on the emulator and the store", () => {
  it("0 duplicate groups and 0 lost callbacks over this file's runs", async () => {
    await stack.emulator.waitForCallbacksIdle(15_000);
    const stats = stack.emulator.stats();
    const census = await censusOfFolder(storeDir);
    expect(stats.callbacks.failed).toBe(0);
    // Every message stored once, under its group; none left waiting for a group that was recorded.
    expect(census.events + census.loose).toBe(stats.callbacks.messages);
    expect(census.parked).toBe(0);
    expect(census.records).toBe(stats.groupsCreated);
  });
});
