import { maskDeep, maskText } from "../log/mask";
import { parseJsonText } from "../json/json-text";
import { isObject } from "../lang/objects";
import { keySegment } from "../object-store/keys";
import type { CallOptions, ObjectStore } from "../object-store/port";
import { CREATED_PREFIX, flowSegmentOf, GROUP_LEVEL, groupOfListedName, layout, parkedSlotOf, parseListedKey } from "./layout";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "./model";
import type { StatusStore } from "./port";
import { applyEvents, compareEvents, initialSnapshot, mergeSnapshots, REDUCER_VERSION } from "./reducer";

/** What the status store needs besides storage. */
export interface StatusStoreDeps {
  /** Stamps `updatedAt` of written folds and of answers. */
  clock: () => Date;
  /**
   * Whether a callback folds its event into its flow's fold before answering (COS: a read then
   * finds it without a listing) or every read folds the group's events (a local folder, where a
   * listing is a `readdir` and always complete: a callback is then one durable write, and a read
   * writes nothing). Default: fold on write unless the object store's listings are consistent.
   */
  foldOnWrite?: boolean;
}

/** Reads in flight at once (one read of a 50-flow group fetches its 51 folds in one round trip). */
const READ_CONCURRENCY = 64;

/** Most slots a callback tries when parking (a flow with that many early callbacks is not a real one). */
const MAX_PARKING_ATTEMPTS = 200;

/**
 * `StatusStore` on any `ObjectStore`, without locks and without trusting listings
 * (docs/architecture.md, "Status store"; the key layout is in `layout.ts`):
 *
 * - A callback that names its group creates its event under the group's flow (create-exclusive:
 *   the duplicate check) while reading that flow's fold, then writes the fold with the event in
 *   it: two round trips. One that names only its flow reads the flow → group index first (three).
 * - Each flow has its own fold, so callbacks of different flows (a signer signing every flow at
 *   once) never overwrite each other's; two callbacks of one flow at the same moment can (COS has
 *   no compare-and-swap), and a read repairs what a fold lost from the event listing.
 * - A read gets the record and the group's listing, then every fold, and merges them: two round
 *   trips, three or four when a fold missed a listed event (it is folded and written back).
 * - A callback whose group is not recorded yet parks in the flow's next numbered slot and then
 *   reads the index again; create-group writes the index and then reads the slots from 0 until one
 *   is missing. Both are single-key reads after single-key writes, so whichever runs second sees
 *   the other: no listing can strand the event. Only a joiner deletes slots, and only once it has
 *   joined every slot it found, so no gap ever hides a slot that still has to be joined.
 * - The join is not create-group's alone: the record is marked `joinedAt` only after every flow's
 *   slots were joined, and a read that finds a record without the mark (create-group failed or
 *   timed out half-way) indexes the record's flows, joins their slots from 0 and marks it, before
 *   it answers. So no callback answered 200 waits in a slot once anyone has read the group.
 *
 * Every step is idempotent and a step that failed makes the call throw, so the retry of the whole
 * call (ESS redelivers) completes it; a redelivered event whose fold lacks it is folded again.
 */
export function createStatusStore(objects: ObjectStore, deps: StatusStoreDeps): StatusStore {
  const folds = createFoldWriter(objects, deps.clock);
  const foldOnWrite = deps.foldOnWrite ?? objects.consistentListings !== true;

  /** Stores `event` under group `flowGroupId` and folds it into its flow's part. */
  const storeUnderGroup = async (flowGroupId: string, event: StatusEvent, body: string, options: CallOptions) => {
    const segment = flowSegmentOf(event.flowId);
    const eventKey = layout.event(flowGroupId, segment, event.msgId);
    // Folding on read: the next read lists the event (the listing is complete) and folds it.
    if (!foldOnWrite) return { duplicate: !(await objects.createExclusive(eventKey, body, options)) };
    const fold = folds.open(layout.part(flowGroupId, segment), flowGroupId, options);
    try {
      const [created, part] = await Promise.all([objects.createExclusive(eventKey, body, options), fold.current()]);
      if (created) {
        await fold.fold([event]);
        return { duplicate: false };
      }
      // A first delivery may have stored the event and failed before its fold was written.
      if (part?.includedMsgIds.includes(event.msgId)) return { duplicate: true };
      const stored = parseEvent(await objects.get(eventKey, options)) ?? event;
      await fold.fold([stored]);
      return { duplicate: true };
    } finally {
      fold.close();
    }
  };

  /**
   * Parks `body` in the flow's first free slot; returns the slot and whether this MsgId was parked
   * before. A redelivery takes a slot too: its first delivery may have failed before taking one.
   */
  const park = async (flowId: string, msgId: string, body: string, options: CallOptions): Promise<{ slot: number; duplicate: boolean }> => {
    const [fresh, first, listed] = await Promise.all([
      objects.createExclusive(layout.waiting(flowId, msgId), "{}", options),
      objects.createExclusive(layout.parked(flowId, 0), body, options),
      objects.list(layout.parkedPrefix(flowId), options),
    ]);
    if (first) return { slot: 0, duplicate: !fresh };
    // Slots are written without gaps, so the listing (however late) gives a lower bound to start at.
    let slot = Math.max(1, ...listed.map((key) => (parkedSlotOf(key) ?? 0) + 1));
    for (let attempt = 0; attempt < MAX_PARKING_ATTEMPTS; attempt++, slot++) {
      if (await objects.createExclusive(layout.parked(flowId, slot), body, options)) return { slot, duplicate: !fresh };
    }
    throw new TypeError(`flow has more than ${MAX_PARKING_ATTEMPTS} parked events in a row`);
  };

  const readIndex = async (flowId: string, options: CallOptions): Promise<string | undefined> => {
    const parsed = parseJsonText(await objects.get(layout.flowIndex(flowId), options));
    const flowGroupId = (parsed as { flowGroupId?: unknown } | undefined)?.flowGroupId;
    return typeof flowGroupId === "string" && flowGroupId !== "" ? flowGroupId : undefined;
  };

  /** The events parked in each flow's slots, read from slot 0 until one is missing. */
  const readAllParked = (flowIds: readonly string[], options: CallOptions) =>
    mapLimit(flowIds, READ_CONCURRENCY, (flowId) => readParked(objects, flowId, options));

  /**
   * Stores every parked event under the group its flow is indexed to (`targets`), per flow in slot
   * order so the first delivery of a redelivered message is the copy kept; returns the keys to
   * delete. Only a joiner that read a flow's slots from 0 after its index existed may call this.
   */
  const joinParked = async (flowIds: readonly string[], targets: readonly string[], parked: ParkedEvent[][], options: CallOptions) => {
    if (!parked.some((slots) => slots.length > 0)) return [];
    await mapLimit(parked, READ_CONCURRENCY, async (slots, i) => {
      for (const { event, body } of slots) await storeUnderGroup(targets[i]!, event, body, options);
    });
    return flowIds.flatMap((flowId, i) =>
      parked[i]!.flatMap(({ slot, event }) => [layout.parked(flowId, slot), layout.waiting(flowId, event.msgId)]),
    );
  };

  const deleteSlots = (keys: readonly string[], options: CallOptions) =>
    mapLimit(keys, READ_CONCURRENCY, (key) => objects.delete(key, options));

  /** The record with its joined mark, and the write that stores it (none when it is marked already). */
  const markJoined = (record: GroupRecord, options: CallOptions): { record: GroupRecord; written: Promise<void> } => {
    if (record.joinedAt !== undefined) return { record, written: Promise.resolve() };
    const marked: GroupRecord = { ...record, joinedAt: deps.clock().toISOString() };
    return { record: marked, written: objects.put(layout.record(record.flowGroupId), JSON.stringify(marked), options) };
  };

  /**
   * The join create-group did not finish (it failed, or timed out, after writing the record): every
   * flow of the record gets its index (a flow indexed before keeps its group), then its slots are
   * read from 0 and joined, then the record is marked. Idempotent, and safe beside create-group or
   * another read doing the same: events are stored create-exclusive, and a slot is deleted only
   * after its event is stored. Returns the marked record and the writes still under way (the mark,
   * the slots' deletes), which the caller awaits beside its next reads.
   */
  const healJoin = async (record: GroupRecord, options: CallOptions): Promise<{ record: GroupRecord; written: Promise<unknown> }> => {
    const flowIds = recordFlowIds(record);
    // Each index exists before its slots are read: a callback that parks later finds it and joins itself.
    const targets = await mapLimit(flowIds, READ_CONCURRENCY, (flowId) => ensureIndex(flowId, record.flowGroupId, options));
    const slots = await joinParked(flowIds, targets, await readAllParked(flowIds, options), options);
    const joined = markJoined(record, options);
    return { record: joined.record, written: Promise.all([joined.written, deleteSlots(slots, options)]) };
  };

  /** The group `flowId` is indexed to, writing the index to `flowGroupId` when it has none. */
  const ensureIndex = async (flowId: string, flowGroupId: string, options: CallOptions): Promise<string> => {
    const found = await readIndex(flowId, options);
    if (found !== undefined) return found;
    if (await objects.createExclusive(layout.flowIndex(flowId), JSON.stringify({ flowGroupId }), options)) return flowGroupId;
    return (await readIndex(flowId, options)) ?? flowGroupId;
  };

  /** Reads the folds of `segments` (absent or unusable ones as undefined). */
  const readParts = (flowGroupId: string, segments: readonly string[], options: CallOptions) =>
    mapLimit(segments, READ_CONCURRENCY, async (segment) =>
      parsePart(await objects.get(layout.part(flowGroupId, segment), options), flowGroupId),
    );

  /** The group from its record, its listing and its folds; `known` is the record when the caller has it. */
  const readGroup = async (flowGroupId: string, options: CallOptions, known?: GroupRecord): Promise<GroupSnapshot | undefined> => {
    const [recordText, ...shards] = await Promise.all([
      known !== undefined ? Promise.resolve(undefined) : objects.get(layout.record(flowGroupId), options),
      ...layout.shardPrefixes(flowGroupId).map((prefix) => objects.list(prefix, options)),
    ]);
    let record = known ?? parseRecord(recordText);
    // A record without its joined mark: create-group's join may have failed after the flows were
    // indexed, leaving callbacks answered 200 in their slots. They are joined before the folds are read.
    let healed: Promise<unknown> = Promise.resolve();
    if (record !== undefined && record.joinedAt === undefined) {
      const heal = await healJoin(record, options);
      // Folding on read, the joined events are in no fold: a new listing (complete on a folder) shows them.
      if (!foldOnWrite) {
        await heal.written;
        return readGroup(flowGroupId, options, heal.record);
      }
      ({ record, written: healed } = heal);
    }
    const listed = groupListing(shards.flat());
    if (record === undefined && listed.size === 0) return undefined;

    const segments = [...new Set([GROUP_LEVEL, ...(record ? recordFlowIds(record).map((id) => keySegment(id)) : []), ...listed.keys()])];
    const [parts] = await Promise.all([readParts(flowGroupId, segments, options), healed]);
    // Events the listing shows that their flow's fold lacks: a lost update, or a fold not written.
    const missing = segments.flatMap((segment, i) => {
      const included = new Set((parts[i]?.includedMsgIds ?? []).map((msgId) => keySegment(msgId)));
      return (listed.get(segment) ?? [])
        .filter((msgSegment) => !included.has(msgSegment))
        .map((msgSegment) => ({ i, segment, msgSegment }));
    });
    if (missing.length > 0) {
      const bodies = await mapLimit(missing, READ_CONCURRENCY, ({ segment, msgSegment }) =>
        objects.get(layout.eventAt(flowGroupId, segment, msgSegment), options),
      );
      const byPart = new Map<number, StatusEvent[]>();
      missing.forEach(({ i }, n) => {
        const event = parseEvent(bodies[n]);
        if (event !== undefined) byPart.set(i, [...(byPart.get(i) ?? []), event]);
      });
      await Promise.all(
        [...byPart].map(async ([i, events]) => {
          // Folding on read (a folder): the read folds in memory and writes no fold.
          if (!foldOnWrite) {
            parts[i] = applyEvents(parts[i] ?? initialSnapshot(undefined, flowGroupId, "ess", deps.clock()), events);
            return;
          }
          const fold = folds.open(layout.part(flowGroupId, segments[i]!), flowGroupId, options, parts[i] ?? null);
          try {
            parts[i] = await fold.fold(events);
          } finally {
            fold.close();
          }
        }),
      );
    }
    const base = record ? [initialSnapshot(record, flowGroupId, record.edition, deps.clock())] : [];
    return mergeSnapshots(flowGroupId, [...base, ...defined(parts)], deps.clock());
  };

  return {
    async recordEvent(event, options = {}) {
      if (typeof event.msgId !== "string" || event.msgId === "") throw new TypeError("recordEvent needs a msgId");
      const body = JSON.stringify(event);
      const flowGroupId = nonEmpty(event.flowGroupId);
      if (flowGroupId !== undefined) return { ...(await storeUnderGroup(flowGroupId, event, body, options)), flowGroupId };
      const flowId = nonEmpty(event.flowId);
      if (flowId === undefined) return { duplicate: !(await objects.createExclusive(layout.loose(event.msgId), body, options)) };

      const indexed = await readIndex(flowId, options);
      if (indexed !== undefined) return { ...(await storeUnderGroup(indexed, event, body, options)), flowGroupId: indexed };
      const parked = await park(flowId, event.msgId, body, options);
      // Written before this read; create-group writes the index before it reads the slots.
      const joined = await readIndex(flowId, options);
      if (joined === undefined) return { duplicate: parked.duplicate };
      const stored = await storeUnderGroup(joined, event, body, options);
      // The slot stays: only create-group deletes slots, after joining every one it found. A slot
      // deleted here could open a gap in front of one create-group has still to join (its retry
      // reads the slots from 0 and stops at the first missing one).
      return { ...stored, flowGroupId: joined };
    },

    async listGroups({ owner, after, limit, ...options }) {
      const prefix = owner === undefined ? CREATED_PREFIX : layout.ownedPrefix(owner);
      const page = await objects.listPage(prefix, { ...options, startAfter: after === undefined ? undefined : `${prefix}${after}`, limit });
      const entries = page.keys.flatMap((key) => {
        const flowGroupId = groupOfListedName(key);
        return flowGroupId === undefined ? [] : [{ name: key.slice(prefix.length), flowGroupId }];
      });
      return { entries, truncated: page.truncated };
    },

    groupOfFlow(flowId, options = {}) {
      return readIndex(flowId, options);
    },

    async recordGroup(record, options = {}) {
      if (typeof record.flowGroupId !== "string" || record.flowGroupId === "") throw new TypeError("recordGroup needs a flowGroupId");
      const flowGroupId = record.flowGroupId;
      const flowIds = recordFlowIds(record);
      // Only the store marks a record joined, once it has joined: a caller's mark is not taken.
      const { joinedAt: _untrusted, ...fresh } = record;
      const parsedCreatedAt = Date.parse(record.createdAt);
      const createdAt = Number.isNaN(parsedCreatedAt) ? deps.clock().getTime() : parsedCreatedAt;
      const [created, ...indexed] = await Promise.all([
        objects.createExclusive(layout.record(flowGroupId), JSON.stringify(fresh), options),
        ...flowIds.map((flowId) => objects.createExclusive(layout.flowIndex(flowId), JSON.stringify({ flowGroupId }), options)),
        objects.createExclusive(layout.created(flowGroupId, createdAt), "{}", options),
        // The creating key's own list, in the same round trip.
        record.owner === undefined
          ? Promise.resolve(true)
          : objects.createExclusive(layout.owned(record.owner, flowGroupId, createdAt), "{}", options),
      ]);
      // A second call (a retry) keeps the first record: it is what reads are built from.
      const stored = created ? fresh : (parseRecord(await objects.get(layout.record(flowGroupId), options)) ?? fresh);
      // A flow indexed before (by an earlier record) keeps its group: callbacks already follow it.
      const targets = await Promise.all(
        flowIds.map(async (flowId, i) => (indexed[i] ? flowGroupId : ((await readIndex(flowId, options)) ?? flowGroupId))),
      );

      // Callbacks that came before the index wait in their flow's slots; the folds are read alongside.
      const segments = [GROUP_LEVEL, ...flowIds.map((flowId) => keySegment(flowId))];
      const [parked, partsBefore] = await Promise.all([readAllParked(flowIds, options), readParts(flowGroupId, segments, options)]);
      let parts = partsBefore;
      const slots = await joinParked(flowIds, targets, parked, options);
      // Marked joined only now: a record without the mark is joined again by the next read of the group.
      const joined = markJoined(stored, options);
      if (slots.length > 0) {
        // The slots go beside reading the folds again; a failed delete leaves garbage, never a loss.
        [parts] = await Promise.all([readParts(flowGroupId, segments, options), joined.written, deleteSlots(slots, options)]);
      } else {
        await joined.written;
      }
      // Folding on read, the joined events are in no fold yet: the read folds them.
      if (!foldOnWrite) return (await readGroup(flowGroupId, options, joined.record))!;
      return mergeSnapshots(
        flowGroupId,
        [initialSnapshot(stored, flowGroupId, stored.edition, deps.clock()), ...defined(parts)],
        deps.clock(),
      );
    },

    getGroup: (flowGroupId, options = {}) => readGroup(flowGroupId, options),

    async listEvents(flowGroupId, options = {}) {
      const shards = await Promise.all(layout.shardPrefixes(flowGroupId).map((prefix) => objects.list(prefix, options)));
      const eventKeys = shards.flat().filter((key) => parseListedKey(key)?.kind === "event");
      const bodies = await mapLimit(eventKeys, READ_CONCURRENCY, (key) => objects.get(key, options));
      return bodies
        .map(parseEvent)
        .filter((event): event is StatusEvent => event !== undefined)
        .sort(compareEvents);
    },

    check: (options) => objects.check(options),
  };
}

/**
 * A copy of `event` safe to show or log: names, mobiles and ID numbers in the raw `MsgData`
 * masked, secrets replaced, and personal data in `userData` masked.
 */
export function maskEvent(event: StatusEvent): StatusEvent {
  const masked: StatusEvent = { ...event, raw: maskDeep(event.raw) };
  if (event.userData !== undefined) masked.userData = maskText(event.userData);
  return masked;
}

// ---------------------------------------------------------------------------------------------
// Folds

interface FoldLane {
  /** The fold as read when the lane opened (null: none yet, or unusable). */
  base: Promise<GroupSnapshot | null>;
  /** The fold as this process last wrote it, once it has. */
  latest?: GroupSnapshot;
  users: number;
  draining: boolean;
  queue: Array<{ events: StatusEvent[]; deadline?: number; done: (result: GroupSnapshot) => void; fail: (error: unknown) => void }>;
}

/** One caller's view of a fold: what it holds now, and a way to fold events into it. */
export interface FoldHandle {
  current(): Promise<GroupSnapshot | undefined>;
  fold(events: StatusEvent[]): Promise<GroupSnapshot>;
  close(): void;
}

/**
 * Writes folds, one read-modify-write at a time per fold within this process. Callers of one fold
 * share a lane while any of them is active: the fold is read once when the lane opens (in the same
 * round trip as the caller's event write), and events that arrive while a write is under way are
 * folded together into the next write, on top of what this process just wrote. So no caller here
 * folds into a copy older than a write this process made; across processes the lost update COS
 * allows remains, and reads repair it from the listing.
 */
function createFoldWriter(objects: ObjectStore, clock: () => Date) {
  const lanes = new Map<string, FoldLane>();

  const release = (key: string, lane: FoldLane) => {
    if (lane.users === 0 && !lane.draining && lanes.get(key) === lane) lanes.delete(key);
  };

  const drain = async (key: string, flowGroupId: string, lane: FoldLane) => {
    lane.draining = true;
    while (lane.queue.length > 0) {
      const batch = lane.queue.splice(0);
      try {
        const base = lane.latest ?? (await lane.base) ?? initialSnapshot(undefined, flowGroupId, "ess", clock());
        const next = applyEvents(
          base,
          batch.flatMap((item) => item.events),
        );
        if (next !== base) {
          const deadlines = batch.map((item) => item.deadline).filter((d): d is number => d !== undefined);
          const written: GroupSnapshot = { ...next, updatedAt: clock().toISOString() };
          const options = deadlines.length > 0 ? { rebuildable: true, deadline: Math.min(...deadlines) } : { rebuildable: true };
          await objects.put(key, JSON.stringify(written), options);
          lane.latest = written;
        }
        for (const item of batch) item.done(lane.latest ?? next);
      } catch (error) {
        for (const item of batch) item.fail(error);
      }
    }
    lane.draining = false;
    release(key, lane);
  };

  return {
    /** `known`: the fold as the caller just read it, used (instead of reading it again) when no lane is open. */
    open(key: string, flowGroupId: string, options: CallOptions, known?: GroupSnapshot | null): FoldHandle {
      let lane = lanes.get(key);
      if (lane === undefined) {
        const base =
          known !== undefined ? Promise.resolve(known) : objects.get(key, options).then((text) => parsePart(text, flowGroupId) ?? null);
        const created: FoldLane = { base, users: 0, draining: false, queue: [] };
        // A failed read closes the lane at once, so the next caller reads again.
        created.base.catch(() => {
          if (lanes.get(key) === created) lanes.delete(key);
        });
        lanes.set(key, created);
        lane = created;
      }
      const mine = lane;
      mine.users += 1;
      let open = true;
      return {
        current: async () => mine.latest ?? (await mine.base) ?? undefined,
        fold: (events) =>
          new Promise<GroupSnapshot>((done, fail) => {
            mine.queue.push({ events, deadline: options.deadline, done, fail });
            if (!mine.draining) void drain(key, flowGroupId, mine);
          }),
        close() {
          if (!open) return;
          open = false;
          mine.users -= 1;
          release(key, mine);
        },
      };
    },
  };
}

/** An event waiting in a flow's slot. */
interface ParkedEvent {
  slot: number;
  event: StatusEvent;
  body: string;
}

/** The events waiting in a flow's slots, read from slot 0 until one is missing. */
async function readParked(objects: ObjectStore, flowId: string, options: CallOptions): Promise<ParkedEvent[]> {
  const found: ParkedEvent[] = [];
  for (let slot = 0; ; slot++) {
    const body = await objects.get(layout.parked(flowId, slot), options);
    if (body === undefined) return found;
    const event = parseEvent(body);
    if (event !== undefined) found.push({ slot, event, body });
  }
}

/** Listed event segments per flow segment (folds are read whether listed or not). */
function groupListing(keys: readonly string[]): Map<string, string[]> {
  const listed = new Map<string, string[]>();
  for (const key of keys) {
    const parsed = parseListedKey(key);
    if (parsed === undefined) continue;
    const events = listed.get(parsed.flowSegment) ?? [];
    if (parsed.kind === "event") events.push(parsed.msgSegment);
    listed.set(parsed.flowSegment, events);
  }
  return listed;
}

function recordFlowIds(record: GroupRecord): string[] {
  return [...new Set([...record.flowIds, ...record.flows.map((flow) => flow.flowId)])];
}

// ---------------------------------------------------------------------------------------------
// Parsing what was stored (a damaged object is skipped or rebuilt, never trusted)

function parseEvent(text: string | undefined): StatusEvent | undefined {
  const value = parseJsonText(text);
  return isObject(value) && typeof value.msgId === "string" && value.msgId !== "" && typeof value.receivedAt === "string"
    ? (value as unknown as StatusEvent)
    : undefined;
}

function parseRecord(text: string | undefined): GroupRecord | undefined {
  const value = parseJsonText(text);
  return isObject(value) && typeof value.flowGroupId === "string" && Array.isArray(value.flowIds) && Array.isArray(value.flows)
    ? (value as unknown as GroupRecord)
    : undefined;
}

/** A stored fold of this group and this reducer version, else undefined (rebuilt from its events). */
function parsePart(text: string | undefined, flowGroupId: string): GroupSnapshot | undefined {
  const value = parseJsonText(text);
  return isObject(value) &&
    value.flowGroupId === flowGroupId &&
    value.recorded === false &&
    value.reducerVersion === REDUCER_VERSION &&
    Array.isArray(value.flows) &&
    Array.isArray(value.includedMsgIds) &&
    typeof value.eventCount === "number"
    ? (value as unknown as GroupSnapshot)
    : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function defined<T>(items: ReadonlyArray<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** `Promise.all` over `items` with at most `limit` calls in flight; results keep input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
