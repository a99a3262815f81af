import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import type { CallerIdentity, DescribeFlowsResult, EssPort } from "../../../shared/ess/port";
import { readGroupStatus, reconcileEvent, reconcileGroup, type GroupStatusDeps } from "../../../shared/groups/group-status";
import { silentLogger } from "../../../shared/log/logger";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { unusedEss } from "../../support/unused-ess";

const GID = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const FID = "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP";

function snapshot(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {
    edition: "ess",
    flowGroupId: GID,
    recorded: true,
    status: "INIT",
    eventCount: 0,
    flows: [{ flowId: FID, status: "INIT", eventCount: 0, approvers: [] }],
    includedMsgIds: [],
    updatedAt: "2026-11-23T00:00:00.000Z",
    ...overrides,
  };
}

/** A fake store: enough to see what the core reads and records. */
function fakeStore(initial: GroupSnapshot | undefined) {
  const events: StatusEvent[] = [];
  return {
    events,
    getGroup: async (id: string) => (initial && id === initial.flowGroupId ? { ...initial, eventCount: events.length } : undefined),
    listGroups: async () => ({ entries: [], truncated: false }),
    groupOfFlow: async (flowId: string) => (initial?.flows.some((f) => f.flowId === flowId) ? initial.flowGroupId : undefined),
    listEvents: async () => events,
    recordEvent: async (event: StatusEvent) => {
      const duplicate = events.some((e) => e.msgId === event.msgId);
      if (!duplicate) events.push(event);
      return { duplicate, flowGroupId: event.flowGroupId };
    },
  };
}

function fakeEss(result: DescribeFlowsResult) {
  const calls: Array<{ id: string; identity: CallerIdentity }> = [];
  const gateway: EssPort = {
    ...unusedEss(),
    createFlowGroup: async () => {
      throw new Error("not used");
    },
    describeGroup: async (id, identity) => {
      calls.push({ id, identity });
      return result;
    },
  };
  return { calls, gateway };
}

function deps(store: ReturnType<typeof fakeStore>, ess: EssPort, identity = {}): GroupStatusDeps {
  return { store, ess: async () => ess, identity, clock: () => new Date("2026-11-23T10:00:00Z"), log: silentLogger };
}

describe("readGroupStatus", () => {
  it.each(["short", "x".repeat(33), "../../etc/passwd0000000000000000", "yDwJ7UUckpk84praUyPWcjISDLsIVxy-"])(
    "refuses the malformed id %s with 400 before any read",
    async (id) => {
      await expect(readGroupStatus(id, { store: fakeStore(snapshot()) })).rejects.toMatchObject({
        httpStatus: 400,
        code: "InvalidParameter.FlowGroupId",
      });
    },
  );

  it("answers 404 for an unknown group", async () => {
    await expect(readGroupStatus("A".repeat(32), { store: fakeStore(snapshot()) })).rejects.toMatchObject({ httpStatus: 404 });
  });
});

describe("reconcileGroup", () => {
  const described: DescribeFlowsResult = {
    requestId: "s1",
    flows: [{ flowId: FID, status: "PART", approvers: [{ recipientId: "r1", status: "ACCEPT", approveTime: 1_800_000_000 }] }],
  };

  it("reads ESS as the recorded caller and records what it saw once", async () => {
    // The fake store does not fold: its snapshot already shows what ESS will answer.
    const shown = [
      { flowId: FID, status: "PART" as const, eventCount: 1, approvers: [{ recipientId: "r1", status: "ACCEPT" as const, eventCount: 1 }] },
    ];
    const store = fakeStore(snapshot({ caller: { edition: "ess", operatorUserId: "creator" }, flows: shown }));
    const ess = fakeEss(described);
    const first = await reconcileGroup(GID, deps(store, ess.gateway, { operatorUserId: "configured" }));
    const second = await reconcileGroup(GID, deps(store, ess.gateway, { operatorUserId: "configured" }));
    expect(ess.calls[0]).toEqual({ id: GID, identity: { edition: "ess", operatorUserId: "creator" } });
    expect(first).toMatchObject({ recorded: 1, essRequestId: "s1" });
    expect(second.recorded).toBe(0);
    expect(store.events).toHaveLength(1);
    expect(store.events[0]).toMatchObject({ source: "reconcile", flowGroupId: GID, flowId: FID, flowStatus: "PART" });
  });

  it("falls back to the configured identity", async () => {
    const store = fakeStore(snapshot({ edition: "essbasic" }));
    const ess = fakeEss(described);
    await reconcileGroup(GID, deps(store, ess.gateway, { essbasicAppId: "a", proxyOrganizationOpenId: "o", proxyOperatorOpenId: "p" }));
    expect(ess.calls[0]!.identity).toEqual({ edition: "essbasic", appId: "a", proxyOrganizationOpenId: "o", proxyOperatorOpenId: "p" });
  });

  it("answers 409 when no identity can read the group", async () => {
    const ess = fakeEss(described);
    await expect(reconcileGroup(GID, deps(fakeStore(snapshot()), ess.gateway))).rejects.toBeInstanceOf(AppError);
    expect(ess.calls).toHaveLength(0);
  });

  it("derives the event id from the observation: a new state is a new event", () => {
    const a = reconcileEvent("ess", GID, described.flows[0]!, "2026-11-23T10:00:00Z");
    const b = reconcileEvent("ess", GID, described.flows[0]!, "2026-11-23T11:00:00Z");
    const c = reconcileEvent("ess", GID, { ...described.flows[0]!, status: "ALL" }, "2026-11-23T11:00:00Z");
    expect(a.msgId).toBe(b.msgId);
    expect(c.msgId).not.toBe(a.msgId);
  });
});

describe("audit finding 3 through the real status store: a forged final state does not stick", () => {
  const FID2 = "yDwJ7UUckpk84prkUyPWcjIufyhLeqj2";
  const record: GroupRecord = {
    edition: "ess",
    flowGroupId: GID,
    flowGroupName: "租赁合同组",
    flowIds: [FID, FID2],
    flows: [FID, FID2].map((flowId) => ({ flowId, approvers: [{ recipientId: `${flowId}-r1` }] })),
    createdAt: "2026-11-23T09:00:00.000Z",
    caller: { edition: "ess", operatorUserId: "creator" },
  };
  const forged: StatusEvent = {
    msgId: "forged-reject",
    msgType: "FlowStatusChange",
    edition: "unknown",
    source: "callback",
    receivedAt: "2026-11-23T09:10:00.000Z",
    occurTime: 99_999_999_999,
    flowId: FID,
    flowStatus: "REJECT",
    raw: {},
  };
  const signed = (flowId: string, minute: number): StatusEvent => ({
    msgId: `signed-${flowId}`,
    msgType: "FlowStatusChange",
    edition: "ess",
    source: "callback",
    receivedAt: `2026-11-23T09:${minute}:01.000Z`,
    occurTime: Date.parse(`2026-11-23T09:${minute}:00.000Z`) / 1000,
    flowGroupId: GID,
    flowId,
    flowStatus: "ALL",
    approvers: [{ recipientId: `${flowId}-r1`, status: "ACCEPT" }],
    raw: {},
  });

  async function storeWith(...events: StatusEvent[]) {
    const store = createStatusStore(memoryObjectStore(), { clock: () => new Date("2026-11-23T10:00:00Z") });
    await store.recordGroup(record);
    for (const event of events) await store.recordEvent(event);
    return store;
  }

  it("every signer signing after the forged REJECT ends the group ALL", async () => {
    const store = await storeWith(forged, signed(FID, 20), signed(FID2, 21));
    expect(await readGroupStatus(GID, { store })).toMatchObject({ status: "ALL" });
  });

  it("?refresh=1 replaces the forged REJECT with what ESS answers, also when that answer was recorded before", async () => {
    const store = await storeWith();
    const ess = fakeEss({
      requestId: "s1",
      flows: [
        { flowId: FID, status: "PART", approvers: [] },
        { flowId: FID2, status: "INIT", approvers: [] },
      ],
    });
    let now = new Date("2026-11-23T09:05:00Z");
    const refresh = () => reconcileGroup(GID, { store, ess: async () => ess.gateway, identity: {}, clock: () => now, log: silentLogger });
    expect((await refresh()).snapshot.flows[0]!.status).toBe("PART");
    await store.recordEvent(forged);
    expect((await readGroupStatus(GID, { store })).flows[0]!.status).toBe("REJECT");
    now = new Date("2026-11-23T09:30:00Z");
    const refreshed = await refresh();
    expect(refreshed.snapshot.flows[0]!.status).toBe("PART");
    expect(refreshed.snapshot.status).toBe("PART");
    // Asked again with nothing new: no further event.
    now = new Date("2026-11-23T09:40:00Z");
    expect((await refresh()).recorded).toBe(0);
  });
});
