import { groupView } from "../../../shared/groups/views";
import { silentLogger } from "../../../shared/log/logger";
import type { DeliveryOutcome, PostNotification } from "../../../shared/notify/delivery";
import { constructNotifyEvent, type NotifyEvent } from "../../../shared/notify/receiver";
import type { ObjectStore } from "../../../shared/object-store/port";
import { drainOutbox, type OutboxDeps } from "../../../shared/outbox/drain";
import { withOutbox } from "../../../shared/outbox/marks";
import { createStatusStore } from "../../../shared/status-store";
import { memoryObjectStore, type MemoryObjectStore } from "../../support/memory-object-store";

export const NOTIFY_SECRET = "outbox-test-secret-5c2e9a71b3d84f06";

/** What the fake receiver got: every attempt, and the events it acknowledged. */
export interface FakeReceiver {
  attempts: Array<{ body: string; event: NotifyEvent; at: number; answered: DeliveryOutcome }>;
  /** Events answered 2xx, in arrival order. */
  acknowledged: NotifyEvent[];
  /** How the receiver answers an event now (default 200). */
  answer: (event: NotifyEvent) => DeliveryOutcome["status"] | "down";
}

/**
 * The outbox on the in-memory store with a fake clock: callbacks go through the status store with
 * its outbox markers, `drain()` runs the outbox function's core, and the fake receiver verifies
 * every signature with the receiver helper, as a user's backend would.
 */
export function outboxHarness(options: { archive?: OutboxDeps["archive"]; objects?: MemoryObjectStore } = {}) {
  const objects = options.objects ?? memoryObjectStore();
  const time = { now: Date.parse("2025-06-15T13:00:00Z") };
  const clock = () => new Date(time.now);
  const inner = createStatusStore(objects, { clock });
  const store = withOutbox(inner, objects, { notify: true, archive: options.archive !== undefined }, clock);
  const receiver: FakeReceiver = { attempts: [], acknowledged: [], answer: () => 200 };
  const post: PostNotification = async (_url, body, headers) => {
    const event = constructNotifyEvent(body, headers["Ess-Notify-Signature"], NOTIFY_SECRET, { now: () => time.now });
    const answer = receiver.answer(event);
    const answered: DeliveryOutcome =
      answer === "down" ? { ok: false, error: "ECONNREFUSED", durationMs: 1 } : { ok: answer! < 300, status: answer, durationMs: 1 };
    receiver.attempts.push({ body, event, at: time.now, answered });
    if (answered.ok) receiver.acknowledged.push(event);
    return answered;
  };
  const deps: OutboxDeps = {
    objects,
    store: inner,
    view: (snapshot) => groupView(snapshot),
    notify: { url: new URL("https://backend.example/ess-events"), secret: NOTIFY_SECRET, timeoutMs: 1_000, post },
    archive: options.archive,
    clock,
    log: silentLogger,
    random: () => 0.5,
    sleep: async (ms) => {
      time.now += ms;
    },
  };
  return {
    objects: objects as MemoryObjectStore & ObjectStore,
    store,
    time,
    receiver,
    deps,
    drain: () => drainOutbox(deps, { deadline: time.now + 25_000 }),
    /** Advances the fake clock. */
    advance(ms: number) {
      time.now += ms;
    },
    markers: () => [...objects.data.keys()].filter((k) => k.startsWith("outbox/changes/")),
  };
}
