import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import { FINAL_FLOW_STATUSES, type ApproverStatus, type FlowStatus } from "../../../shared/ess/status-codes";
import {
  applyEvents,
  approverStatusWins,
  eventTime,
  flowStatusWins,
  initialSnapshot,
  OCCUR_TIME_SKEW_MS,
  rollupGroupStatus,
} from "../../../shared/status-store/reducer";
import { flowEvent, groupEvent, groupRecord, RECEIVED_AT, T0 } from "./fixtures";

const NOW = new Date("2025-06-15T12:00:00.000Z");
const RECORD = groupRecord("G1", ["F1", "F2", "F3"]);

function content(snapshot: GroupSnapshot): Omit<GroupSnapshot, "updatedAt"> {
  const { updatedAt: _, ...rest } = snapshot;
  return rest;
}

const fold = (events: StatusEvent[], record = RECORD) => applyEvents(initialSnapshot(record, "G1", "ess", NOW), events);

describe("rollupGroupStatus", () => {
  it.each<[string, FlowStatus[], FlowStatus]>([
    ["no flows", [], "INIT"],
    ["all signed", ["ALL", "ALL"], "ALL"],
    ["some signed", ["ALL", "INIT"], "PART"],
    ["one partly signed", ["INIT", "PART"], "PART"],
    ["nothing yet", ["INIT", "INIT"], "INIT"],
    ["a rejection beats everything", ["ALL", "CANCEL", "REJECT"], "REJECT"],
    ["cancel before deadline", ["DEADLINE", "CANCEL", "PART"], "CANCEL"],
    ["deadline before invalid", ["INVALID", "DEADLINE"], "DEADLINE"],
    ["invalid before relieved", ["RELIEVED", "INVALID", "ALL"], "INVALID"],
    ["relieved alone", ["RELIEVED", "ALL"], "RELIEVED"],
  ])("%s → %s", (_, statuses, expected) => {
    expect(rollupGroupStatus(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe("status order", () => {
  const key = (at: number, msgId = "m") => ({ at, msgId });
  it.each<[string, FlowStatus, number, FlowStatus, number, boolean]>([
    ["a final state beats a later non-final one", "ALL", 100, "PART", 200, false],
    ["a final state replaces an earlier non-final one", "PART", 100, "ALL", 50, true],
    ["a later final state wins over an earlier final one", "ALL", 100, "RELIEVED", 200, true],
    ["an older final state does not replace a newer one", "RELIEVED", 200, "ALL", 100, false],
    ["a later non-final state wins", "INIT", 100, "PART", 200, true],
    ["same time: the higher rank wins", "PART", 100, "INIT", 100, false],
    ["same time, same rank: the higher MsgId wins", "PART", 100, "PART", 100, true],
  ])("flow: %s", (_, current, currentAt, candidate, candidateAt, wins) => {
    expect(flowStatusWins({ status: candidate, key: key(candidateAt, "m2") }, { status: current, key: key(currentAt, "m1") })).toBe(wins);
  });

  it.each<[string, ApproverStatus, number, ApproverStatus, number, boolean]>([
    ["ACCEPT is not undone by an older PENDING", "ACCEPT", 100, "PENDING", 50, false],
    ["ACCEPT is not undone by a later PENDING", "ACCEPT", 100, "PENDING", 200, false],
    ["FILLACCEPT then PENDING moves forward", "FILLACCEPT", 100, "PENDING", 200, true],
    ["a later REJECT after ACCEPT wins by time", "ACCEPT", 100, "REJECT", 200, true],
  ])("approver: %s", (_, current, currentAt, candidate, candidateAt, wins) => {
    expect(approverStatusWins({ status: candidate, key: key(candidateAt, "m2") }, { status: current, key: key(currentAt, "m1") })).toBe(
      wins,
    );
  });

  it("anything beats the default state of a new flow", () => {
    expect(flowStatusWins({ status: "INIT", key: key(0) }, { status: "INIT" })).toBe(true);
  });
});

describe("initialSnapshot", () => {
  it("starts every recorded flow at INIT and every recorded approver at PENDING, in record order", () => {
    const snapshot = initialSnapshot(RECORD, "G1", "ess", NOW);
    expect(snapshot).toMatchObject({
      flowGroupId: "G1",
      flowGroupName: RECORD.flowGroupName,
      recorded: true,
      status: "INIT",
      eventCount: 0,
      includedMsgIds: [],
      updatedAt: NOW.toISOString(),
    });
    expect(snapshot.flows.map((f) => [f.flowId, f.flowName, f.status, f.inRecord])).toEqual([
      ["F1", "合同1", "INIT", true],
      ["F2", "合同2", "INIT", true],
      ["F3", "合同3", "INIT", true],
    ]);
    expect(snapshot.flows[0]!.approvers).toEqual([
      { recipientId: "F1-r1", signId: "F1-s1", approverRoleName: "甲方", status: "PENDING", eventCount: 0, inRecord: true },
      { recipientId: "F1-r2", approverRoleName: "乙方", status: "PENDING", eventCount: 0, inRecord: true },
    ]);
  });

  it("carries the creating caller, so a reconciliation reads the group as that caller", () => {
    const caller = { edition: "ess" as const, operatorUserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" };
    expect(initialSnapshot({ ...RECORD, caller }, "G1", "ess", NOW).caller).toEqual(caller);
    expect(initialSnapshot(RECORD, "G1", "ess", NOW).caller).toBeUndefined();
  });

  it("without a record, is an empty unrecorded group", () => {
    expect(initialSnapshot(undefined, "G2", "essbasic", NOW)).toMatchObject({
      flowGroupId: "G2",
      edition: "essbasic",
      recorded: false,
      flows: [],
      status: "INIT",
    });
  });
});

describe("applyEvents", () => {
  it("tracks status, lastEventAt and eventCount per flow and per approver", () => {
    const snapshot = fold([
      flowEvent({
        msgId: "M1",
        flowId: "F1",
        status: "PART",
        occurTime: T0,
        approvers: [{ recipientId: "F1-r1", status: "ACCEPT", signId: "x" }],
      }),
      flowEvent({ msgId: "M2", flowId: "F1", status: "ALL", occurTime: T0 + 60, approvers: [{ recipientId: "F1-r2", status: "ACCEPT" }] }),
    ]);
    const flow = snapshot.flows[0]!;
    expect(flow).toMatchObject({ status: "ALL", eventCount: 2, lastEventAt: new Date((T0 + 60) * 1000).toISOString() });
    expect(flow.approvers.map((a) => [a.recipientId, a.status, a.eventCount, a.lastEventAt])).toEqual([
      ["F1-r1", "ACCEPT", 1, new Date(T0 * 1000).toISOString()],
      ["F1-r2", "ACCEPT", 1, new Date((T0 + 60) * 1000).toISOString()],
    ]);
    expect(snapshot).toMatchObject({ status: "PART", eventCount: 2, includedMsgIds: ["M1", "M2"] });
  });

  it("adds flows and approvers only events revealed after the recorded ones, sorted by id", () => {
    const snapshot = fold([
      flowEvent({ msgId: "M1", flowId: "FZ", status: "PART", occurTime: T0, approvers: [{ recipientId: "RB" }] }),
      flowEvent({ msgId: "M2", flowId: "FA", status: "INIT", occurTime: T0, approvers: [{ recipientId: "RA" }] }),
      flowEvent({ msgId: "M3", flowId: "F2", occurTime: T0, recipientId: "R-new" }),
    ]);
    expect(snapshot.flows.map((f) => [f.flowId, f.inRecord])).toEqual([
      ["F1", true],
      ["F2", true],
      ["F3", true],
      ["FA", false],
      ["FZ", false],
    ]);
    expect(snapshot.flows[1]!.approvers.map((a) => [a.recipientId, a.inRecord])).toEqual([
      ["F2-r1", true],
      ["F2-r2", true],
      ["R-new", false],
    ]);
  });

  it("takes ESS's group status from the latest FlowGroupStatusChange, whatever the arrival order", () => {
    const events = [
      groupEvent({ msgId: "M1", flowGroupId: "G1", essGroupStatus: "WAITSIGN", occurTime: T0 }),
      groupEvent({ msgId: "M3", flowGroupId: "G1", essGroupStatus: "ALL", occurTime: T0 + 20 }),
      groupEvent({ msgId: "M2", flowGroupId: "G1", essGroupStatus: "TOSIGN", occurTime: T0 + 10 }),
    ];
    expect(fold(events).essGroupStatus).toBe("ALL");
    expect(fold([...events].reverse()).essGroupStatus).toBe("ALL");
  });

  it.each([
    ["the same second (ESS stamps whole seconds)", T0, T0],
    ["an older end arriving after a newer waiting state", T0, T0 + 5],
  ])("keeps ESS's group end (ALL) over a waiting state from %s", (_case, allAt, waitAt) => {
    const events = [
      groupEvent({ msgId: "Mz-wait", flowGroupId: "G1", essGroupStatus: "WAITSIGN", occurTime: waitAt }),
      groupEvent({ msgId: "Ma-all", flowGroupId: "G1", essGroupStatus: "ALL", occurTime: allAt }),
    ];
    expect(fold(events).essGroupStatus).toBe("ALL");
    expect(fold([...events].reverse()).essGroupStatus).toBe("ALL");
  });

  it("orders events without OccurTime (reconciliation reads) by their receive time", () => {
    const older = {
      ...flowEvent({ msgId: "R1", flowId: "F1", status: "INIT", receivedAt: "2025-06-15T12:00:00.000Z" }),
      source: "reconcile" as const,
    };
    const newer = {
      ...flowEvent({ msgId: "R2", flowId: "F1", status: "PART", receivedAt: "2025-06-15T12:00:30.000Z" }),
      source: "reconcile" as const,
    };
    expect(fold([newer, older]).flows[0]!.status).toBe("PART");
    expect(fold([older, newer]).flows[0]!.status).toBe("PART");
  });

  it("ignores a MsgId already folded and does not modify its input", () => {
    const event = flowEvent({ msgId: "M1", flowId: "F1", status: "PART", occurTime: T0 });
    const once = fold([event]);
    const frozen = JSON.stringify(once);
    const twice = applyEvents(once, [event, { ...event }]);
    expect(twice).toEqual(once);
    expect(JSON.stringify(once)).toBe(frozen);
  });

  it("before the record is known, takes the edition from the events", () => {
    const event = { ...flowEvent({ msgId: "M1", flowId: "F1", flowGroupId: "G1" }), edition: "essbasic" as const };
    expect(applyEvents(initialSnapshot(undefined, "G1", "ess", NOW), [event]).edition).toBe("essbasic");
    expect(applyEvents(initialSnapshot(RECORD, "G1", "ess", NOW), [event]).edition).toBe("ess");
  });
});

/** What ESS answered for a flow on `?refresh=1`, read at `readAt` (ISO). */
function answer(
  msgId: string,
  flowId: string,
  status: FlowStatus | undefined,
  readAt: string,
  approvers: StatusEvent["approvers"] = [],
): StatusEvent {
  return {
    msgId,
    msgType: "Reconcile",
    edition: "ess",
    source: "reconcile",
    receivedAt: readAt,
    flowGroupId: "G1",
    flowId,
    ...(status !== undefined ? { flowStatus: status } : {}),
    approvers,
    raw: {},
  };
}

const at = (seconds: number) => new Date(seconds * 1000).toISOString();

describe("audit finding 3: a forged final state is not permanent", () => {
  it("bounds OccurTime by the receive time plus a small skew", () => {
    const received = Date.parse(RECEIVED_AT);
    expect(eventTime({ occurTime: 99_999_999_999, receivedAt: RECEIVED_AT })).toBe(received + OCCUR_TIME_SKEW_MS);
    expect(eventTime({ occurTime: 8.64e12, receivedAt: RECEIVED_AT })).toBe(received + OCCUR_TIME_SKEW_MS);
    expect(eventTime({ occurTime: T0, receivedAt: RECEIVED_AT })).toBe(T0 * 1000);
    expect(OCCUR_TIME_SKEW_MS).toBeLessThanOrEqual(5 * 60_000);
  });

  it("a REJECT claiming the year 5138 is replaced by the signers' later ALL", () => {
    const forged = flowEvent({ msgId: "forged", flowId: "F1", status: "REJECT", occurTime: 99_999_999_999, receivedAt: at(T0) });
    const signed = flowEvent({
      msgId: "M-all",
      flowId: "F1",
      status: "ALL",
      occurTime: T0 + 600,
      receivedAt: at(T0 + 601),
      approvers: [
        { recipientId: "F1-r1", status: "ACCEPT" },
        { recipientId: "F1-r2", status: "ACCEPT" },
      ],
    });
    for (const events of [
      [forged, signed],
      [signed, forged],
    ])
      expect(fold(events).flows[0]!.status).toBe("ALL");
  });

  it.each<[string, FlowStatus, FlowStatus | undefined]>([
    ["a REJECT callback, ESS says PART", "REJECT", "PART"],
    ["a CANCEL callback, ESS says INIT", "CANCEL", "INIT"],
    ["an ALL callback, ESS says REJECT", "ALL", "REJECT"],
  ])("what ESS answers on refresh wins over an earlier callback: %s", (_case, claimed, answered) => {
    const callback = flowEvent({ msgId: "cb", flowId: "F1", status: claimed, occurTime: T0, receivedAt: at(T0 + 1) });
    const read = answer("rc", "F1", answered, at(T0 + 120));
    for (const events of [
      [callback, read],
      [read, callback],
    ])
      expect(fold(events).flows[0]!.status).toBe(answered);
  });

  it("even when the callback's OccurTime is bounded only by the skew, once the read is later than that bound", () => {
    const forged = flowEvent({ msgId: "forged", flowId: "F1", status: "REJECT", occurTime: 99_999_999_999, receivedAt: at(T0) });
    const tooSoon = answer("rc1", "F1", "INIT", at(T0 + 30));
    const later = answer("rc2", "F1", "INIT", new Date(T0 * 1000 + OCCUR_TIME_SKEW_MS + 1).toISOString());
    expect(fold([forged, tooSoon]).flows[0]!.status).toBe("REJECT");
    expect(fold([forged, later]).flows[0]!.status).toBe("INIT");
  });

  it("callbacks after the answer still count, in the callback order", () => {
    const read = answer("rc", "F1", "INIT", at(T0));
    const part = flowEvent({ msgId: "cb1", flowId: "F1", status: "PART", occurTime: T0 + 100, receivedAt: at(T0 + 100) });
    const all = flowEvent({ msgId: "cb2", flowId: "F1", status: "ALL", occurTime: T0 + 200, receivedAt: at(T0 + 200) });
    expect(fold([part, read]).flows[0]!.status).toBe("PART");
    expect(fold([all, part, read]).flows[0]!.status).toBe("ALL");
    // A final answer is not undone by a later non-final callback, as among callbacks.
    expect(fold([answer("rc-all", "F1", "ALL", at(T0)), part]).flows[0]!.status).toBe("ALL");
  });

  it("the same holds for approvers", () => {
    const forged = flowEvent({
      msgId: "forged",
      flowId: "F1",
      occurTime: T0,
      receivedAt: at(T0),
      approvers: [{ recipientId: "F1-r1", status: "REJECT" }],
    });
    const read = answer("rc", "F1", "INIT", at(T0 + 120), [{ recipientId: "F1-r1", status: "PENDING" }]);
    const approver = (events: StatusEvent[]) => fold(events).flows[0]!.approvers.find((a) => a.recipientId === "F1-r1")!.status;
    expect(approver([forged])).toBe("REJECT");
    expect(approver([forged, read])).toBe("PENDING");
    expect(approver([read, forged])).toBe("PENDING");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const FLOW_STATUSES: FlowStatus[] = ["INIT", "PART", "REJECT", "ALL", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"];
const APPROVER_STATUSES: ApproverStatus[] = [
  "PENDING",
  "FILLPENDING",
  "FILLACCEPT",
  "ACCEPT",
  "REJECT",
  "DEADLINE",
  "CANCEL",
  "STOP",
  "RELIEVED",
  "FORWARD",
];
// Around the OccurTimes, so that some are bounded by the receive time and some are not.
const RECEIVED = [at(T0 - 100), at(T0 + 1), at(T0 + 2), new Date(T0 * 1000 + 1500).toISOString(), at(T0 + 200)];

/** Events of group G1 over recorded and unrecorded flows, with many ties in time on purpose. */
const eventArbitrary = (msgId: string): fc.Arbitrary<StatusEvent> =>
  fc
    .record({
      kind: fc.constantFrom("flow", "flow", "flow", "group", "other", "reconcile"),
      flowId: fc.constantFrom("F1", "F2", "F3", "FX"),
      status: fc.option(fc.constantFrom(...FLOW_STATUSES), { nil: undefined }),
      occurTime: fc.option(fc.integer({ min: T0, max: T0 + 3 }), { nil: undefined }),
      receivedAt: fc.constantFrom(...RECEIVED),
      edition: fc.constantFrom("ess" as const, "essbasic" as const, "unknown" as const),
      recipientId: fc.option(fc.constantFrom("F1-r1", "F2-r2", "RX"), { nil: undefined }),
      approvers: fc.array(
        fc.record({
          recipientId: fc.option(fc.constantFrom("F1-r1", "F1-r2", "F2-r1", "RX", "RY"), { nil: undefined }),
          status: fc.option(fc.constantFrom(...APPROVER_STATUSES), { nil: undefined }),
          signId: fc.option(fc.constantFrom("s1", "s2"), { nil: undefined }),
          approverType: fc.option(fc.constantFrom("0", "1", "PERSON"), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      essGroupStatus: fc.constantFrom("TOSIGN", "WAITSIGN", "PART", "ALL", "INVALID"),
    })
    .map((e): StatusEvent => {
      const base = {
        msgId,
        edition: e.edition,
        source: "callback" as const,
        receivedAt: e.receivedAt,
        raw: {},
        ...(e.occurTime !== undefined ? { occurTime: e.occurTime } : {}),
      };
      if (e.kind === "group") return { ...base, msgType: "FlowGroupStatusChange", flowGroupId: "G1", essGroupStatus: e.essGroupStatus };
      if (e.kind === "other") return { ...base, msgType: "OperateSeal" };
      if (e.kind === "reconcile") {
        const { occurTime: _, ...read } = base;
        return {
          ...read,
          source: "reconcile" as const,
          msgType: "Reconcile",
          flowId: e.flowId,
          ...(e.status !== undefined ? { flowStatus: e.status } : {}),
          approvers: e.approvers.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))),
        };
      }
      return {
        ...base,
        msgType: "FlowStatusChange",
        flowId: e.flowId,
        ...(e.status !== undefined ? { flowStatus: e.status } : {}),
        ...(e.recipientId !== undefined ? { recipientId: e.recipientId } : {}),
        approvers: e.approvers.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))),
      };
    });

/** A set of events with distinct MsgIds (one MsgId is one immutable message). */
const eventSet = fc
  .uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), { minLength: 0, maxLength: 25 })
  .chain((ids) => (ids.length === 0 ? fc.constant([] as StatusEvent[]) : fc.tuple(...ids.map(eventArbitrary))));

/** The events redelivered in any order, with duplicates, cut into batches. */
const deliveries = (events: StatusEvent[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: 10 }),
      fc.array(fc.boolean(), { minLength: events.length + 10, maxLength: events.length + 10 }),
    )
    .map(([order, duplicateIndexes, cuts]) => {
      const stream = [...order];
      for (const [n, index] of duplicateIndexes.entries()) {
        if (events.length > 0) stream.splice((index * 7 + n) % (stream.length + 1), 0, { ...events[index]! });
      }
      const batches: StatusEvent[][] = [[]];
      stream.forEach((event, i) => {
        batches[batches.length - 1]!.push(event);
        if (cuts[i]) batches.push([]);
      });
      return batches;
    });

describe("reducer properties", () => {
  it("any order, duplicates and batch split give the snapshot of one fold of all events", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        eventSet.chain((events) => fc.tuple(fc.constant(events), deliveries(events))),
        (recorded, [events, batches]) => {
          const record = recorded ? RECORD : undefined;
          const start = () => initialSnapshot(record, "G1", "ess", NOW);
          const once = applyEvents(start(), events);
          const incremental = batches.reduce((snapshot, batch) => applyEvents(snapshot, batch), start());
          expect(content(incremental)).toEqual(content(once));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("without answers from ESS, a flow that has a final-state callback is in a final state, whatever came after", () => {
    fc.assert(
      fc.property(eventSet, (events) => {
        const snapshot = fold(events);
        for (const flow of snapshot.flows) {
          const own = events.filter((e) => e.flowId === flow.flowId);
          if (own.some((e) => e.source === "reconcile")) continue;
          const statuses = own.map((e) => e.flowStatus);
          if (statuses.some((s) => s !== undefined && FINAL_FLOW_STATUSES.includes(s))) {
            expect(FINAL_FLOW_STATUSES).toContain(flow.status);
          }
        }
        expect(snapshot.eventCount).toBe(events.length);
        expect(snapshot.status).toBe(rollupGroupStatus(snapshot.flows));
      }),
      { numRuns: 200 },
    );
  });

  it("an answer from ESS read after every callback of a flow decides that flow's status, whatever the callbacks claimed", () => {
    fc.assert(
      fc.property(eventSet, fc.constantFrom(...FLOW_STATUSES), fc.constantFrom("F1", "F2", "F3"), (events, status, flowId) => {
        const latest = Math.max(0, ...events.map(eventTime));
        const read = answer("zz-answer", flowId, status, new Date(latest + 1).toISOString());
        for (const order of [
          [...events, read],
          [read, ...events],
        ]) {
          expect(fold(order).flows.find((f) => f.flowId === flowId)!.status).toBe(status);
        }
      }),
      { numRuns: 200 },
    );
  });
});
