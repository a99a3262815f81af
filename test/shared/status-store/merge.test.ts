import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import type { ApproverStatus, FlowStatus } from "../../../shared/ess/status-codes";
import { applyEvents, initialSnapshot, mergeSnapshots } from "../../../shared/status-store/reducer";
import { flowEvent, groupEvent, groupRecord, T0 } from "./fixtures";

/**
 * The status store keeps one fold per flow (and one for the group's flowless events) and a read
 * merges them with the record's initial snapshot. That is only sound if merging folds of disjoint
 * event sets equals one fold of all the events: checked here for any events, any record, any split.
 */

const NOW = new Date("2025-06-15T12:00:00.000Z");

function content(snapshot: GroupSnapshot): Omit<GroupSnapshot, "updatedAt"> {
  const { updatedAt: _, ...rest } = snapshot;
  return rest;
}

const oneFold = (record: GroupRecord | undefined, events: StatusEvent[]) => applyEvents(initialSnapshot(record, "G1", "ess", NOW), events);
const partOf = (events: StatusEvent[]) => applyEvents(initialSnapshot(undefined, "G1", "ess", NOW), events);
const merged = (record: GroupRecord | undefined, groups: StatusEvent[][]) =>
  mergeSnapshots("G1", [...(record ? [initialSnapshot(record, "G1", "ess", NOW)] : []), ...groups.map(partOf)], NOW);

const FLOWS: FlowStatus[] = ["INIT", "PART", "ALL", "REJECT", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"];
const APPROVERS: ApproverStatus[] = [
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
const RECEIVED = [T0 - 100, T0 + 1, T0 + 2, T0 + 200].map((s) => new Date(s * 1000).toISOString());

const eventArbitrary = (msgId: string): fc.Arbitrary<StatusEvent> =>
  fc
    .record({
      kind: fc.constantFrom("flow", "flow", "flow", "group", "reconcile"),
      flowId: fc.constantFrom("F1", "F2", "FX", "FY"),
      status: fc.option(fc.constantFrom(...FLOWS), { nil: undefined }),
      occurTime: fc.option(fc.integer({ min: T0, max: T0 + 3 }), { nil: undefined }),
      receivedAt: fc.constantFrom(...RECEIVED),
      edition: fc.constantFrom("ess" as const, "essbasic" as const, "unknown" as const),
      recipientId: fc.option(fc.constantFrom("F1-r1", "F2-r2", "RX"), { nil: undefined }),
      approvers: fc.array(
        fc.record({
          recipientId: fc.option(fc.constantFrom("F1-r1", "F1-r2", "F2-r1", "RX", "RY"), { nil: undefined }),
          status: fc.option(fc.constantFrom(...APPROVERS), { nil: undefined }),
          signId: fc.option(fc.constantFrom("s0", "s9"), { nil: undefined }),
          approverType: fc.option(fc.constantFrom("0", "1", "PERSON"), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      essGroupStatus: fc.option(fc.constantFrom("TOSIGN", "WAITSIGN", "PART", "ALL", "INVALID"), { nil: undefined }),
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
      const approvers = e.approvers.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)));
      if (e.kind === "group")
        return { ...base, msgType: "FlowGroupStatusChange", flowGroupId: "G1", essGroupStatus: e.essGroupStatus ?? "ALL" };
      if (e.kind === "reconcile") {
        const { occurTime: _, ...read } = base;
        return {
          ...read,
          source: "reconcile",
          msgType: "Reconcile",
          flowId: e.flowId,
          ...(e.status ? { flowStatus: e.status } : {}),
          approvers,
        };
      }
      return {
        ...base,
        msgType: "FlowStatusChange",
        flowId: e.flowId,
        ...(e.status !== undefined ? { flowStatus: e.status } : {}),
        ...(e.recipientId !== undefined ? { recipientId: e.recipientId } : {}),
        ...(e.essGroupStatus !== undefined ? { essGroupStatus: e.essGroupStatus } : {}),
        approvers,
      };
    });

const eventSet = fc
  .uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), { minLength: 0, maxLength: 30 })
  .chain((ids) => (ids.length === 0 ? fc.constant([] as StatusEvent[]) : fc.tuple(...ids.map(eventArbitrary))));

const recordArbitrary = fc.option(
  fc.constantFrom(groupRecord("G1", ["F1", "F2"]), groupRecord("G1", ["F2", "F1", "F3"]), {
    ...groupRecord("G1", ["F1"]),
    edition: "essbasic" as const,
  }),
  { nil: undefined },
);

/** The store's own split: one part per flow, one for the events without a flow. */
const byFlow = (events: StatusEvent[]) => {
  const parts = new Map<string, StatusEvent[]>();
  for (const event of events) parts.set(event.flowId ?? "~g", [...(parts.get(event.flowId ?? "~g") ?? []), event]);
  return [...parts.values()];
};

describe("mergeSnapshots", () => {
  it("equals one fold of all events, for the store's split by flow", () => {
    fc.assert(
      fc.property(recordArbitrary, eventSet, (record, events) => {
        expect(content(merged(record, byFlow(events)))).toEqual(content(oneFold(record, events)));
      }),
      { numRuns: 400 },
    );
  });

  it("equals one fold of all events, for any split into disjoint parts in any order", () => {
    fc.assert(
      fc.property(
        recordArbitrary,
        eventSet.chain((events) =>
          fc.tuple(fc.constant(events), fc.array(fc.nat({ max: 3 }), { minLength: events.length, maxLength: events.length })),
        ),
        (record, [events, cuts]) => {
          const groups: StatusEvent[][] = [[], [], [], []];
          events.forEach((event, i) => groups[cuts[i]!]!.push(event));
          expect(content(merged(record, groups.reverse()))).toEqual(content(oneFold(record, events)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("keeps the record's order of flows and approvers first, then the ones only callbacks revealed", () => {
    const record = groupRecord("G1", ["F2", "F1"]);
    const events = [
      flowEvent({ msgId: "M1", flowId: "FZ", status: "PART", occurTime: T0 }),
      flowEvent({ msgId: "M2", flowId: "F1", status: "ALL", occurTime: T0, approvers: [{ recipientId: "F1-new", status: "ACCEPT" }] }),
      groupEvent({ msgId: "M3", flowGroupId: "G1", essGroupStatus: "ALL", occurTime: T0 + 1 }),
    ];
    const result = merged(record, byFlow(events));
    expect(result.flows.map((f) => [f.flowId, f.inRecord])).toEqual([
      ["F2", true],
      ["F1", true],
      ["FZ", false],
    ]);
    expect(result.flows[1]!.approvers.map((a) => a.recipientId)).toEqual(["F1-r1", "F1-r2", "F1-new"]);
    expect(result).toMatchObject({ recorded: true, eventCount: 3, essGroupStatus: "ALL", includedMsgIds: ["M1", "M2", "M3"] });
  });

  it("with no record and no parts is an empty, unrecorded group", () => {
    expect(mergeSnapshots("G1", [], NOW)).toMatchObject({ flowGroupId: "G1", recorded: false, eventCount: 0, flows: [], status: "INIT" });
  });
});
