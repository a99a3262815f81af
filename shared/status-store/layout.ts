import { keySegment } from "../object-store/keys";

/**
 * Where the status store keeps what (under `STORE_DIR` or `COS_PREFIX`); docs/architecture.md has
 * the table. Every id becomes one key segment through `keySegment`, so a hostile id cannot climb
 * out of its folder.
 *
 * A group's objects are spread over `SHARDS` listing prefixes by flow, so one read lists a
 * 50-flow × 10-approver group (about 1 500 events and 50 folds) in parallel pages of about 400
 * keys instead of two pages one after the other.
 */

/** Listing prefixes per group; a flow's shard is fixed by its id (FNV-1a), so never change this. */
export const SHARDS = 4;

/** The segment that holds a group's events without a flow (FlowGroupStatusChange): never a `keySegment` output. */
export const GROUP_LEVEL = "~g";

/** Inverted creation times sort newest first; 13 digits hold every epoch millisecond until the year 2286. */
const NEWEST_FIRST_BASE = 9_999_999_999_999;

export const layout = {
  /** create-exclusive: the record create-group wrote; its existence is the group's. */
  record: (flowGroupId: string) => `groups/${keySegment(flowGroupId)}/record.json`,
  /** The listing prefixes of a group's events and folds. */
  shardPrefixes: (flowGroupId: string) => Array.from({ length: SHARDS }, (_, s) => `groups/${keySegment(flowGroupId)}/${s}/`),
  /** create-exclusive: the one copy of each event of a known group; a duplicate MsgId is refused here. */
  event: (flowGroupId: string, flowSegment: string, msgId: string) => layout.eventAt(flowGroupId, flowSegment, keySegment(msgId)),
  /** The same key from segments, as a listing gives them. */
  eventAt: (flowGroupId: string, flowSegment: string, msgSegment: string) => `${folder(flowGroupId, flowSegment)}events/${msgSegment}.json`,
  /** put (rebuildable): the fold of one flow's events (or of the group's flowless ones). */
  part: (flowGroupId: string, flowSegment: string) => `${folder(flowGroupId, flowSegment)}part.json`,
  /** create-exclusive: flow → group, written by create-group. */
  flowIndex: (flowId: string) => `flows/${keySegment(flowId)}/group.json`,
  /** create-exclusive, numbered 0, 1, 2… without gaps: an event waiting for its flow's group to be recorded. */
  parked: (flowId: string, slot: number) => `parked/${keySegment(flowId)}/${String(slot).padStart(8, "0")}.json`,
  parkedPrefix: (flowId: string) => `parked/${keySegment(flowId)}/`,
  /** create-exclusive: the duplicate check of a parked event (its slot cannot be one: a redelivery takes another). */
  waiting: (flowId: string, msgId: string) => `waiting/${keySegment(flowId)}/${keySegment(msgId)}.json`,
  /** create-exclusive: an event with neither group nor flow (seal, staff…), stored once outside every group. */
  loose: (msgId: string) => `events/${keySegment(msgId)}.json`,
  /** create-exclusive: every group newest first, for listings with a cursor. */
  created: (flowGroupId: string, createdAtMs: number) => `${CREATED_PREFIX}${newestFirstName(flowGroupId, createdAtMs)}`,
  /** create-exclusive: the groups one API key created, newest first (the list route's index; no personal data). */
  owned: (owner: string, flowGroupId: string, createdAtMs: number) =>
    `${layout.ownedPrefix(owner)}${newestFirstName(flowGroupId, createdAtMs)}`,
  ownedPrefix: (owner: string) => `owners/${keySegment(owner)}/groups/`,
};

/** Every group, newest first (the list route's index when no API key scopes it). */
export const CREATED_PREFIX = "created/";

/** `<inverted creation ms>-<FlowGroupId>.json`: names that sort newest first, ties by group id. */
function newestFirstName(flowGroupId: string, createdAtMs: number): string {
  const inverted = NEWEST_FIRST_BASE - Math.max(0, Math.min(NEWEST_FIRST_BASE, Math.floor(createdAtMs)));
  return `${String(inverted).padStart(13, "0")}-${keySegment(flowGroupId)}.json`;
}

/** The FlowGroupId of a listed `created/` or `owners/…/groups/` key, or undefined for another key. */
export function groupOfListedName(key: string): string | undefined {
  // Group ids are plain segments (32 letters and digits); a hashed one (`~…`) names no group to read.
  const match = /\/\d{13}-([A-Za-z0-9_-]+)\.json$/.exec(key);
  return match?.[1];
}

/** The flow's segment (or `GROUP_LEVEL` for an event without a flow). */
export function flowSegmentOf(flowId: string | undefined): string {
  return flowId === undefined || flowId === "" ? GROUP_LEVEL : keySegment(flowId);
}

/** What a listed key under a group's shard prefixes is. */
export type ListedKey = { kind: "event"; flowSegment: string; msgSegment: string } | { kind: "part"; flowSegment: string };

/** Parses `groups/<g>/<s>/<flow>/events/<m>.json` and `groups/<g>/<s>/<flow>/part.json`; anything else is undefined. */
export function parseListedKey(key: string): ListedKey | undefined {
  const parts = key.split("/");
  if (parts[0] !== "groups") return undefined;
  if (parts.length === 5 && parts[4] === "part.json") return { kind: "part", flowSegment: parts[3]! };
  if (parts.length === 6 && parts[4] === "events" && parts[5]!.endsWith(".json")) {
    return { kind: "event", flowSegment: parts[3]!, msgSegment: parts[5]!.slice(0, -".json".length) };
  }
  return undefined;
}

/** The slot number of a `parked/<flow>/<n>.json` key, or undefined. */
export function parkedSlotOf(key: string): number | undefined {
  const match = /\/(\d{8})\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

function folder(flowGroupId: string, flowSegment: string): string {
  return `groups/${keySegment(flowGroupId)}/${shardOf(flowSegment)}/${flowSegment}/`;
}

function shardOf(flowSegment: string): number {
  if (flowSegment === GROUP_LEVEL) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < flowSegment.length; i++) {
    hash ^= flowSegment.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SHARDS;
}
