import type { CallOptions, ObjectStore } from "../object-store/port";
import type { StatusEvent } from "../status-store/model";
import type { StatusStore } from "../status-store/port";
import { outboxKeys } from "./layout";

/** What the outbox has to hear about (from the configuration: see `readOutboxMarking`). */
export interface OutboxMarking {
  /** Push notifications are on: every status event of a group is a possible change. */
  notify: boolean;
  /** Signed PDFs are archived: an event that says a flow or a group is ALL starts it. */
  archive: boolean;
}

/**
 * The status store, with a change marker written beside every event (and every new group) that the
 * outbox must look at, **in the same round trip** as the store's own first write: the two run side
 * by side, so a callback answers after exactly as many sequential store round trips as without
 * the outbox, and is answered 200 only once both are durable (either failing makes the callback
 * fail, and ESS's retry writes both again). A marker is small and carries no personal data; the
 * outbox function reads the group itself and deletes the marker once the change is handled.
 * A slow or absent receiver never touches this path.
 *
 * Markers are written create-exclusive: each key is new (its time and MsgId), so a marker that is
 * already there is the same change, and on a folder a new file costs one disk commit where a
 * replacing write (temporary file flushed, renamed, folder flushed) costs two.
 */
export function withOutbox(store: StatusStore, objects: ObjectStore, marking: OutboxMarking, clock: () => Date): StatusStore {
  if (!marking.notify && !marking.archive) return store;
  // The caller's options (its deadline) apply to the marker too.
  const optionsOf = (args: readonly unknown[]) => ({ ...(args[1] as CallOptions | undefined) });
  return {
    async recordEvent(...args: Parameters<StatusStore["recordEvent"]>) {
      const mark = changeMark(args[0], marking, clock().getTime());
      if (mark === undefined) return store.recordEvent(...args);
      const [result] = await Promise.all([store.recordEvent(...args), objects.createExclusive(mark.key, mark.body, optionsOf(args))]);
      return result;
    },
    async recordGroup(...args: Parameters<StatusStore["recordGroup"]>) {
      if (!marking.notify) return store.recordGroup(...args);
      const record = args[0];
      const body = JSON.stringify({ flowGroupId: record.flowGroupId });
      const key = outboxKeys.recordChange(record.flowGroupId, clock().getTime());
      const [snapshot] = await Promise.all([store.recordGroup(...args), objects.createExclusive(key, body, optionsOf(args))]);
      return snapshot;
    },
    getGroup: (...args: Parameters<StatusStore["getGroup"]>) => store.getGroup(...args),
    groupOfFlow: (...args: Parameters<StatusStore["groupOfFlow"]>) => store.groupOfFlow(...args),
    listGroups: (...args: Parameters<StatusStore["listGroups"]>) => store.listGroups(...args),
    listEvents: (...args: Parameters<StatusStore["listEvents"]>) => store.listEvents(...args),
    check: (...args: Parameters<StatusStore["check"]>) => store.check(...args),
  };
}

/** The marker an event needs, if any: keyed by its group, else by its flow. */
export function changeMark(event: StatusEvent, marking: OutboxMarking, atMs: number): { key: string; body: string } | undefined {
  const relevant = marking.notify || event.flowStatus === "ALL" || event.essGroupStatus === "ALL";
  if (!relevant) return undefined;
  const body = JSON.stringify({ msgId: event.msgId, flowGroupId: event.flowGroupId, flowId: event.flowId });
  if (event.flowGroupId) return { key: outboxKeys.groupChange(event.flowGroupId, event.msgId, atMs), body };
  if (event.flowId) return { key: outboxKeys.flowChange(event.flowId, event.msgId, atMs), body };
  return undefined;
}
