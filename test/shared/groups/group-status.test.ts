import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import type { CallerIdentity, DescribeFlowsResult, EssGateway } from "../../../shared/ess/gateway";
import { readGroupStatus, reconcileEvent, reconcileGroup, type GroupStatusDeps } from "../../../shared/groups/group-status";
import { silentLogger } from "../../../shared/log/logger";
import type { GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";

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
  const gateway: EssGateway = {
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

function deps(store: ReturnType<typeof fakeStore>, ess: EssGateway, identity = {}): GroupStatusDeps {
  return { store, ess: async () => ess, identity, clock: () => new Date("2026-11-23T10:00:00Z"), log: silentLogger };
}

describe("readGroupStatus", () => {
  it.each(["short", "x".repeat(33), "../../etc/passwd0000000000000000", "yDwJ7UUckpk84praUyPWcjISDLsIVxy-"])(
    "refuses the malformed id %s with 400 before any read",
    async (id) => {
      await expect(readGroupStatus(id, { store: fakeStore(snapshot()) })).rejects.toMatchObject({ httpStatus: 400, code: "InvalidParameter.FlowGroupId" });
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
    const store = fakeStore(snapshot({ caller: { edition: "ess", operatorUserId: "creator" } }));
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
