import { describe, expect, it } from "vitest";
import { groupView } from "../../../shared/groups/views";
import { acquireLease } from "../../../shared/outbox/lease";
import { changeMark } from "../../../shared/outbox/marks";
import { FLOW_JOIN_WINDOW_MS } from "../../../shared/outbox/drain";
import { flowEvent, groupEvent, groupRecord, T0 } from "../status-store/fixtures";
import { outboxHarness } from "./harness";

const G = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const G2 = "yDwJ7UUckpk84praUyPWcjISDLsIVxy2";
const F1 = "yDwFlowA00000000000000000000000A";
const F2 = "yDwFlowB00000000000000000000000B";
const flows = [F1, F2];

/** A signature in flow `flowId` by its first approver (status PART), or the flow done (ALL). */
const sign = (n: number, flowId: string, status: "PART" | "ALL", flowGroupId = G) =>
  flowEvent({
    msgId: `msg-${flowGroupId.slice(-2)}-${n}`,
    flowId,
    flowGroupId,
    status,
    occurTime: T0 + n,
    approvers: [
      { recipientId: `${flowId}-r1`, status: "ACCEPT" },
      { recipientId: `${flowId}-r2`, status: status === "ALL" ? "ACCEPT" : "PENDING" },
    ],
  });

describe("outbox drain: push notifications", () => {
  it("turns a recorded group and its callbacks into numbered, signed notifications carrying the group as GET answers it", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    const first = await h.drain();
    expect(first).toMatchObject({ lease: "held", notified: 1, delivered: 1 });
    await h.store.recordEvent(sign(1, F1, "PART"));
    await h.drain();
    await h.store.recordEvent(sign(2, F1, "ALL"));
    await h.store.recordEvent(sign(3, F2, "ALL"));
    await h.drain();

    const events = h.receiver.acknowledged;
    expect(events.map((e) => [e.sequence, e.data.Status])).toEqual([
      [1, "INIT"],
      [2, "PART"],
      [3, "ALL"],
    ]);
    expect(events.every((e) => e.type === "flow_group.updated" && /^evt_[0-9a-f]{24}$/.test(e.id))).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    // The data is exactly what GET /flow-groups/{id} answers (less its RequestId; UpdatedAt is when it was read).
    const view = JSON.parse(JSON.stringify(groupView((await h.store.getGroup(G))!)));
    expect({ ...events[2]!.data, UpdatedAt: undefined }).toEqual({ ...view, UpdatedAt: undefined });
    expect(h.markers()).toEqual([]);
  });

  it("makes no notification for what changes no status (a redelivery, another message type), and still clears its markers", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    await h.store.recordEvent(sign(1, F1, "PART"));
    await h.drain();
    const before = h.receiver.acknowledged.length;
    await h.store.recordEvent(sign(1, F1, "PART"));
    await h.store.recordEvent({
      ...groupEvent({ msgId: "cost-1", flowGroupId: G, essGroupStatus: "" }),
      msgType: "FlowCost",
      essGroupStatus: undefined,
    });
    const report = await h.drain();
    expect(report.notified).toBe(0);
    expect(h.receiver.acknowledged.length).toBe(before);
    expect(h.markers()).toEqual([]);
  });

  it("a receiver down for an hour gets every change afterwards, in order, none twice without the same id", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    h.receiver.answer = () => "down";
    await h.drain();
    const changes = [sign(1, F1, "PART"), sign(2, F1, "ALL"), sign(3, F2, "PART"), sign(4, F2, "ALL")];
    // An hour of timer ticks every 5 s, a change every 15 minutes.
    for (let tick = 0; tick < 720; tick++) {
      if (tick % 180 === 0) await h.store.recordEvent(changes[tick / 180]!);
      await h.drain();
      h.advance(5_000);
    }
    const whileDown = h.receiver.attempts.length;
    expect(h.receiver.acknowledged).toEqual([]);
    // The receiver's backoff (1 s doubling up to 5 min): about 20 attempts in the hour, not one a tick (720).
    expect(whileDown).toBeGreaterThan(5);
    expect(whileDown).toBeLessThanOrEqual(30);

    h.receiver.answer = () => 200;
    for (let tick = 0; tick < 3; tick++) {
      await h.drain();
      h.advance(5 * 60_000);
    }
    const got = h.receiver.acknowledged;
    expect(got.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(got.map((e) => e.data.Status)).toEqual(["INIT", "PART", "PART", "PART", "ALL"]);
    // Every attempt of one sequence carried the same id and the same bytes.
    for (const seq of [1, 2, 3, 4, 5]) {
      const bodies = new Set(h.receiver.attempts.filter((a) => a.event.sequence === seq).map((a) => a.body));
      expect(bodies.size).toBe(1);
    }
  });

  it("an answer lost on the way back makes a redelivery with the same id and body, which the receiver can drop", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    let lose = true;
    h.receiver.answer = () => (lose ? 504 : 200);
    await h.drain();
    lose = false;
    h.advance(60_000);
    await h.drain();
    const [a, b] = h.receiver.attempts;
    expect(a!.event.id).toBe(b!.event.id);
    expect(a!.body).toBe(b!.body);
    expect(h.receiver.acknowledged.map((e) => e.sequence)).toEqual([1]);
  });

  it("a receiver's 4xx to one group's event holds that group only; the others go on", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    await h.store.recordGroup(groupRecord(G2, ["yDwFlowC00000000000000000000000C", "yDwFlowD00000000000000000000000D"]));
    h.receiver.answer = (e) => (e.data.FlowGroupId === G ? 400 : 200);
    await h.drain();
    expect(h.receiver.acknowledged.map((e) => e.data.FlowGroupId)).toEqual([G2]);
    await h.store.recordEvent(sign(1, "yDwFlowC00000000000000000000000C", "PART", G2));
    await h.drain();
    expect(h.receiver.acknowledged.map((e) => [e.data.FlowGroupId, e.sequence])).toEqual([
      [G2, 1],
      [G2, 2],
    ]);
    h.receiver.answer = () => 200;
    h.advance(10 * 60_000);
    await h.drain();
    expect(h.receiver.acknowledged.at(-1)).toMatchObject({ sequence: 1, data: { FlowGroupId: G } });
  });

  it("a notification made by a run that died before saving its state is kept and redelivered as it was, not made again", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    await h.drain();
    // The run's state write is lost, and the marker with it would still be there: both redone.
    h.objects.data.delete(`outbox/groups/${G}/state.json`);
    await h.store.recordGroup(groupRecord(G, flows));
    const report = await h.drain();
    expect(report.notified).toBe(0);
    const [first, again] = h.receiver.attempts;
    expect(again?.body).toBe(first!.body);
    expect(h.receiver.acknowledged.map((e) => e.sequence)).toEqual([1, 1]);
  });

  it("an idle tick only lists: nothing is written, not even the lease", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    await h.drain();
    const keys = [...h.objects.data.keys()].sort();
    h.objects.calls.length = 0;
    expect((await h.drain()).lease).toBe("idle");
    expect([...h.objects.data.keys()].sort()).toEqual(keys);
    expect(h.objects.calls.every((c) => c.startsWith("list "))).toBe(true);
  });

  it("one drain at a time: a run that finds the lease held does nothing", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    const held = await acquireLease(h.objects, { now: () => h.time.now });
    expect(held).toBeDefined();
    expect((await h.drain()).lease).toBe("busy");
    expect(h.receiver.attempts).toEqual([]);
    await held!.release();
    expect((await h.drain()).delivered).toBe(1);
  });

  it("deletes a marker only once its event shows in the group; one whose event never does is dropped after a day", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    await h.drain();
    // A marker written while its event's own write failed (the callback answered 503; ESS will retry).
    const mark = changeMark(sign(9, F1, "PART"), { notify: true, archive: false }, h.time.now)!;
    await h.objects.put(mark.key, mark.body);
    const report = await h.drain();
    expect(report.markersHandled).toBe(0);
    expect(h.markers()).toEqual([mark.key]);
    await h.store.recordEvent(sign(9, F1, "PART"));
    await h.drain();
    expect(h.markers()).toEqual([]);
    expect(h.receiver.acknowledged.at(-1)!.data.Status).toBe("PART");

    const lost = changeMark(sign(10, F2, "PART"), { notify: true, archive: false }, h.time.now)!;
    await h.objects.put(lost.key, lost.body);
    h.advance(25 * 3600_000);
    expect((await h.drain()).markersDropped).toBe(1);
    expect(h.markers()).toEqual([]);
  });

  it("an event naming only its flow waits for create-group's record; unknown flows are let go after the join window", async () => {
    const h = outboxHarness();
    const early = { ...sign(1, F1, "PART"), flowGroupId: undefined };
    await h.store.recordEvent(early);
    expect((await h.drain()).notified).toBe(0);
    expect(h.markers()).toHaveLength(1);
    await h.store.recordGroup(groupRecord(G, flows));
    await h.drain();
    expect(h.receiver.acknowledged.map((e) => e.data.Status)).toEqual(["PART"]);
    expect(h.markers()).toEqual([]);

    await h.store.recordEvent({ ...sign(2, "yDwFlowZ00000000000000000000000Z", "PART"), flowGroupId: undefined });
    await h.drain();
    expect(h.markers()).toHaveLength(1);
    h.advance(FLOW_JOIN_WINDOW_MS + 1);
    expect((await h.drain()).markersDropped).toBe(1);
    expect(h.markers()).toEqual([]);
  });
});

describe("outbox drain and a join create-group left half-done (review F2)", () => {
  it("callbacks parked before create-group, whose join failed after indexing, are joined by the next pass: ALL", async () => {
    const h = outboxHarness();
    // essbasic callbacks name only their flow; these came while create-group still waited for ESS.
    for (const [n, flowId] of flows.entries()) await h.store.recordEvent({ ...sign(n + 1, flowId, "ALL"), flowGroupId: undefined });
    const get = h.objects.get.bind(h.objects);
    h.objects.get = async (key, options) => {
      if (key.startsWith("parked/")) throw new Error("injected: the record step ran out of time reading the slots");
      return get(key, options);
    };
    await expect(h.store.recordGroup(groupRecord(G, flows))).rejects.toThrow(/injected/);
    h.objects.get = get;
    const report = await h.drain();
    expect(report).toMatchObject({ notified: 1, delivered: 1, markersDropped: 0 });
    expect(h.receiver.acknowledged.map((e) => e.data.Status)).toEqual(["ALL"]);
    expect(h.markers()).toEqual([]);
    expect([...h.objects.data.keys()].filter((k) => k.startsWith("parked/"))).toEqual([]);
  });
});

describe("outbox markers on the callback path", () => {
  it("a marker that cannot be written fails the event's recording (the callback answers 503; ESS retries both)", async () => {
    const h = outboxHarness();
    await h.store.recordGroup(groupRecord(G, flows));
    const createExclusive = h.objects.createExclusive.bind(h.objects);
    let failMarker = true;
    h.objects.createExclusive = async (key, body, options) => {
      if (failMarker && key.startsWith("outbox/changes/")) {
        failMarker = false;
        throw new Error("injected marker failure");
      }
      return createExclusive(key, body, options);
    };
    await expect(h.store.recordEvent(sign(1, F1, "PART"))).rejects.toThrow(/marker/);
    const retried = await h.store.recordEvent(sign(1, F1, "PART"));
    expect(retried.duplicate).toBe(true);
    await h.drain();
    expect(h.receiver.acknowledged.at(-1)!.data.Status).toBe("PART");
  });
});
