import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import type { FlowStatus } from "../../../shared/ess/status-codes";
import { StoreUnavailableError, type StatusStore } from "../../../shared/status-store/port";
import { applyEvents, initialSnapshot } from "../../../shared/status-store/reducer";
import { layout } from "../../../shared/status-store/layout";
import { createStatusStore, maskEvent } from "../../../shared/status-store/status-store";
import { flowEvent, groupEvent, groupRecord, T0 } from "./fixtures";
import { adaptersUnderTest, type StoreHarness } from "./harness";

const clock = () => new Date("2025-06-15T12:00:05.000Z");
const adapters = adaptersUnderTest();

afterAll(async () => {
  for (const adapter of adapters) await adapter.shutdown();
});

/** The snapshot without the write stamp, for comparisons. */
function content(snapshot: GroupSnapshot | undefined): Omit<GroupSnapshot, "updatedAt"> | undefined {
  if (snapshot === undefined) return undefined;
  const { updatedAt: _, ...rest } = snapshot;
  return rest;
}

/** A fresh rebuild with the pure reducer, from the record and the stored events. */
function rebuild(record: GroupRecord | undefined, flowGroupId: string, events: StatusEvent[]) {
  return content(applyEvents(initialSnapshot(record, flowGroupId, "ess", new Date(0)), events));
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(adapters)("StatusStore on the $name", (adapter) => {
  let harness: StoreHarness;
  let store: StatusStore;

  beforeEach(async () => {
    harness = await adapter.create();
    store = createStatusStore(harness.objects, { clock, foldOnWrite: adapter.foldOnWrite });
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  describe("duplicates", () => {
    it("stores and counts one MsgId once, however many copies arrive at the same time", async () => {
      await store.recordGroup(groupRecord("G1", ["F1"]));
      const copy = flowEvent({ msgId: "M-dup", flowId: "F1", flowGroupId: "G1", status: "PART", occurTime: T0 });
      const results = await Promise.all(Array.from({ length: 10 }, () => store.recordEvent({ ...copy })));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(results.every((r) => r.flowGroupId === "G1")).toBe(true);
      harness.catchUp();
      expect((await store.listEvents("G1")).map((e) => e.msgId)).toEqual(["M-dup"]);
      const snapshot = await store.getGroup("G1");
      expect(snapshot).toMatchObject({ eventCount: 1, includedMsgIds: ["M-dup"], status: "PART" });
      expect(snapshot!.flows[0]).toMatchObject({ flowId: "F1", eventCount: 1, status: "PART" });
    });

    it("keeps the first copy of a redelivered message as the one the group sees", async () => {
      const first = flowEvent({ msgId: "M1", flowId: "F1", flowGroupId: "G1", status: "PART", receivedAt: "2025-06-15T12:00:00.000Z" });
      const retry = { ...first, receivedAt: "2025-06-15T12:05:00.000Z" };
      expect(await store.recordEvent(first)).toEqual({ duplicate: false, flowGroupId: "G1" });
      expect(await store.recordEvent(retry)).toEqual({ duplicate: true, flowGroupId: "G1" });
      harness.catchUp();
      expect(await store.listEvents("G1")).toEqual([first]);
    });
  });

  describe("delivery order is not trusted", () => {
    it.each<[string, Array<[FlowStatus, number]>, FlowStatus]>([
      [
        "PART after ALL keeps ALL",
        [
          ["ALL", 200],
          ["PART", 100],
        ],
        "ALL",
      ],
      [
        "a PART stamped later than ALL still loses to the final state",
        [
          ["ALL", 200],
          ["PART", 300],
        ],
        "ALL",
      ],
      [
        "RELIEVED after ALL (terminated by agreement) wins by time",
        [
          ["RELIEVED", 300],
          ["ALL", 200],
        ],
        "RELIEVED",
      ],
      [
        "INIT arriving last does not undo PART",
        [
          ["PART", 200],
          ["INIT", 100],
        ],
        "PART",
      ],
    ])("%s", async (_, deliveries, expected) => {
      await store.recordGroup(groupRecord("G1", ["F1"]));
      let i = 0;
      for (const [status, offset] of deliveries) {
        await store.recordEvent(flowEvent({ msgId: `M${i++}`, flowId: "F1", flowGroupId: "G1", status, occurTime: T0 + offset }));
      }
      expect((await store.getGroup("G1"))!.flows[0]!.status).toBe(expected);
    });
  });

  it("loses nothing and counts nothing twice when many events of one group arrive at once", async () => {
    const record = groupRecord("G1", ["F1", "F2", "F3"]);
    await store.recordGroup(record);
    const statuses: FlowStatus[] = ["INIT", "PART", "PART", "ALL", "PART", "REJECT"];
    const events = Array.from({ length: 24 }, (_, i) =>
      flowEvent({
        msgId: `M${i}`,
        flowId: `F${(i % 3) + 1}`,
        // Half of them name their group; the others are found through the flow index.
        ...(i % 2 === 0 ? { flowGroupId: "G1" } : {}),
        status: statuses[i % statuses.length]!,
        occurTime: T0 + ((i * 7) % 24),
        approvers: [{ recipientId: `F${(i % 3) + 1}-r${(i % 2) + 1}`, status: i % 4 === 0 ? "ACCEPT" : "PENDING" }],
      }),
    );
    const deliveries = shuffle([...events, ...events.slice(0, 6)], 7);
    const results = await Promise.all(deliveries.map((event) => store.recordEvent(event)));

    expect(results.filter((r) => !r.duplicate)).toHaveLength(24);
    expect(results.every((r) => r.flowGroupId === "G1")).toBe(true);
    harness.catchUp();
    const stored = await store.listEvents("G1");
    expect(stored.map((e) => e.msgId).sort()).toEqual(events.map((e) => e.msgId).sort());
    const snapshot = await store.getGroup("G1");
    expect(snapshot!.eventCount).toBe(24);
    expect(content(snapshot)).toEqual(rebuild(record, "G1", events));
    // Nothing was lost from the folds (one process writes each fold one write at a time): a
    // second read finds nothing to repair and writes nothing.
    const calls = harness.objects.calls.length;
    expect(content(await store.getGroup("G1"))).toEqual(content(snapshot));
    expect(harness.objects.calls.slice(calls).filter((c) => c.startsWith("put") || c.startsWith("create"))).toEqual([]);
  });

  it("a burst for one group is complete at once, without a listing, in few fold writes", async () => {
    const record = groupRecord("G1", ["F1", "F2", "F3"]);
    await store.recordGroup(record);
    const events = Array.from({ length: 30 }, (_, i) =>
      flowEvent({ msgId: `B${i}`, flowId: `F${(i % 3) + 1}`, flowGroupId: "G1", status: i % 5 === 4 ? "ALL" : "PART", occurTime: T0 + i }),
    );
    const before = harness.objects.calls.length;
    await Promise.all(events.map((event) => store.recordEvent(event)));
    const foldPuts = harness.objects.calls.slice(before).filter((call) => call.startsWith("put ") && call.endsWith("/part.json")).length;
    // Each caller waited for a fold write that included its event; concurrent callers of one flow
    // shared writes instead of writing one each.
    expect(content(await store.getGroup("G1"))).toEqual(rebuild(record, "G1", events));
    expect(foldPuts).toBeLessThan(events.length / 2);
  });

  describe("a callback that arrives before its group is recorded", () => {
    const record = groupRecord("G1", ["F1", "F2"]);
    const early = flowEvent({
      msgId: "M-early",
      flowId: "F1",
      status: "PART",
      occurTime: T0,
      approvers: [{ recipientId: "F1-r1", status: "ACCEPT" }],
    });

    async function expectJoined(): Promise<void> {
      const snapshot = await store.getGroup("G1");
      expect(snapshot).toMatchObject({
        recorded: true,
        flowGroupName: record.flowGroupName,
        eventCount: 1,
        includedMsgIds: ["M-early"],
        status: "PART",
      });
      expect(snapshot!.flows[0]!.approvers[0]).toMatchObject({ recipientId: "F1-r1", status: "ACCEPT", eventCount: 1 });
      expect(content(snapshot)).toEqual(rebuild(record, "G1", [early]));
    }

    it("is parked under its flow, then joined when the group is recorded, which removes the slot", async () => {
      expect(await store.recordEvent(early)).toEqual({ duplicate: false });
      expect(await store.getGroup("G1")).toBeUndefined();
      const snapshot = await store.recordGroup(record);
      expect(snapshot.eventCount).toBe(1);
      await expectJoined();
      expect(await harness.objects.get(layout.parked("F1", 0))).toBeUndefined();
    });

    it("is not stranded when create-group failed half-way and a callback joined an earlier slot itself meanwhile", async () => {
      const a = flowEvent({ msgId: "M-a", flowId: "F1", status: "PART", occurTime: T0 });
      const b = flowEvent({ msgId: "M-b", flowId: "F1", status: "PART", occurTime: T0 + 1 });
      let reads = 0;
      const second = harness.objects.pauseBefore({ ops: ["get"], key: (k) => k === "flows/F1/group.json" && ++reads === 2 });
      const callbackA = store.recordEvent(a); // slot 0, then held before it reads the index again
      await second.reached;
      expect(await store.recordEvent(b)).toEqual({ duplicate: false }); // slot 1, parked
      harness.failBackend("write", (k) => k === layout.event("G1", "F1", "M-b"));
      await expect(store.recordGroup(record)).rejects.toBeInstanceOf(StoreUnavailableError);
      harness.clearFaults();
      second.release();
      expect(await callbackA).toEqual({ duplicate: true, flowGroupId: "G1" }); // joined by itself (create-group had joined it too)
      const retried = await store.recordGroup(record);
      expect(retried.includedMsgIds).toEqual(["M-a", "M-b"]);
      expect((await store.getGroup("G1"))!.includedMsgIds).toEqual(["M-a", "M-b"]);
    });

    it("joins directly when the group was recorded first", async () => {
      await store.recordGroup(record);
      expect(await store.recordEvent(early)).toEqual({ duplicate: false, flowGroupId: "G1" });
      await expectJoined();
    });

    it("is joined when the group is recorded between the callback's index check and its parking", async () => {
      const parking = harness.objects.pauseBefore({ ops: ["createExclusive"], key: (k) => k.startsWith("parked/F1/") });
      const callback = store.recordEvent(early);
      await parking.reached;
      await store.recordGroup(record);
      parking.release();
      expect(await callback).toEqual({ duplicate: false, flowGroupId: "G1" });
      await expectJoined();
    });

    it("is joined when the callback runs between the group's indexing and its sweep of parked events", async () => {
      const sweep = harness.objects.pauseBefore({ ops: ["get"], key: (k) => k === layout.parked("F1", 0) });
      const recording = store.recordGroup(record);
      await sweep.reached;
      expect(await store.recordEvent(early)).toEqual({ duplicate: false, flowGroupId: "G1" });
      sweep.release();
      await recording;
      await expectJoined();
    });

    it("is joined when the callback re-reads the index just before the group writes it", async () => {
      const indexing = harness.objects.pauseBefore({ ops: ["createExclusive"], key: (k) => k === "flows/F1/group.json" });
      const recording = store.recordGroup(record);
      await indexing.reached;
      // Parks, reads the index (not there yet): answered as parked, for the group to find.
      expect(await store.recordEvent(early)).toEqual({ duplicate: false });
      indexing.release();
      await recording;
      await expectJoined();
    });

    it("is parked once per delivery but stored and counted once, and a redelivery says duplicate", async () => {
      expect(await store.recordEvent(early)).toEqual({ duplicate: false });
      expect(await store.recordEvent({ ...early, receivedAt: "2025-06-15T12:09:00.000Z" })).toEqual({ duplicate: true });
      expect((await store.recordGroup(record)).eventCount).toBe(1);
      await expectJoined();
      expect(await harness.objects.get(layout.parked("F1", 1))).toBeUndefined();
      expect(await harness.objects.get(layout.waiting("F1", "M-early"))).toBeUndefined();
    });

    it("is joined when several callbacks of one flow parked before the group", async () => {
      const events = ["M-a", "M-b", "M-c"].map((msgId, i) => flowEvent({ msgId, flowId: "F1", status: "PART", occurTime: T0 + i }));
      await Promise.all(events.map((event) => store.recordEvent(event)));
      expect((await store.recordGroup(record)).eventCount).toBe(3);
      expect(content(await store.getGroup("G1"))).toEqual(rebuild(record, "G1", events));
    });

    it("is joined when the callback parks it while the group is being recorded, before the index", async () => {
      const indexing = harness.objects.pauseBefore({ ops: ["createExclusive"], key: (k) => k === "flows/F1/group.json" });
      const recording = store.recordGroup(record);
      await indexing.reached;
      expect(await store.recordEvent(early)).toEqual({ duplicate: false });
      indexing.release();
      await recording;
      await expectJoined();
    });

    it("keeps a group known only from callbacks (once listed), and completes it with the record at once", async () => {
      const named = flowEvent({ msgId: "M-named", flowId: "F2", flowGroupId: "G1", status: "ALL", occurTime: T0 + 5 });
      await store.recordEvent(named);
      // Without a record, only the listing tells that the group exists.
      harness.catchUp();
      expect(await store.getGroup("G1")).toMatchObject({
        recorded: false,
        eventCount: 1,
        flows: [{ flowId: "F2", status: "ALL", inRecord: false }],
      });
      await store.recordGroup(record);
      const snapshot = await store.getGroup("G1");
      expect(snapshot).toMatchObject({ recorded: true, flowGroupName: record.flowGroupName, eventCount: 1 });
      expect(snapshot!.flows.map((f) => [f.flowId, f.status, f.inRecord])).toEqual([
        ["F1", "INIT", true],
        ["F2", "ALL", true],
      ]);
    });
  });

  describe("a storage failure in the middle of recording an event", () => {
    const record = groupRecord("G1", ["F1"]);
    const named = flowEvent({ msgId: "M2", flowId: "F1", flowGroupId: "G1", status: "ALL", occurTime: T0 + 10 });
    const unnamed = flowEvent({ msgId: "M2", flowId: "F1", status: "ALL", occurTime: T0 + 10 });
    const isEvent = (k: string) => k === layout.event("G1", "F1", "M2");
    const isPart = (k: string) => k === layout.part("G1", "F1");
    // Folding on read, a callback never touches the folds: its steps are the others.
    const steps: Array<[string, "write" | "read", (key: string) => boolean, StatusEvent, boolean]> = [
      ["the event write", "write", isEvent, named, false],
      ["the fold read", "read", isPart, named, true],
      ["the fold write", "write", isPart, named, true],
      ["the flow index read", "read", (k) => k === "flows/F1/group.json", unnamed, false],
      ["the event write after the index", "write", isEvent, unnamed, false],
      ["the fold write after the index", "write", isPart, unnamed, true],
    ];
    it.each(steps.filter(([, , , , foldsOnly]) => adapter.foldOnWrite || !foldsOnly).map(([a, b, c, d]) => [a, b, c, d] as const))(
      "at %s: throws, leaves the previous status whole, and the retry completes",
      async (_, kind, key, event) => {
        await store.recordGroup(record);
        const first = flowEvent({ msgId: "M1", flowId: "F1", flowGroupId: "G1", status: "PART", occurTime: T0 });
        await store.recordEvent(first);
        const before = await harness.objects.get(layout.part("G1", "F1"));

        harness.failBackend(kind, key);
        await expect(store.recordEvent(event)).rejects.toBeInstanceOf(StoreUnavailableError);
        harness.clearFaults();
        expect(await harness.objects.get(layout.part("G1", "F1"))).toBe(before);

        const retry = await store.recordEvent(event);
        expect(retry.flowGroupId).toBe("G1");
        // Listings may still lag: the retry itself completed the fold.
        const snapshot = await store.getGroup("G1");
        expect(snapshot).toMatchObject({ eventCount: 2, status: "ALL", includedMsgIds: ["M1", "M2"] });
        expect(content(snapshot)).toEqual(rebuild(record, "G1", [first, event]));
      },
    );

    it("when parking fails: throws, and the retry parks it for the group to join", async () => {
      const early = flowEvent({ msgId: "M1", flowId: "F1", status: "PART", occurTime: T0 });
      harness.failBackend("write", (k) => k.startsWith("parked/F1/"));
      await expect(store.recordEvent(early)).rejects.toBeInstanceOf(StoreUnavailableError);
      harness.clearFaults();
      // Whether the retry counts as a duplicate depends on whether the failed attempt's marker landed.
      expect(await store.recordEvent(early)).toEqual({ duplicate: expect.any(Boolean) });
      expect((await store.recordGroup(record)).eventCount).toBe(1);
    });

    it.each([
      ["the flow index", "write" as const, (k: string) => k === "flows/F1/group.json"],
      ["the slot read", "read" as const, (k: string) => k.startsWith("parked/F1/")],
      ["the join of a parked event", "write" as const, (k: string) => k.startsWith("groups/G1/")],
    ])("when recording the group fails at %s: the retry completes it", async (_, kind, key) => {
      await store.recordEvent(flowEvent({ msgId: "M1", flowId: "F1", status: "PART", occurTime: T0 }));
      harness.failBackend(kind, key);
      await expect(store.recordGroup(record)).rejects.toBeInstanceOf(StoreUnavailableError);
      harness.clearFaults();
      const snapshot = await store.recordGroup(record);
      expect(snapshot).toMatchObject({ recorded: true, eventCount: 1, status: "PART" });
      expect(await store.getGroup("G1")).toMatchObject({ recorded: true, eventCount: 1, status: "PART" });
    });
  });

  describe("snapshots are derived and always rebuildable", () => {
    const record = groupRecord("G1", ["F1", "F2"]);
    const events = [
      flowEvent({
        msgId: "M1",
        flowId: "F1",
        flowGroupId: "G1",
        status: "PART",
        occurTime: T0,
        approvers: [{ recipientId: "F1-r1", status: "ACCEPT" }],
      }),
      flowEvent({
        msgId: "M2",
        flowId: "F1",
        flowGroupId: "G1",
        status: "ALL",
        occurTime: T0 + 20,
        approvers: [{ recipientId: "F1-r2", status: "ACCEPT" }],
      }),
      flowEvent({
        msgId: "M3",
        flowId: "F2",
        status: "REJECT",
        occurTime: T0 + 30,
        approvers: [{ recipientId: "F2-r1", status: "REJECT" }],
      }),
      groupEvent({ msgId: "M4", flowGroupId: "G1", essGroupStatus: "INVALID", occurTime: T0 + 31 }),
    ];

    beforeEach(async () => {
      await store.recordGroup(record);
      for (const event of events) await store.recordEvent(event);
    });

    const partOf = (flowId: string | undefined) => layout.part("G1", flowId ?? "~g");

    it("the status equals a rebuild from the stored events", async () => {
      const incremental = await store.getGroup("G1");
      expect(incremental).toMatchObject({ status: "REJECT", essGroupStatus: "INVALID", eventCount: 4 });
      harness.catchUp();
      expect(content(incremental)).toEqual(rebuild(record, "G1", shuffle(await store.listEvents("G1"), 3)));
    });

    it("every fold can be deleted: the next read (once listings show the events) rebuilds and stores them", async () => {
      const complete = await store.getGroup("G1");
      for (const flowId of ["F1", "F2", undefined]) await harness.objects.delete(partOf(flowId));
      harness.catchUp();
      expect(content(await store.getGroup("G1"))).toEqual(content(complete));
      // Folding on write, the read stores the folds it rebuilt; folding on read, a read never writes.
      const stored = await harness.objects.get(partOf("F1"));
      if (adapter.foldOnWrite) expect(JSON.parse(stored!).includedMsgIds).toEqual(["M1", "M2"]);
      else expect(stored).toBeUndefined();
    });

    it("a fold overwritten by a slower writer (lost update) is repaired by the next read", async () => {
      const complete = await store.getGroup("G1");
      const stale = applyEvents(initialSnapshot(undefined, "G1", "ess", clock()), [events[0]!]);
      await harness.objects.put(partOf("F1"), JSON.stringify(stale));
      harness.catchUp();
      expect(content(await store.getGroup("G1"))).toEqual(content(complete));
      if (adapter.foldOnWrite) expect(JSON.parse((await harness.objects.get(partOf("F1")))!).includedMsgIds).toEqual(["M1", "M2"]);
    });

    it.each([
      ["damaged JSON", "{not json"],
      [
        "another reducer version",
        JSON.stringify({ ...initialSnapshot(undefined, "G1", "ess", clock()), eventCount: 99, reducerVersion: 0 }),
      ],
      ["another group's fold", JSON.stringify(initialSnapshot(undefined, "G9", "ess", clock()))],
      ["a record-shaped fold", JSON.stringify(initialSnapshot(record, "G1", "ess", clock()))],
    ])("a stored fold with %s is rebuilt, not trusted", async (_, body) => {
      const complete = await store.getGroup("G1");
      await harness.objects.put(partOf("F1"), body);
      harness.catchUp();
      expect(content(await store.getGroup("G1"))).toEqual(content(complete));
    });

    it("a read on a folder writes nothing at all (it folds in memory)", async () => {
      if (adapter.foldOnWrite) return;
      const calls = harness.objects.calls.length;
      await store.getGroup("G1");
      await store.getGroup("G1");
      expect(harness.objects.calls.slice(calls).filter((c) => !c.startsWith("get") && !c.startsWith("list"))).toEqual([]);
    });

    it("a read that finds nothing new writes nothing", async () => {
      await store.getGroup("G1");
      const calls = harness.objects.calls.length;
      await store.getGroup("G1");
      expect(harness.objects.calls.slice(calls).filter((c) => !c.startsWith("get") && !c.startsWith("list"))).toEqual([]);
    });

    it("lists the group's events oldest first (those the listing shows)", async () => {
      harness.catchUp();
      expect((await store.listEvents("G1")).map((e) => e.msgId)).toEqual(["M1", "M2", "M3", "M4"]);
    });
  });

  describe("records and odd ids", () => {
    it("recording a group twice keeps the first record and changes nothing", async () => {
      const first = await store.recordGroup(groupRecord("G1", ["F1"], "first name"));
      const second = await store.recordGroup(groupRecord("G1", ["F1"], "second name"));
      expect(second.flowGroupName).toBe("first name");
      expect(content(second)).toEqual(content(first));
    });

    it("an unknown group is undefined and lists no events", async () => {
      expect(await store.getGroup("nope")).toBeUndefined();
      expect(await store.listEvents("nope")).toEqual([]);
    });

    it("stores an event with neither group nor flow once, outside every group", async () => {
      const seal: StatusEvent = {
        msgId: "M-seal",
        msgType: "OperateSeal",
        edition: "ess",
        source: "callback",
        receivedAt: "2025-06-15T12:00:00.000Z",
        raw: {},
      };
      expect(await store.recordEvent(seal)).toEqual({ duplicate: false });
      expect(await store.recordEvent(seal)).toEqual({ duplicate: true });
      harness.catchUp();
      expect(await harness.objects.list("")).toEqual(["events/M-seal.json"]);
    });

    it("turns hostile ids into safe keys without losing them", async () => {
      const msgId = "../../etc/passwd";
      const flowGroupId = "组/../G 1";
      const event = flowEvent({ msgId, flowId: "F/../1", flowGroupId, status: "PART", occurTime: T0 });
      expect(await store.recordEvent(event)).toEqual({ duplicate: false, flowGroupId });
      expect(await store.recordEvent(event)).toEqual({ duplicate: true, flowGroupId });
      harness.catchUp();
      expect((await store.listEvents(flowGroupId)).map((e) => e.msgId)).toEqual([msgId]);
      expect(await store.getGroup(flowGroupId)).toMatchObject({ flowGroupId, eventCount: 1, flows: [{ flowId: "F/../1" }] });
      const keys = await harness.objects.list("");
      expect(keys.length).toBeGreaterThanOrEqual(1);
      for (const key of keys) expect(key).toMatch(/^(events|groups|flows|parked|waiting|created)(\/[A-Za-z0-9_~-]+)+\.json$/);
    });
  });
});

describe("maskEvent", () => {
  it("masks names, mobiles and ID numbers in the raw message and leaves the original alone", () => {
    const event = flowEvent({ msgId: "M1", flowId: "F1", status: "PART", approvers: [{ recipientId: "R1", status: "ACCEPT" }] });
    (event.raw as Record<string, unknown>).Note = "证件 110101199003077777，电话 13912345678";
    const masked = maskEvent({ ...event, userData: "mobile 13800138000" });
    const shown = JSON.stringify(masked);
    for (const secret of ["张三丰", "13912345678", "110101199003077777", "13800138000"]) expect(shown).not.toContain(secret);
    expect(masked).toMatchObject({ msgId: "M1", flowId: "F1", flowStatus: "PART", approvers: [{ recipientId: "R1", status: "ACCEPT" }] });
    expect(JSON.stringify(event)).toContain("13912345678");
  });
});
