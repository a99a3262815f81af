import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startLocalStack, type LocalStack } from "../../../local/stack";
import type { Edition } from "../../../shared/ess/edition";
import { censusOfFolder } from "../../support/store-census";

/**
 * POST …/cancel, POST …/remind and GET …/files of /flow-groups/{FlowGroupId} through the real
 * group-actions handler on the local stack, in both editions: groups are created through
 * create-group (official SDK → emulator), ESS's answers come from the emulator's cancel, remind and
 * file actions through the official SDK, and ESS's callbacks change the statuses. ESS calls are
 * counted on the emulator; bad requests reach neither ESS nor the store.
 */
const API_KEY = "group-actions-test-api-key";
const OTHER_KEY = "group-actions-test-other-key";
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "group-actions-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "error", STORE_FSYNC: "false", API_KEY_HASHES: `${hashApiKey(API_KEY)},${hashApiKey(OTHER_KEY)}` },
    notify: false,
    timerPeriodMs: 200,
    emulator: { callback: { retry: { maxAttempts: 8, initialDelayMs: 20, factor: 1.5, maxDelayMs: 200, timeoutMs: 2_000 } } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

beforeEach(() => stack.emulator.setFaults({}));

const auth = (key = API_KEY) => ({ Authorization: `Bearer ${key}` });

async function create(edition: Edition, file: string): Promise<{ FlowGroupId: string; FlowIds: string[] }> {
  const res = await fetch(`${stack.gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...auth() },
    body: await readFile(path.join("test", "fixtures", "seed", file), "utf8"),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { FlowGroupId: string; FlowIds: string[] };
  await stack.emulator.waitForCallbacksIdle(10_000);
  return body;
}

async function call(method: "GET" | "POST", flowGroupId: string, action: string, body?: unknown, key = API_KEY) {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}/${action}`, {
    method,
    headers: { "Content-Type": "application/json", ...auth(key) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function status(flowGroupId: string) {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}`, { headers: auth() });
  return (await res.json()) as { Status: string; Flows: Array<{ FlowId: string; Status: string }> };
}

async function events(flowGroupId: string) {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}/events`, { headers: auth() });
  return ((await res.json()) as { Events: Array<{ MsgType: string; Source: string }> }).Events;
}

const calls = (...actions: string[]) => actions.reduce((n, a) => n + (stack.emulator.stats().calls[a] ?? 0), 0);
const CANCEL_ACTIONS = ["CancelFlow", "ChannelCancelFlow", "ChannelBatchCancelFlows"];
const REMIND_ACTIONS = ["CreateFlowGroupReminds", "CreateFlowReminds", "ChannelCreateFlowReminds"];

function signAll(flowGroupId: string) {
  for (let round = 0; round < 10; round++) {
    const pending = stack.emulator
      .state(flowGroupId)
      .groups.flatMap((g) => g.flows.flatMap((f) => f.approvers))
      .filter((a) => a.status === "PENDING");
    if (pending.length === 0) return;
    stack.emulator.sign({ recipientId: pending[0]!.recipientId });
  }
}

const SEEDS: Array<[Edition, string, string[]]> = [
  ["ess", "ess-example-3.request.json", ["CancelFlow"]],
  ["essbasic", "essbasic-example-1.request.json", ["ChannelBatchCancelFlows"]],
];

describe("POST /flow-groups/{FlowGroupId}/cancel", () => {
  it.each(SEEDS)(
    "%s: every open flow cancelled (%s), per flow, recorded, then CANCEL from ESS's callbacks",
    async (edition, seed, actions) => {
      const { FlowGroupId, FlowIds } = await create(edition, seed);
      const before = calls(...actions);
      const beforeAll = calls(...CANCEL_ACTIONS);
      const { status: code, body } = await call("POST", FlowGroupId, "cancel", { Reason: "发错了合同 (sent by mistake)" });
      expect(code).toBe(200);
      expect(body.Flows.map((f: any) => [f.FlowId, f.Result])).toEqual(FlowIds.map((id) => [id, "CANCELLED"]));
      // ess: one CancelFlow per flow; essbasic: one ChannelBatchCancelFlows for the whole group.
      expect(calls(...actions) - before).toBe(edition === "ess" ? FlowIds.length : 1);
      if (edition === "essbasic") expect(body.TaskId).toMatch(/^[A-Za-z0-9]{32}$/);
      await stack.emulator.waitForCallbacksIdle(10_000);
      const after = await status(FlowGroupId);
      expect(after.Flows.every((f) => f.Status === "CANCEL")).toBe(true);
      expect(after.Status).toBe("CANCEL");
      expect((await events(FlowGroupId)).filter((e) => e.MsgType === "CancelRequested" && e.Source === "action")).toHaveLength(1);

      // Again: every flow has ended, ESS is not asked.
      const again = await call("POST", FlowGroupId, "cancel", { Reason: "again" });
      expect(again.body.Flows.every((f: any) => f.Result === "ENDED" && f.StatusBefore === "CANCEL")).toBe(true);
      expect(calls(...CANCEL_ACTIONS) - beforeAll).toBe(edition === "ess" ? FlowIds.length : 1);
    },
  );

  it("a flow that ended meanwhile is skipped, one ESS ended behind the store's back is ESS's refusal, per flow", async () => {
    const { FlowGroupId, FlowIds } = await create("ess", "ess-example-3.request.json");
    stack.emulator.cancel({ flowId: FlowIds[0]! }, "cancelled in the console");
    await stack.emulator.waitForCallbacksIdle(10_000);
    // The second flow ends in ESS without this service hearing of it (its callbacks are lost).
    stack.emulator.setCallbackUrl("ess", undefined);
    stack.emulator.cancel({ flowId: FlowIds[1]! }, "cancelled in the console");
    stack.emulator.setCallbackUrl("ess", stack.callbackUrl);
    const { body } = await call("POST", FlowGroupId, "cancel", { Reason: "no longer needed" });
    expect(body.Flows[0]).toMatchObject({ FlowId: FlowIds[0], Result: "ENDED", StatusBefore: "CANCEL" });
    expect(body.Flows[1]).toMatchObject({ FlowId: FlowIds[1], Result: "REFUSED", Code: "OperationDenied.FlowStatusForbid" });
  });

  it.each([
    ["no body", undefined, "MissingParameter.Reason"],
    ["no Reason", {}, "MissingParameter.Reason"],
    ["an empty Reason", { Reason: "  " }, "InvalidParameter.Reason"],
    ["an emoji", { Reason: "撤销 🙂" }, "InvalidParameter.Reason"],
    ["201 characters", { Reason: "撤".repeat(201) }, "InvalidParameter.Reason"],
    ["an unknown field", { Reason: "ok", Force: true }, "UnknownParameter"],
    ["not an object", [], "MissingParameter.Reason"],
  ])("refuses %s with 400 before ESS or the store", async (_case, body, code) => {
    const { FlowGroupId } = await create("ess", "ess-example-1.request.json");
    const census = await censusOfFolder(storeDir);
    const before = calls(...CANCEL_ACTIONS);
    const answer = await call("POST", FlowGroupId, "cancel", body);
    expect(answer.status).toBe(400);
    expect(answer.body.Error.Code).toBe(code);
    expect(calls(...CANCEL_ACTIONS)).toBe(before);
    expect((await censusOfFolder(storeDir)).events).toBe(census.events);
  });

  it("ESS failing every flow's cancel is the answer (502, ESS's code), and nothing is recorded", async () => {
    const { FlowGroupId } = await create("ess", "ess-example-3.request.json");
    stack.emulator.setFaults({ internalErrorRate: 1, actions: ["CancelFlow"] });
    const answer = await call("POST", FlowGroupId, "cancel", { Reason: "x" });
    expect(answer.status).toBe(502);
    expect(answer.body.Error.Code).toBe("InternalError.Ess");
    expect((await events(FlowGroupId)).some((e) => e.MsgType === "CancelRequested")).toBe(false);
  });

  it("another key's group, and an unknown one, are 404; a malformed id 400; ESS is not asked", async () => {
    const { FlowGroupId } = await create("ess", "ess-example-1.request.json");
    const before = calls(...CANCEL_ACTIONS);
    expect((await call("POST", FlowGroupId, "cancel", { Reason: "x" }, OTHER_KEY)).status).toBe(404);
    expect((await call("POST", "Z".repeat(32), "cancel", { Reason: "x" })).status).toBe(404);
    expect((await call("POST", "not-an-id", "cancel", { Reason: "x" })).status).toBe(400);
    expect(calls(...CANCEL_ACTIONS)).toBe(before);
  });
});

describe("POST /flow-groups/{FlowGroupId}/remind", () => {
  it("ess: CreateFlowGroupReminds for the group, per flow and approver (named by RecipientId), at most 3 times", async () => {
    const { FlowGroupId, FlowIds } = await create("ess", "ess-example-3.request.json");
    const before = calls("CreateFlowGroupReminds");
    const first = await call("POST", FlowGroupId, "remind");
    expect(first.status).toBe(200);
    expect(calls("CreateFlowGroupReminds") - before).toBe(1);
    expect(first.body.Flows.map((f: any) => f.FlowId)).toEqual(FlowIds);
    const reminded = first.body.Flows.flatMap((f: any) => f.Approvers ?? []);
    expect(reminded.length).toBeGreaterThan(0);
    expect(reminded.every((a: any) => a.Result === "REMINDED" && /^[A-Za-z0-9]{32}$/.test(a.RecipientId))).toBe(true);
    await call("POST", FlowGroupId, "remind", {});
    await call("POST", FlowGroupId, "remind");
    const fourth = await call("POST", FlowGroupId, "remind");
    expect(fourth.body.Flows.flatMap((f: any) => f.Approvers ?? []).every((a: any) => a.Result === "LIMIT_EXCEEDED")).toBe(true);
    expect(fourth.body.Flows.every((f: any) => f.Result === "NOT_REMINDED")).toBe(true);
    expect((await events(FlowGroupId)).filter((e) => e.MsgType === "RemindRequested")).toHaveLength(4);
  });

  it("essbasic: ChannelCreateFlowReminds with the open flows, per flow, once per person", async () => {
    const { FlowGroupId, FlowIds } = await create("essbasic", "essbasic-example-1.request.json");
    const before = calls("ChannelCreateFlowReminds");
    const first = await call("POST", FlowGroupId, "remind");
    expect(first.body.Flows.map((f: any) => [f.FlowId, f.Result])).toEqual(FlowIds.map((id) => [id, "REMINDED"]));
    const second = await call("POST", FlowGroupId, "remind");
    expect(second.body.Flows.every((f: any) => f.Result === "NOT_REMINDED" && f.Message)).toBe(true);
    expect(calls("ChannelCreateFlowReminds") - before).toBe(2);
  });

  it("a signed group has nobody to remind: every flow ENDED, ESS not asked; fields are refused", async () => {
    const { FlowGroupId } = await create("ess", "ess-example-1.request.json");
    signAll(FlowGroupId);
    await stack.emulator.waitForCallbacksIdle(10_000);
    const before = calls(...REMIND_ACTIONS);
    const answer = await call("POST", FlowGroupId, "remind");
    expect(answer.body.Flows.every((f: any) => f.Result === "ENDED")).toBe(true);
    expect((await call("POST", FlowGroupId, "remind", { Mobile: "13800000000" })).body.Error.Code).toBe("UnknownParameter");
    expect(calls(...REMIND_ACTIONS)).toBe(before);
  });
});

describe("GET /flow-groups/{FlowGroupId}/files", () => {
  it.each(SEEDS)("%s: 409 until the group is ALL, then each flow's signed PDF link, and the archived copy", async (edition, seed) => {
    const { FlowGroupId, FlowIds } = await create(edition, seed);
    const early = await call("GET", FlowGroupId, "files");
    expect(early.status).toBe(409);
    expect(early.body.Error.Code).toBe("FailedOperation.GroupNotSigned");
    signAll(FlowGroupId);
    await stack.emulator.waitForCallbacksIdle(10_000);
    const { status: code, body } = await call("GET", FlowGroupId, "files");
    expect(code).toBe(200);
    expect(body.Files.map((f: any) => f.FlowId)).toEqual(FlowIds);
    for (const file of body.Files) {
      expect(file.Urls).toHaveLength(1);
      expect(Date.parse(file.Urls[0].ExpiresAt)).toBeGreaterThan(Date.now());
      const pdf = Buffer.from(await (await fetch(file.Urls[0].Url)).arrayBuffer());
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
    // The outbox archives each flow's PDF (first attempt 3 s after it saw the flow ALL).
    const deadline = Date.now() + 15_000;
    let archived: any;
    while (Date.now() < deadline) {
      archived = (await call("GET", FlowGroupId, "files")).body;
      if (archived.Files.every((f: any) => f.Archive.State === "DONE")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const file of archived.Files) {
      expect(file.Archive).toMatchObject({ State: "DONE", Keys: [`archive/${FlowGroupId}/${file.FlowId}.pdf`] });
      const stored = await readFile(path.join(storeDir, "archive", FlowGroupId, `${file.FlowId}.pdf`));
      expect(stored.length).toBe(file.Archive.Bytes);
    }
  });

  it("the archive waits while ESS composes the signed PDF: the outbox retries until the link serves it", async () => {
    stack.emulator.setFaults({ signedFileComposeMs: 4_500 });
    const { FlowGroupId } = await create("ess", "ess-example-1.request.json");
    signAll(FlowGroupId);
    await stack.emulator.waitForCallbacksIdle(10_000);
    const deadline = Date.now() + 18_000;
    let files: any;
    while (Date.now() < deadline) {
      files = (await call("GET", FlowGroupId, "files")).body.Files;
      if (files.every((f: any) => f.Archive.State === "DONE")) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const state = JSON.parse(await readFile(path.join(storeDir, "outbox", "groups", FlowGroupId, "state.json"), "utf8"));
    for (const file of files) {
      expect(file.Archive.State).toBe("DONE");
      // The first attempt (3 s after ALL) met "being composed"; a retry got the PDF.
      expect(state.archive[file.FlowId].attempts).toBeGreaterThanOrEqual(2);
    }
  }, 25_000);
});
