import { canonicalJson } from "../json/json-text";
import { maskDeep, maskText } from "../log/mask";
import { keySegment } from "../object-store/keys";
import type { ObjectStore } from "../object-store/port";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "./model";
import type { StatusStore } from "./port";
import { applyEvents, compareEvents, initialSnapshot, REDUCER_VERSION } from "./reducer";

/** What the status store needs besides storage. */
export interface StatusStoreDeps {
  /** Stamps `updatedAt` of written snapshots. */
  clock: () => Date;
}

/** Reads of stored objects in flight at once while folding a group. */
const READ_CONCURRENCY = 8;

/**
 * `StatusStore` on any `ObjectStore`, without locks (docs/architecture.md, "Status store").
 *
 * Key layout, every id turned into a safe segment by `keySegment`:
 * - `events/<MsgId>.json`: create-exclusive, the canonical copy; a duplicate is detected here.
 * - `groups/<FlowGroupId>/group.json`: create-exclusive, the record create-group wrote.
 * - `flows/<FlowId>/group.json`: create-exclusive, flow → group index.
 * - `groups/<FlowGroupId>/events/<MsgId>.json`: create-exclusive, the group's copy of an event.
 * - `flows/<FlowId>/events/<MsgId>.json`: an event waiting for its group to become known.
 * - `groups/<FlowGroupId>/snapshot.json`: put, derived, always rebuildable from the above.
 *
 * Every step is idempotent, so a step that failed is completed by the retry of the whole call.
 */
export function createStatusStore(objects: ObjectStore, deps: StatusStoreDeps): StatusStore {
  const refresh = coalesce((flowGroupId: string, knownRecord?: GroupRecord) =>
    refreshSnapshot(objects, deps.clock, flowGroupId, knownRecord),
  );

  return {
    async recordGroup(record) {
      if (typeof record.flowGroupId !== "string" || record.flowGroupId === "") {
        throw new TypeError("recordGroup needs a flowGroupId");
      }
      const recordKey = keys.groupRecord(record.flowGroupId);
      const created = await objects.createExclusive(recordKey, JSON.stringify(record));
      // A second call (a retry) keeps the first record: it is what the snapshot is built from.
      const stored = created ? record : (parseRecord(await objects.get(recordKey)) ?? record);
      const flowIds = [...new Set([...stored.flowIds, ...stored.flows.map((flow) => flow.flowId)])];
      await mapLimit(flowIds, READ_CONCURRENCY, (flowId) => joinFlow(objects, flowId, stored.flowGroupId));
      const snapshot = await refresh(stored.flowGroupId, stored);
      // The record was just written, so the group cannot be unknown.
      return snapshot!;
    },

    async recordEvent(event) {
      if (typeof event.msgId !== "string" || event.msgId === "") throw new TypeError("recordEvent needs a msgId");
      const eventKey = keys.event(event.msgId);
      const body = JSON.stringify(event);
      const created = await objects.createExclusive(eventKey, body);
      // On a duplicate the stored copy is linked, so every copy of one MsgId has the same content.
      const storedBody = created ? body : ((await objects.get(eventKey)) ?? body);
      const canonical = (created ? event : parseEvent(storedBody)) ?? event;
      const flowGroupId = await linkEvent(objects, canonical, storedBody, !created);
      if (flowGroupId !== undefined) await refresh(flowGroupId);
      return { duplicate: !created, ...(flowGroupId !== undefined ? { flowGroupId } : {}) };
    },

    async getGroup(flowGroupId) {
      return refresh(flowGroupId);
    },

    async listEvents(flowGroupId) {
      const eventKeys = await objects.list(keys.groupEventsPrefix(flowGroupId));
      const events = await readEvents(objects, eventKeys);
      return events.sort(compareEvents);
    },
  };
}

/**
 * A copy of `event` safe to show or log: names, mobiles and ID numbers in the raw `MsgData`
 * masked, secrets replaced, and personal data in `userData` masked.
 */
export function maskEvent(event: StatusEvent): StatusEvent {
  return {
    ...event,
    raw: maskDeep(event.raw),
    ...(event.userData !== undefined ? { userData: maskText(event.userData) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Key layout

const keys = {
  event: (msgId: string) => `events/${keySegment(msgId)}.json`,
  groupPrefix: (flowGroupId: string) => `groups/${keySegment(flowGroupId)}/`,
  groupRecord: (flowGroupId: string) => `groups/${keySegment(flowGroupId)}/group.json`,
  snapshot: (flowGroupId: string) => `groups/${keySegment(flowGroupId)}/snapshot.json`,
  groupEventsPrefix: (flowGroupId: string) => `groups/${keySegment(flowGroupId)}/events/`,
  groupEvent: (flowGroupId: string, msgId: string) => `groups/${keySegment(flowGroupId)}/events/${keySegment(msgId)}.json`,
  flowIndex: (flowId: string) => `flows/${keySegment(flowId)}/group.json`,
  flowPendingPrefix: (flowId: string) => `flows/${keySegment(flowId)}/events/`,
  flowPending: (flowId: string, msgId: string) => `flows/${keySegment(flowId)}/events/${keySegment(msgId)}.json`,
};

/** `<prefix>/<segment>.json` → `<segment>`. */
function segmentOfKey(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  return name.endsWith(".json") ? name.slice(0, -".json".length) : name;
}

// ---------------------------------------------------------------------------------------------
// Steps

/**
 * Links an event under its group and returns the group, or parks it under its flow while the
 * group is unknown. The flow path writes first and reads the index after; `joinFlow` writes the
 * index first and lists after: whichever runs second sees the other's write, so no interleaving
 * strands an event.
 */
async function linkEvent(
  objects: ObjectStore,
  event: StatusEvent,
  body: string,
  duplicate: boolean,
): Promise<string | undefined> {
  if (event.flowGroupId !== undefined && event.flowGroupId !== "") {
    await objects.createExclusive(keys.groupEvent(event.flowGroupId, event.msgId), body);
    return event.flowGroupId;
  }
  if (event.flowId === undefined || event.flowId === "") return undefined;

  const indexed = await readFlowIndex(objects, event.flowId);
  if (indexed !== undefined) {
    await objects.createExclusive(keys.groupEvent(indexed, event.msgId), body);
    // A first attempt may have parked the event before the group was known: tidy it up.
    if (duplicate) await objects.delete(keys.flowPending(event.flowId, event.msgId));
    return indexed;
  }
  await objects.createExclusive(keys.flowPending(event.flowId, event.msgId), body);
  const joined = await readFlowIndex(objects, event.flowId);
  if (joined === undefined) return undefined;
  await objects.createExclusive(keys.groupEvent(joined, event.msgId), body);
  await objects.delete(keys.flowPending(event.flowId, event.msgId));
  return joined;
}

/** Indexes a flow under its group and moves the events that waited for it into the group. */
async function joinFlow(objects: ObjectStore, flowId: string, flowGroupId: string): Promise<void> {
  const created = await objects.createExclusive(keys.flowIndex(flowId), JSON.stringify({ flowGroupId }));
  // If the flow was already indexed, its events belong where the index points (callbacks use it).
  const target = created ? flowGroupId : ((await readFlowIndex(objects, flowId)) ?? flowGroupId);
  const pending = await objects.list(keys.flowPendingPrefix(flowId));
  await mapLimit(pending, READ_CONCURRENCY, async (pendingKey) => {
    const body = await objects.get(pendingKey);
    // Gone means a concurrent mover already linked it (the link always precedes the delete).
    if (body !== undefined) {
      await objects.createExclusive(`${keys.groupEventsPrefix(target)}${segmentOfKey(pendingKey)}.json`, body);
    }
    await objects.delete(pendingKey);
  });
}

async function readFlowIndex(objects: ObjectStore, flowId: string): Promise<string | undefined> {
  const parsed = parseJson(await objects.get(keys.flowIndex(flowId)));
  const flowGroupId = (parsed as { flowGroupId?: unknown } | undefined)?.flowGroupId;
  return typeof flowGroupId === "string" && flowGroupId !== "" ? flowGroupId : undefined;
}

/**
 * Folds every event the group's listing shows and the snapshot has not included yet, and writes
 * the snapshot back (one put, last) only when it changed. Concurrent refreshes may overwrite each
 * other; whatever one of them missed is folded by the next, because the listing is the truth.
 */
async function refreshSnapshot(
  objects: ObjectStore,
  clock: () => Date,
  flowGroupId: string,
  knownRecord?: GroupRecord,
): Promise<GroupSnapshot | undefined> {
  const snapshotKey = keys.snapshot(flowGroupId);
  const [listed, storedText] = await Promise.all([objects.list(keys.groupPrefix(flowGroupId)), objects.get(snapshotKey)]);
  const eventsPrefix = keys.groupEventsPrefix(flowGroupId);
  const eventKeys = listed.filter((key) => key.startsWith(eventsPrefix));
  const hasRecord = listed.includes(keys.groupRecord(flowGroupId));
  const stored = parseSnapshot(storedText, flowGroupId);
  if (!hasRecord && eventKeys.length === 0 && stored === undefined) return undefined;

  let base: GroupSnapshot;
  if (stored !== undefined && stored.reducerVersion === REDUCER_VERSION && (stored.recorded || !hasRecord)) {
    base = stored;
  } else {
    // No usable snapshot, or one built before the record existed: rebuild from the record.
    const record = hasRecord ? (knownRecord ?? parseRecord(await objects.get(keys.groupRecord(flowGroupId)))) : undefined;
    base = initialSnapshot(record, flowGroupId, "ess", clock());
  }
  const included = new Set(base.includedMsgIds.map(keySegment));
  const fresh = await readEvents(
    objects,
    eventKeys.filter((key) => !included.has(segmentOfKey(key))),
  );
  const next = applyEvents(base, fresh);
  if (stored !== undefined && sameContent(stored, next)) return stored;
  const written: GroupSnapshot = { ...next, updatedAt: clock().toISOString() };
  await objects.put(snapshotKey, JSON.stringify(written), { rebuildable: true });
  return written;
}

async function readEvents(objects: ObjectStore, eventKeys: readonly string[]): Promise<StatusEvent[]> {
  const bodies = await mapLimit(eventKeys, READ_CONCURRENCY, (key) => objects.get(key));
  return bodies.map(parseEvent).filter((event): event is StatusEvent => event !== undefined);
}

/**
 * Coalesces concurrent refreshes of one group inside this process. A caller needs a refresh that
 * starts after its own write; so while one runs, later callers share a single queued run that
 * starts when it ends. A burst of callbacks for one group (one signer signs every flow at once)
 * then costs two snapshot writes instead of one per callback. Across processes nothing changes:
 * each refresh still folds whatever the listing shows.
 */
function coalesce<R>(run: (flowGroupId: string, record?: GroupRecord) => Promise<R>) {
  const flights = new Map<string, { running: Promise<R>; queued?: Promise<R> }>();
  const start = (flowGroupId: string, record?: GroupRecord): Promise<R> => {
    const flight: { running: Promise<R>; queued?: Promise<R> } = { running: run(flowGroupId, record) };
    flights.set(flowGroupId, flight);
    const settle = () => {
      if (flights.get(flowGroupId) === flight && flight.queued === undefined) flights.delete(flowGroupId);
    };
    flight.running.then(settle, settle);
    return flight.running;
  };
  return (flowGroupId: string, record?: GroupRecord): Promise<R> => {
    const flight = flights.get(flowGroupId);
    if (flight === undefined) return start(flowGroupId, record);
    const ignore = () => undefined;
    flight.queued ??= flight.running.then(ignore, ignore).then(() => start(flowGroupId, record));
    return flight.queued;
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing what was stored (a damaged object is skipped or rebuilt, never trusted)

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseEvent(text: string | undefined): StatusEvent | undefined {
  const value = parseJson(text);
  return isObject(value) && typeof value.msgId === "string" && value.msgId !== "" && typeof value.receivedAt === "string"
    ? (value as unknown as StatusEvent)
    : undefined;
}

function parseRecord(text: string | undefined): GroupRecord | undefined {
  const value = parseJson(text);
  return isObject(value) && typeof value.flowGroupId === "string" && Array.isArray(value.flowIds) && Array.isArray(value.flows)
    ? (value as unknown as GroupRecord)
    : undefined;
}

function parseSnapshot(text: string | undefined, flowGroupId: string): GroupSnapshot | undefined {
  const value = parseJson(text);
  return isObject(value) &&
    value.flowGroupId === flowGroupId &&
    Array.isArray(value.flows) &&
    Array.isArray(value.includedMsgIds) &&
    typeof value.eventCount === "number"
    ? (value as unknown as GroupSnapshot)
    : undefined;
}

/** Equal apart from `updatedAt`, whatever the key order of the two objects. */
function sameContent(a: GroupSnapshot, b: GroupSnapshot): boolean {
  return canonicalJson({ ...a, updatedAt: "" }) === canonicalJson({ ...b, updatedAt: "" });
}

/** `Promise.all` over `items` with at most `limit` calls in flight; results keep input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
