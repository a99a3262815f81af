import { describe, expect, it } from "vitest";
import { ownerIdOf } from "../../../shared/auth/ownership";
import { EssTimeout } from "../../../shared/errors/ess-errors";
import { IdempotencyUnsupported } from "../../../shared/errors/idempotency-errors";
import { ValidationError } from "../../../shared/errors/request-errors";
import { BucketVersioned } from "../../../shared/errors/store-errors";
import type { CreateFlowGroupCall, CreateFlowGroupResult, EssPort } from "../../../shared/ess/port";
import { createGroup, createGroupIdempotently, type CreateGroupDeps } from "../../../shared/groups/create-group";
import type { Begin, Idempotency } from "../../../shared/idempotency/idempotency";
import { createLogger, silentLogger } from "../../../shared/log/logger";
import type { ObjectStore } from "../../../shared/object-store/port";
import type { GroupRecord } from "../../../shared/status-store/model";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { flowEvent, T0 } from "../status-store/fixtures";
import { unusedEss } from "../../support/unused-ess";
import { seed } from "../validation/fixtures";

/**
 * The create use case with fakes behind its ports, one test a branch: what the caller gets back,
 * what reached ESS, what was recorded and claimed, and what was logged.
 */
const NOW = new Date("2024-01-01T00:00:00Z");
const GROUP = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const FLOWS = ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP", "yDwJ7UUckpk84prkUyPWcjIufyhLeqj2"];
const ANSWER: CreateFlowGroupResult = { FlowGroupId: GROUP, FlowIds: FLOWS, RequestId: "ess-req-1" };

interface Setup {
  answer?: CreateFlowGroupResult | Error;
  recordFails?: boolean;
  checkFails?: Error;
  identity?: CreateGroupDeps["identity"];
  idempotency?: Idempotency;
}

function setup(options: Setup = {}) {
  const calls: Array<{ call: CreateFlowGroupCall; timeoutMs: number | undefined }> = [];
  const recorded: GroupRecord[] = [];
  const checks: Array<number | undefined> = [];
  const logs: Array<{ level: string; msg: string }> = [];
  const ess: EssPort = {
    ...unusedEss(),
    async createFlowGroup(call, callOptions) {
      calls.push({ call, timeoutMs: callOptions?.timeoutMs });
      const answer = options.answer ?? ANSWER;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const deps: CreateGroupDeps = {
    ess,
    idempotency: options.idempotency,
    store: {
      async check(callOptions) {
        checks.push(callOptions?.deadline);
        if (options.checkFails) throw options.checkFails;
      },
      async recordGroup(record) {
        if (options.recordFails) throw new Error("store down");
        recorded.push(record);
        return undefined as never;
      },
    },
    identity: options.identity ?? {},
    clock: () => NOW,
    log: createLogger({ level: "debug", sink: (line) => logs.push(JSON.parse(line)) }),
  };
  return { deps, calls, recorded, checks, logs };
}

/** A request that validates without warnings, so ESS's answer comes back as it is. */
const CLEAN = "essbasic-example-1";
const input = (body: unknown = seed(CLEAN), extra: Partial<Parameters<typeof createGroup>[0]> = {}) => ({
  edition: (body === undefined || (body as { Agent?: { AppId?: unknown } }).Agent?.AppId !== undefined ? "essbasic" : "ess") as
    | "ess"
    | "essbasic",
  body,
  scfRequestId: "scf-req-1",
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (error: unknown) => error,
  );
}

describe("createGroup", () => {
  it("sends a valid request to ESS once, answers ESS's answer verbatim and records the group", async () => {
    const { deps, calls, recorded } = setup();
    const response = await createGroup(input(undefined, { owner: "owner-digest", timeoutMs: 5_000 }), deps);
    expect(response).toEqual(ANSWER);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.timeoutMs).toBe(5_000);
    expect(calls[0]!.call.request.FlowGroupName).toBe(seed(CLEAN).FlowGroupName);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      edition: "essbasic",
      flowGroupId: GROUP,
      flowIds: FLOWS,
      owner: "owner-digest",
      createdAt: NOW.toISOString(),
    });
  });

  it("passes the validation warnings through as Warnings, beside ESS's answer", async () => {
    const { deps } = setup();
    const response = await createGroup(input(seed("ess-example-3")), deps);
    expect(response).toMatchObject(ANSWER);
    expect(response.Warnings?.map((warning) => warning.Path)).toEqual([
      "FlowGroupName",
      "FlowGroupInfos[0].FlowName",
      "FlowGroupInfos[1].FlowName",
    ]);
  });

  it("refuses an invalid request with the exact path, before the store is checked or ESS is called", async () => {
    const { deps, calls, checks, recorded } = setup();
    const error = await rejection(createGroup(input({ ...seed(CLEAN), FlowGroupName: "" }), deps));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues?.map((issue) => issue.Path)).toContain("FlowGroupName");
    expect([calls, checks, recorded]).toEqual([[], [], []]);
  });

  it("refuses before spending ESS quota when the store must not be written (a versioned bucket)", async () => {
    const { deps, calls } = setup({ checkFails: new BucketVersioned("Enabled") });
    expect(await rejection(createGroup(input(), deps))).toBeInstanceOf(BucketVersioned);
    expect(calls).toEqual([]);
  });

  it("lets an ESS failure through and records nothing", async () => {
    const { deps, recorded } = setup({ answer: new EssTimeout(5_000) });
    expect(await rejection(createGroup(input(), deps))).toBeInstanceOf(EssTimeout);
    expect(recorded).toEqual([]);
  });

  it("created in ESS, record not stored: still ESS's answer (a 200), with a warning not to create it again, and an error logged", async () => {
    const { deps, calls, logs } = setup({ recordFails: true });
    const response = await createGroup(input(), deps);
    expect(response).toEqual({
      ...ANSWER,
      Warnings: [expect.objectContaining({ Path: "FlowGroupId", Code: "FailedOperation.StatusRecord" })],
    });
    expect(response.Warnings![0]!.Message).toContain("Do not create it again");
    expect(calls).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: "error", msg: "group created in ESS but its record could not be stored" }),
    );
  });

  it("ESS answering without a FlowGroupId: its answer, a warning that the status cannot be tracked, nothing recorded", async () => {
    const { deps, recorded } = setup({ answer: { RequestId: "ess-req-2" } });
    const response = await createGroup(input(), deps);
    expect(response.RequestId).toBe("ess-req-2");
    expect(response.Warnings).toEqual([expect.objectContaining({ Code: "FailedOperation.StatusRecord", Path: "FlowGroupId" })]);
    expect(recorded).toEqual([]);
  });

  it("applies the configured operator when the body leaves it out, and refuses a body naming another", async () => {
    const body = seed("ess-example-1") as Record<string, unknown>;
    const { Operator: _omitted, ...withoutOperator } = body;
    const configured = setup({ identity: { operatorUserId: "configured-operator" } });
    await createGroup(input(withoutOperator), configured.deps);
    expect(configured.calls[0]!.call.request).toMatchObject({ Operator: { UserId: "configured-operator" } });
    const other = setup({ identity: { operatorUserId: "configured-operator" } });
    const refused = await rejection(createGroup(input({ ...body, Operator: { UserId: "someone-else" } }), other.deps));
    expect((refused as { httpStatus: number }).httpStatus).toBe(403);
    expect(other.calls).toEqual([]);
  });
});

/** An idempotency fake: `begin` answers `found`; claims, completions and failures are recorded. */
function fakeIdempotency(found: "free" | { replay: unknown }, faults: { complete?: boolean; fail?: boolean } = {}) {
  const events: string[] = [];
  const idempotency: Idempotency = {
    async begin(scope: string, key: string): Promise<Begin> {
      events.push(`begin ${scope.replace("\n", "/")} ${key}`);
      if (found !== "free") return { kind: "replay", response: { statusCode: 200, body: found.replay } };
      return {
        kind: "free",
        async claim() {
          events.push("claim");
          return {
            async complete(response) {
              events.push(`complete ${(response.body as CreateFlowGroupResult).FlowGroupId}`);
              if (faults.complete) throw new Error("store down");
            },
            async fail(error) {
              events.push(`fail ${(error as Error).name}`);
              if (faults.fail) throw new Error("store down");
            },
          };
        },
      };
    },
  } as Idempotency;
  return { idempotency, events };
}

describe("createGroupIdempotently", () => {
  const keyed = (body: unknown = seed(CLEAN)) => ({ ...input(body), idempotencyKey: "key-1", principal: "p1" });

  it("without a key: one plain create, not a replay", async () => {
    const { deps, calls } = setup();
    expect(await createGroupIdempotently({ ...input(), principal: "p1" }, deps)).toEqual({ response: ANSWER, replayed: false });
    expect(calls).toHaveLength(1);
  });

  it("refuses a key where the deployment has no idempotency store, before ESS", async () => {
    const { deps, calls } = setup();
    expect(await rejection(createGroupIdempotently(keyed(), deps))).toBeInstanceOf(IdempotencyUnsupported);
    expect(calls).toEqual([]);
  });

  it("a new key: validated, claimed, created, completed with ESS's answer", async () => {
    const { idempotency, events } = fakeIdempotency("free");
    const { deps, calls } = setup({ idempotency });
    expect(await createGroupIdempotently(keyed(), deps)).toEqual({ response: ANSWER, replayed: false });
    expect(events).toEqual(["begin essbasic/p1 key-1", "claim", `complete ${GROUP}`]);
    expect(calls).toHaveLength(1);
  });

  it("a replay answers the stored answer without validating or calling ESS", async () => {
    const stored = { ...ANSWER, RequestId: "stored" };
    const { idempotency } = fakeIdempotency({ replay: stored });
    const { deps, calls } = setup({ idempotency });
    // A body that would no longer validate still gets its stored answer.
    expect(await createGroupIdempotently(keyed({ ...seed(CLEAN), FlowGroupName: "" }), deps)).toEqual({ response: stored, replayed: true });
    expect(calls).toEqual([]);
  });

  it("an invalid request never claims the key", async () => {
    const { idempotency, events } = fakeIdempotency("free");
    const { deps, calls } = setup({ idempotency });
    expect(await rejection(createGroupIdempotently(keyed({ ...seed(CLEAN), FlowGroupName: "" }), deps))).toBeInstanceOf(ValidationError);
    expect(events).toEqual(["begin essbasic/p1 key-1"]);
    expect(calls).toEqual([]);
  });

  it("an ESS failure marks the claim failed and reaches the caller, even when marking it fails too", async () => {
    for (const failToo of [false, true]) {
      const { idempotency, events } = fakeIdempotency("free", { fail: failToo });
      const { deps, logs } = setup({ idempotency, answer: new EssTimeout(5_000) });
      expect(await rejection(createGroupIdempotently(keyed(), deps))).toBeInstanceOf(EssTimeout);
      expect(events).toEqual(["begin essbasic/p1 key-1", "claim", "fail EssTimeout"]);
      expect(logs.some((line) => line.msg === "idempotency claim not updated after a failure")).toBe(failToo);
    }
  });

  it("a created group whose claim cannot be completed is still answered (and logged), not turned into an error", async () => {
    const { idempotency } = fakeIdempotency("free", { complete: true });
    const { deps, logs } = setup({ idempotency });
    expect(await createGroupIdempotently(keyed(), deps)).toEqual({ response: ANSWER, replayed: false });
    expect(logs).toContainEqual(expect.objectContaining({ level: "error", flowGroupId: GROUP }));
  });

  it("records the caller's owner id (never its key digest), and no owner when authentication is off", async () => {
    const keyed = setup();
    await createGroupIdempotently({ ...input(), principal: "a".repeat(64) }, keyed.deps);
    expect(keyed.recorded[0]!.owner).toBe(ownerIdOf("a".repeat(64)));
    expect(keyed.recorded[0]!.owner).not.toBe("a".repeat(64));
    const open = setup();
    await createGroupIdempotently({ ...input(), principal: undefined }, open.deps);
    expect(open.recorded[0]!.owner).toBeUndefined();
  });

  it("scopes keys by edition and caller", async () => {
    const { idempotency, events } = fakeIdempotency("free");
    const { deps } = setup({ idempotency });
    await createGroupIdempotently({ ...keyed(seed("ess-example-3")), principal: "p2" }, deps);
    expect(events[0]).toBe("begin ess/p2 key-1");
    const open = fakeIdempotency("free");
    await createGroupIdempotently({ ...keyed(), principal: undefined }, setup({ idempotency: open.idempotency }).deps);
    expect(open.events[0]).toBe("begin essbasic/anonymous key-1");
  });
});

/**
 * create-group's record step (review finding F2): ESS has created the group, so a store failure
 * never turns into an error (the caller would create the group twice); the step is tried again
 * within its budget, and what it leaves half-done the next read of the group finishes.
 */
const F1 = "yDwFlowA00000000000000000000000A";
const clock = () => new Date("2025-06-15T12:00:05.000Z");

function essCreating(): { port: EssPort; calls: number } {
  const ess = {
    calls: 0,
    port: {
      ...unusedEss(),
      createFlowGroup: async () => {
        ess.calls++;
        return { FlowGroupId: GROUP, FlowIds: [F1], RequestId: "ess-req-1" };
      },
    } as EssPort,
  };
  return ess;
}

const recordInput = { edition: "essbasic" as const, body: seed("essbasic-example-1"), scfRequestId: "r1", timeoutMs: 20_000 };

describe("create-group's record step", () => {
  it("a failure of the record step is tried again within its budget: no warning, the parked callback joined", async () => {
    const mem = memoryObjectStore();
    const status = createStatusStore(mem, { clock });
    // An essbasic callback naming only its flow came first (auto-signers sign at creation).
    await status.recordEvent(flowEvent({ msgId: "M-early", flowId: F1, status: "ALL", occurTime: T0 }));
    let failures = 1;
    const objects: ObjectStore = {
      ...mem,
      get: async (key, options) => {
        if (key.startsWith("parked/") && failures-- > 0) throw new Error("COS 503");
        return mem.get(key, options);
      },
    };
    const ess = essCreating();
    const deps: CreateGroupDeps = { ess: ess.port, store: createStatusStore(objects, { clock }), identity: {}, clock, log: silentLogger };
    const response = await createGroup(recordInput, deps);
    expect(response).toEqual({ FlowGroupId: GROUP, FlowIds: [F1], RequestId: "ess-req-1" });
    expect(ess.calls).toBe(1);
    expect(JSON.parse(mem.data.get(`groups/${GROUP}/record.json`)!).joinedAt).toBeDefined();
    expect((await status.getGroup(GROUP))!.includedMsgIds).toEqual(["M-early"]);
  });

  it("a store that keeps failing: 200 with the StatusRecord warning after three attempts, ESS called once", async () => {
    const ess = essCreating();
    let attempts = 0;
    const store: CreateGroupDeps["store"] = {
      check: async () => undefined,
      recordGroup: async () => {
        attempts++;
        throw new Error("COS 503");
      },
    };
    const response = await createGroup(recordInput, { ess: ess.port, store, identity: {}, clock, log: silentLogger });
    expect(response.Warnings).toEqual([expect.objectContaining({ Code: "FailedOperation.StatusRecord", Path: "FlowGroupId" })]);
    expect({ attempts, essCalls: ess.calls }).toEqual({ attempts: 3, essCalls: 1 });
  });

  it.each([
    ["a refused store (a versioned bucket)", async () => Promise.reject(new BucketVersioned("Enabled"))],
    [
      "an attempt that used the whole budget",
      async (_record: unknown, options?: { deadline?: number }) => {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, (options?.deadline ?? 0) - Date.now()) + 5));
        throw new Error("deadline passed");
      },
    ],
  ])("is not tried again after %s", async (_, recordGroup) => {
    let attempts = 0;
    const store: CreateGroupDeps["store"] = {
      check: async () => undefined,
      recordGroup: async (record, options) => {
        attempts++;
        return recordGroup(record, options);
      },
    };
    const deps: CreateGroupDeps = { ess: essCreating().port, store, identity: {}, clock, log: silentLogger };
    const response = await createGroup({ ...recordInput, timeoutMs: 50 }, deps);
    expect(response.Warnings?.map((w) => w.Code)).toEqual(["FailedOperation.StatusRecord"]);
    expect(attempts).toBe(1);
  });

  it("may use what the ESS call left of its budget, plus one second", async () => {
    let deadline: number | undefined;
    const store: CreateGroupDeps["store"] = {
      check: async () => undefined,
      recordGroup: async (_record, options) => {
        deadline = options?.deadline;
        throw new Error("COS 503");
      },
    };
    const started = Date.now();
    await createGroup({ ...recordInput, timeoutMs: 20_000 }, { ess: essCreating().port, store, identity: {}, clock, log: silentLogger });
    expect(deadline! - started).toBeGreaterThanOrEqual(21_000);
    expect(deadline! - Date.now()).toBeLessThanOrEqual(21_000);
  });
});
