import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ObjectStore } from "../../../shared/object-store/port";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import { layout } from "../../../shared/status-store/layout";
import { applyEvents, initialSnapshot } from "../../../shared/status-store/reducer";
import { createStatusStore } from "../../../shared/status-store/status-store";
import type { StatusStore } from "../../../shared/status-store/port";
import { memoryObjectStore } from "../../support/memory-object-store";
import { flowEvent, groupRecord, T0 } from "./fixtures";
import { adaptersUnderTest, type StoreHarness } from "./harness";

/**
 * Review finding F2: create-group records a group once, and its record step writes the flow index
 * before it joins the callbacks that parked (essbasic messages name only their flow, and the first
 * ones come while create-group still waits for ESS). When that step fails after the index, later
 * callbacks follow the index and nothing else ever read the slots: a message answered 200 was
 * stranded. The store now marks a record joined only once it is, and the next read of a record
 * without the mark joins the slots itself. Each test records the group ONCE, as create-group does.
 */
const clock = () => new Date("2025-06-15T12:00:05.000Z");

const content = (snapshot: GroupSnapshot | undefined) => {
  if (snapshot === undefined) return undefined;
  const { updatedAt: _, ...rest } = snapshot;
  return rest;
};
const rebuild = (record: GroupRecord, events: StatusEvent[]) =>
  content(applyEvents(initialSnapshot(record, record.flowGroupId, "ess", new Date(0)), events));

const early = flowEvent({
  msgId: "M-early",
  flowId: "F1",
  status: "ALL",
  occurTime: T0,
  approvers: [{ recipientId: "F1-r1", status: "ACCEPT" }],
});
const later = flowEvent({ msgId: "M-later", flowId: "F1", status: "PART", occurTime: T0 - 10 });

it("the review's repro: an ALL callback parked before create-group is not stranded when the record step fails once", async () => {
  const mem = memoryObjectStore();
  let failParkedReads = 1;
  // COS-like (fold on write); one read of a parked slot fails (a 5xx beyond retries, or the 1 s record deadline).
  const objects: ObjectStore = {
    ...mem,
    get: async (key, options) => {
      if (key.startsWith("parked/") && failParkedReads-- > 0) throw new Error("COS 503");
      return mem.get(key, options);
    },
  };
  const status = createStatusStore(objects, { clock });
  // An essbasic callback naming only its flow, before create-group recorded the group: parked, answered 200.
  expect(await status.recordEvent(early)).toMatchObject({ duplicate: false });
  // create-group: its one record step fails (it answers 200 with a warning).
  await expect(status.recordGroup(groupRecord("G1", ["F1"]))).rejects.toThrow();
  // Later traffic on the flow follows the index; the next read joins the parked event.
  expect(await status.recordEvent(later)).toEqual({ duplicate: false, flowGroupId: "G1" });
  const snapshot = await status.getGroup("G1");
  expect(snapshot).toMatchObject({ status: "ALL", includedMsgIds: ["M-early", "M-later"] });
  expect([...mem.data.keys()].filter((k) => k.startsWith("parked/") || k.startsWith("waiting/"))).toEqual([]);
  expect(JSON.parse(mem.data.get(layout.record("G1"))!)).toMatchObject({ flowGroupId: "G1", joinedAt: clock().toISOString() });
});

const adapters = adaptersUnderTest();
afterAll(async () => {
  for (const adapter of adapters) await adapter.shutdown();
});

describe.each(adapters)("a join create-group left half-done, on the $name", (adapter) => {
  let harness: StoreHarness;
  let store: StatusStore;
  const record = groupRecord("G1", ["F1", "F2"]);

  beforeEach(async () => {
    harness = await adapter.create();
    store = createStatusStore(harness.objects, { clock, foldOnWrite: adapter.foldOnWrite });
  });
  afterEach(async () => {
    harness.clearFaults();
    await harness.cleanup();
  });

  /** The record's own write, in flight beside the index write that failed, has landed (as it does in production). */
  const recordWritten = () => vi.waitFor(async () => expect(await harness.objects.get(layout.record("G1"))).toBeDefined());

  // How each step after the index is made to fail; folding on read, joining a parked event writes no fold.
  const steps: Array<[string, (h: StoreHarness) => void, boolean]> = [
    ["the slot read", (h) => h.failBackend("read", (k) => k.startsWith("parked/F1/")), false],
    ["the join of a parked event", (h) => h.failBackend("write", (k) => k === layout.event("G1", "F1", "M-early")), false],
    ["the fold of a joined event", (h) => h.failBackend("write", (k) => k === layout.part("G1", "F1")), true],
    ["the joined mark", (h) => h.objects.failCalls({ ops: ["put"], key: (k) => k === layout.record("G1") }), false],
  ];
  it.each(steps.filter(([, , foldsOnly]) => adapter.foldOnWrite || !foldsOnly).map(([a, b]) => [a, b] as const))(
    "failing at %s (after the index): the next read joins the parked event, once, and marks the record",
    async (_, fail) => {
      expect(await store.recordEvent(early)).toEqual({ duplicate: false });
      fail(harness);
      await expect(store.recordGroup(record)).rejects.toThrow();
      harness.clearFaults();
      // A later callback of the flow follows the index (it does not touch the slots).
      expect(await store.recordEvent(later)).toEqual({ duplicate: false, flowGroupId: "G1" });
      const snapshot = await store.getGroup("G1");
      expect(content(snapshot)).toEqual(rebuild(record, [early, later]));
      expect(snapshot).toMatchObject({ recorded: true, includedMsgIds: ["M-early", "M-later"] });
      expect(await harness.objects.get(layout.parked("F1", 0))).toBeUndefined();
      expect(JSON.parse((await harness.objects.get(layout.record("G1")))!).joinedAt).toBe(clock().toISOString());
      // Joined once: a redelivery of the parked message is a duplicate, and reads agree.
      expect(await store.recordEvent(early)).toEqual({ duplicate: true, flowGroupId: "G1" });
      expect(content(await store.getGroup("G1"))).toEqual(content(snapshot));
    },
  );

  it("create-group frozen after indexing (SCF timeout): a read in another container joins the parked event", async () => {
    expect(await store.recordEvent(early)).toEqual({ duplicate: false });
    // The slot read never runs: the function was frozen or killed right after the first round trip.
    const frozen = harness.objects.pauseBefore({ ops: ["get"], key: (k) => k === layout.parked("F1", 0) });
    void store.recordGroup(record).catch(() => undefined);
    await frozen.reached;
    const reader = createStatusStore(harness.objects, { clock, foldOnWrite: adapter.foldOnWrite });
    expect(await reader.getGroup("G1")).toMatchObject({ status: "PART", includedMsgIds: ["M-early"] });
    frozen.release();
  });

  it("a record whose flow index was never written: the read writes it, joins what parked before and after", async () => {
    expect(await store.recordEvent(early)).toEqual({ duplicate: false });
    harness.failBackend("write", (k) => k === layout.flowIndex("F1"));
    await expect(store.recordGroup(record)).rejects.toThrow();
    await recordWritten();
    harness.clearFaults();
    // No index yet: this one parks too, answered 200.
    expect(await store.recordEvent(later)).toEqual({ duplicate: false });
    expect((await store.getGroup("G1"))!.includedMsgIds).toEqual(["M-early", "M-later"]);
    expect(await store.groupOfFlow("F1")).toBe("G1");
    const next = flowEvent({ msgId: "M-next", flowId: "F1", status: "PART", occurTime: T0 + 1 });
    expect(await store.recordEvent(next)).toEqual({ duplicate: false, flowGroupId: "G1" });
  });

  it("a callback that parks while a read is writing the missing index is joined by the read", async () => {
    harness.failBackend("write", (k) => k === layout.flowIndex("F1"));
    await expect(store.recordGroup(record)).rejects.toThrow();
    await recordWritten();
    harness.clearFaults();
    const indexing = harness.objects.pauseBefore({ ops: ["createExclusive"], key: (k) => k === layout.flowIndex("F1") });
    const reading = store.getGroup("G1");
    await indexing.reached;
    // Index still missing: parked, answered 200, for the read to find once its index is written.
    const callbacks = createStatusStore(harness.objects, { clock, foldOnWrite: adapter.foldOnWrite });
    expect(await callbacks.recordEvent(early)).toEqual({ duplicate: false });
    indexing.release();
    expect((await reading)!.includedMsgIds).toEqual(["M-early"]);
    expect((await store.getGroup("G1"))!.includedMsgIds).toEqual(["M-early"]);
  });

  it("reads healing at the same time, with create-group's own retry, store every message once", async () => {
    const events = ["M-a", "M-b", "M-c"].map((msgId, i) =>
      flowEvent({ msgId, flowId: i === 2 ? "F2" : "F1", status: "PART", occurTime: T0 + i }),
    );
    for (const event of events) await store.recordEvent(event);
    await store.recordEvent({ ...events[0]!, receivedAt: "2025-06-15T12:09:00.000Z" }); // a redelivery takes a slot too
    harness.failBackend("read", (k) => k.startsWith("parked/"));
    await expect(store.recordGroup(record)).rejects.toThrow();
    harness.clearFaults();
    const containers = Array.from({ length: 3 }, () => createStatusStore(harness.objects, { clock, foldOnWrite: adapter.foldOnWrite }));
    const snapshots = await Promise.all([...containers.map((c) => c.getGroup("G1")), store.recordGroup(record)]);
    for (const snapshot of snapshots) expect(snapshot!.includedMsgIds).toEqual(["M-a", "M-b", "M-c"]);
    harness.catchUp();
    expect((await store.listEvents("G1")).map((e) => e.msgId)).toEqual(["M-a", "M-b", "M-c"]);
    expect(content(await store.getGroup("G1"))).toEqual(rebuild(record, events));
  });

  it("a record marked joined is not joined again: a read touches no slot and writes nothing", async () => {
    await store.recordGroup(record);
    await store.getGroup("G1");
    const calls = harness.objects.calls.length;
    await store.getGroup("G1");
    const after = harness.objects.calls.slice(calls);
    expect(after.filter((c) => c.includes("parked/") || c.includes("flows/"))).toEqual([]);
    expect(after.filter((c) => !c.startsWith("get") && !c.startsWith("list"))).toEqual([]);
  });

  it("a mark a caller put on the record is not trusted: the store writes it only once it has joined", async () => {
    expect(await store.recordEvent(early)).toEqual({ duplicate: false });
    harness.failBackend("read", (k) => k.startsWith("parked/F1/"));
    await expect(store.recordGroup({ ...record, joinedAt: "2025-06-15T12:00:00.000Z" })).rejects.toThrow();
    harness.clearFaults();
    expect((await store.getGroup("G1"))!.includedMsgIds).toEqual(["M-early"]);
  });
});
