import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Faults } from "../../../local/ess-emulator";
import { startLocalStack, type LocalStack } from "../../../local/stack";
import { censusOfFolder } from "../../support/store-census";

/**
 * The whole product offline, end to end: create-group through the local gateway (official SDK →
 * emulator), people sign through the emulator, the emulator sends real encrypted, signed callbacks
 * to the callback function, group-status reads the store. Repeated under each callback fault mode
 * of the emulator: every group ends ALL, no message is lost, none is counted twice.
 */
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "stack-e2e-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "error", STORE_FSYNC: "false" },
    emulator: { callback: { retry: { maxAttempts: 8, initialDelayMs: 20, factor: 1.5, maxDelayMs: 200, timeoutMs: 2_000 } } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

async function seed(file: string): Promise<string> {
  return readFile(path.join("test", "fixtures", "seed", file), "utf8");
}

async function storedEventCount(): Promise<number> {
  const census = await censusOfFolder(storeDir);
  return census.events + census.loose + census.waiting;
}

async function createAndSign(edition: "ess" | "essbasic", file: string): Promise<string> {
  const res = await fetch(`${stack.gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: await seed(file),
  });
  const body = (await res.json()) as { FlowGroupId: string };
  expect(res.status).toBe(200);
  for (let round = 0; round < 10; round++) {
    const pending = stack.emulator
      .state(body.FlowGroupId)
      .groups.flatMap((g) => g.flows.flatMap((f) => f.approvers))
      .filter((a) => a.status === "PENDING");
    if (pending.length === 0) break;
    stack.emulator.sign({ recipientId: pending[0]!.recipientId });
  }
  return body.FlowGroupId;
}

async function groupStatus(flowGroupId: string) {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    Status: string;
    EventCount: number;
    Flows: Array<{ Status: string; EventCount: number; Approvers: Array<{ Status: string }> }>;
  };
}

const faultModes: Array<[string, Faults]> = [
  ["no fault", {}],
  ["every message delivered twice", { seed: 1, callbackDuplicateRate: 1 }],
  ["each batch shuffled out of order", { seed: 2, callbackShuffle: true }],
  ["delayed deliveries", { seed: 3, callbackDelayMs: 150 }],
  ["first attempt dropped", { seed: 4, callbackDropFirstRate: 1 }],
  ["half the attempts with a corrupted signature", { seed: 5, callbackCorruptSignatureRate: 0.5 }],
  [
    "all of them at once",
    {
      seed: 6,
      callbackDuplicateRate: 0.5,
      callbackShuffle: true,
      callbackDelayMs: 50,
      callbackDropFirstRate: 0.5,
      callbackCorruptSignatureRate: 0.3,
    },
  ],
];

describe("signing story end to end", () => {
  it.each(faultModes)("%s: every group reaches ALL, 0 lost, 0 counted twice", async (_mode, faults) => {
    stack.emulator.setFaults(faults);
    const before = { messages: stack.emulator.stats().callbacks.messages, stored: await storedEventCount() };

    const groups = [
      await createAndSign("ess", "ess-example-1.request.json"),
      await createAndSign("essbasic", "essbasic-example-1.request.json"),
    ];
    await stack.emulator.waitForCallbacksIdle(20_000);
    stack.emulator.setFaults({});

    const callbacks = stack.emulator.stats().callbacks;
    const messages = callbacks.messages - before.messages;
    const stored = (await storedEventCount()) - before.stored;
    const views = await Promise.all(groups.map(groupStatus));

    expect(callbacks.failed).toBe(0);
    expect(messages).toBeGreaterThan(0);
    // Every distinct message the emulator sent is stored once: none lost, none twice.
    expect(stored).toBe(messages);
    // And each is counted once in its group's status.
    expect(views.reduce((sum, v) => sum + v.EventCount, 0)).toBe(messages);
    for (const view of views) {
      expect(view.Status).toBe("ALL");
      for (const flow of view.Flows) {
        expect(flow.Status).toBe("ALL");
        expect(flow.Approvers.every((a) => a.Status === "ACCEPT")).toBe(true);
      }
    }
  });

  it("reconciles with ESS on request and records what it learned once", async () => {
    const flowGroupId = await createAndSign("ess", "ess-example-3.request.json");
    await stack.emulator.waitForCallbacksIdle(10_000);
    const first = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}?refresh=1`).then((r) => r.json() as Promise<any>);
    const second = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}?refresh=1`).then((r) => r.json() as Promise<any>);
    expect(first.Status).toBe("ALL");
    expect(first.Reconciled.EventsRecorded).toBe(2);
    expect(first.Reconciled.EssRequestId).toMatch(/^s\d+/);
    expect(second.Reconciled.EventsRecorded).toBe(0);
    expect(second.EventCount).toBe(first.EventCount);
  });

  it("lists a group's events with personal data masked", async () => {
    const flowGroupId = await createAndSign("ess", "ess-example-1.request.json");
    await stack.emulator.waitForCallbacksIdle(10_000);
    const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}/events`);
    const text = await res.text();
    expect(res.status).toBe(200);
    const body = JSON.parse(text) as { Events: Array<{ MsgId: string; MsgType: string }> };
    expect(body.Events.length).toBeGreaterThan(0);
    expect(body.Events.some((e) => e.MsgType === "FlowGroupStatusChange")).toBe(true);
    // Mobiles and people's names (as whole values; company names such as 典子谦示例企业 are not personal data).
    for (const secret of ["18251952320", "18888888888", "13200000000", '"典子谦"', '"张三"']) expect(text).not.toContain(secret);
    expect(text).toContain('"ApproverName":"典**"');
  });

  it("answers 404 for a group it never heard of, and 400 for a malformed id", async () => {
    expect((await fetch(`${stack.gateway.url}/flow-groups/${"Z".repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${stack.gateway.url}/flow-groups/not-an-id`)).status).toBe(400);
  });
});
