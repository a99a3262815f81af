import { describe, expect, it } from "vitest";
import type { StatusEvent } from "../../../shared/status-store/model";
import { layout } from "../../../shared/status-store/layout";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { roundCounter } from "../../support/round-counter";
import { flowEvent, groupEvent, groupRecord, T0 } from "./fixtures";

/**
 * Issue 11's storage limit, counted (not timed) on a store that folds on write as on COS: a callback
 * naming its group is answered after ≤ 2 sequential store round trips, one joined through the flow
 * index after ≤ 3, a status read after ≤ 3 — at the largest size the API allows (50 flows × 10
 * approvers, 1,500 callbacks) as at a small one. bench/store-round-trips measures the same on the
 * COS test server, with the requests each costs.
 */
const clock = () => new Date("2025-06-15T13:00:00Z");

async function setup(flows: number) {
  const objects = memoryObjectStore();
  const flowIds = Array.from({ length: flows }, (_, i) => `F${i}`);
  await createStatusStore(objects, { clock }).recordGroup(groupRecord("G1", flowIds));
  const counter = roundCounter(objects);
  return { objects, flowIds, counter, store: createStatusStore(counter.store, { clock, foldOnWrite: true }) };
}

describe.each([2, 50])("round trips with %i flows", (flows) => {
  it("a callback naming its group: 2; through the flow index: 3; a status read: 2, after every approver signed every flow", async () => {
    const { objects, flowIds, counter, store } = await setup(flows);
    const worst = { named: 0, indexed: 0, read: 0 };
    for (let approver = 0; approver < 10; approver++) {
      for (const [i, flowId] of flowIds.entries()) {
        const named = (approver + i) % 2 === 0;
        const event: StatusEvent = flowEvent({
          msgId: `M-${flowId}-${approver}`,
          flowId,
          ...(named ? { flowGroupId: "G1" } : {}),
          status: approver === 9 ? "ALL" : "PART",
          occurTime: T0 + approver,
          approvers: [{ recipientId: `${flowId}-r${approver}`, status: "ACCEPT" }],
        });
        const rounds = await counter.rounds(() => store.recordEvent(event));
        if (named) worst.named = Math.max(worst.named, rounds);
        else worst.indexed = Math.max(worst.indexed, rounds);
      }
      worst.read = Math.max(worst.read, await counter.rounds(() => store.getGroup("G1")));
    }
    const groupLevel = await counter.rounds(() =>
      store.recordEvent(groupEvent({ msgId: "M-g", flowGroupId: "G1", essGroupStatus: "ALL" })),
    );
    expect({ ...worst, groupLevel }).toEqual({ named: 2, indexed: 3, read: 2, groupLevel: 2 });
    // The counting store only answers inside `rounds`; the check reads through a plain one.
    const final = await createStatusStore(objects, { clock }).getGroup("G1");
    expect(final).toMatchObject({ status: "ALL", eventCount: flows * 10 + 1 });
  });

  it("a read that must repair a lost update: 4 (then 2 again)", async () => {
    const { objects, counter, store } = await setup(flows);
    await counter.rounds(() =>
      store.recordEvent(flowEvent({ msgId: "M-a", flowId: "F0", flowGroupId: "G1", status: "PART", occurTime: T0 })),
    );
    // Another writer's fold replaced this one and lost M-a: only the listing still shows it.
    await objects.delete(layout.part("G1", "F0"));
    expect(await counter.rounds(() => store.getGroup("G1"))).toBe(4);
    expect(await counter.rounds(() => store.getGroup("G1"))).toBe(2);
  });

  it.each([
    ["nothing parked", 0, 4],
    ["one callback parked in a flow's slot", 1, 7],
  ])("a read that finishes a join create-group left half-done (%s): %i parked → %i (then 2 again)", async (_, parked, expected) => {
    const objects = memoryObjectStore();
    const flowIds = Array.from({ length: flows }, (_, i) => `F${i}`);
    const plain = createStatusStore(objects, { clock });
    if (parked > 0) await plain.recordEvent(flowEvent({ msgId: "M-early", flowId: "F0", status: "ALL", occurTime: T0 }));
    // create-group's record step stops after its first round trip (record and flow index written).
    const failing = { ...objects, get: async () => Promise.reject(new Error("COS 503")) };
    await expect(createStatusStore(failing, { clock }).recordGroup(groupRecord("G1", flowIds))).rejects.toThrow();
    const counter = roundCounter(objects);
    const store = createStatusStore(counter.store, { clock, foldOnWrite: true });
    // Record and listing; the flows' indexes; their slots from 0; the join (event, fold); the mark beside the folds.
    expect(await counter.rounds(() => store.getGroup("G1"))).toBe(expected);
    expect(await counter.rounds(() => store.getGroup("G1"))).toBe(2);
    expect((await plain.getGroup("G1"))!.includedMsgIds).toEqual(parked > 0 ? ["M-early"] : []);
  });
});
