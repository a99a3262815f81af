import { describe, expect, it } from "vitest";
import { withOutbox } from "../../../shared/outbox/marks";
import { createStatusStore } from "../../../shared/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { roundCounter } from "../../support/round-counter";
import { flowEvent, groupRecord, T0 } from "../status-store/fixtures";

/**
 * The outbox must not cost the callback path a sequential store round trip (issue 11's goal: a
 * callback naming its group is answered after ≤ 2). Counted, not timed: every store call waits for
 * the next "round", and a round releases every call waiting at once, so the number of rounds a
 * recording takes is its number of sequential round trips.
 */
const G = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const F = "yDwFlowA00000000000000000000000A";
const clock = () => new Date("2025-06-15T13:00:00Z");

async function roundsOf(outbox: boolean, event: ReturnType<typeof flowEvent>) {
  const objects = memoryObjectStore();
  await createStatusStore(objects, { clock }).recordGroup(groupRecord(G, [F, "yDwFlowB00000000000000000000000B"]));
  const counter = roundCounter(objects);
  const plain = createStatusStore(counter.store, { clock });
  const store = outbox ? withOutbox(plain, counter.store, { notify: true, archive: true }, clock) : plain;
  const rounds = await counter.rounds(() => store.recordEvent(event));
  return { rounds, markers: [...objects.data.keys()].filter((k) => k.startsWith("outbox/changes/")).length };
}

describe("the outbox on the callback path", () => {
  it.each([
    ["a callback naming its group", flowEvent({ msgId: "m-1", flowId: F, flowGroupId: G, status: "PART", occurTime: T0 })],
    [
      "a callback naming only its flow (joined through the flow index)",
      flowEvent({ msgId: "m-2", flowId: F, status: "ALL", occurTime: T0 }),
    ],
  ])("%s: as many sequential round trips with the marker as without", async (_case, event) => {
    const without = await roundsOf(false, event);
    const withMarker = await roundsOf(true, event);
    expect(withMarker.markers).toBe(1);
    expect(withMarker.rounds).toBe(without.rounds);
    expect(withMarker.rounds).toBeLessThanOrEqual(event.flowGroupId ? 2 : 3);
  });
});
