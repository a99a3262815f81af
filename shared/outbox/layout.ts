import { keySegment } from "../object-store/keys";

/**
 * Where the outbox keeps what, under the store's prefix (docs/architecture.md, "Outbox"). Ids become
 * one key segment through `keySegment`: FlowGroupIds and FlowIds (32 letters and digits) stay
 * readable, anything else is hashed, and the marker's body then names the id.
 *
 * | key | written by | how |
 * | --- | --- | --- |
 * | `outbox/changes/g/<group>/<ms>-<msg>.json` | any function recording an event of a known group | create-exclusive, same round trip as the event |
 * | `outbox/changes/f/<flow>/<ms>-<msg>.json` | callback, for an event that names only its flow | create-exclusive, same round trip |
 * | `outbox/changes/g/<group>/<ms>-~record.json` | create-group | create-exclusive, same round trip as the group record |
 * | `outbox/groups/<group>/state.json` | the outbox function | put: what was notified, delivered, archived |
 * | `outbox/groups/<group>/events/<seq>.json` | the outbox function | create-exclusive: one notification, immutable |
 * | `outbox/pending/notify/<group>.json` | the outbox function | put / delete: groups with undelivered notifications |
 * | `outbox/pending/archive/<group>.json` | the outbox function | put / delete: groups with signed PDFs still to fetch |
 * | `outbox/receiver.json` | the outbox function | put: the receiver's backoff while it fails |
 * | `outbox/lease/<window>.json` | the outbox function | create-exclusive: one drain at a time |
 * | `archive/<FlowGroupId>/<FlowId>.pdf` | the outbox function | put: the signed PDF |
 */

export const CHANGES_PREFIX = "outbox/changes/";
export const PENDING_PREFIX = { notify: "outbox/pending/notify/", archive: "outbox/pending/archive/" } as const;
export const LEASE_PREFIX = "outbox/lease/";

/** The msg part of the marker a recorded group leaves: outside `keySegment`'s outputs (`~` + 64 hex). */
export const RECORD_MARK = "~record";

/** Epoch milliseconds in 13 digits: marker keys sort by when the change was recorded. */
const stamp = (atMs: number) => String(Math.max(0, Math.floor(atMs))).padStart(13, "0");

export const outboxKeys = {
  groupChange: (flowGroupId: string, msgId: string, atMs: number) =>
    `${CHANGES_PREFIX}g/${keySegment(flowGroupId)}/${stamp(atMs)}-${keySegment(msgId)}.json`,
  flowChange: (flowId: string, msgId: string, atMs: number) =>
    `${CHANGES_PREFIX}f/${keySegment(flowId)}/${stamp(atMs)}-${keySegment(msgId)}.json`,
  recordChange: (flowGroupId: string, atMs: number) => `${CHANGES_PREFIX}g/${keySegment(flowGroupId)}/${stamp(atMs)}-${RECORD_MARK}.json`,
  state: (flowGroupId: string) => `outbox/groups/${keySegment(flowGroupId)}/state.json`,
  notification: (flowGroupId: string, sequence: number) =>
    `outbox/groups/${keySegment(flowGroupId)}/events/${String(sequence).padStart(10, "0")}.json`,
  pending: (kind: keyof typeof PENDING_PREFIX, flowGroupId: string) => `${PENDING_PREFIX[kind]}${keySegment(flowGroupId)}.json`,
  receiver: () => "outbox/receiver.json",
  lease: (window: number) => `${LEASE_PREFIX}${String(window).padStart(12, "0")}.json`,
  archive: (flowGroupId: string, flowId: string, part = 1) =>
    `archive/${keySegment(flowGroupId)}/${keySegment(flowId)}${part > 1 ? `-${part}` : ""}.pdf`,
};

/** What a listed change marker says without reading it. */
export interface ListedChange {
  key: string;
  /** `g`: the segment is a group's; `f`: a flow's (its group is found through the flow index). */
  scope: "g" | "f";
  /** The group's or flow's key segment. */
  segment: string;
  /** The event's key segment, or `RECORD_MARK`. */
  msgSegment: string;
  /** When it was written, epoch milliseconds. */
  atMs: number;
}

const CHANGE_KEY = /^outbox\/changes\/([gf])\/([^/]+)\/(\d{13})-([^/]+)\.json$/;

/** Parses a key under `CHANGES_PREFIX`; anything else is undefined. */
export function parseChangeKey(key: string): ListedChange | undefined {
  const match = CHANGE_KEY.exec(key);
  if (!match) return undefined;
  return { key, scope: match[1] as "g" | "f", segment: match[2]!, atMs: Number(match[3]), msgSegment: match[4]! };
}

/** The segment of a `outbox/pending/<kind>/<segment>.json` key, or undefined. */
export function pendingSegmentOf(key: string): string | undefined {
  const match = /^outbox\/pending\/(?:notify|archive)\/([^/]+)\.json$/.exec(key);
  return match ? match[1] : undefined;
}

/** Whether a segment is an id itself (true) or its hash (false: the id must be read from an object). */
export const isPlainSegment = (segment: string) => !segment.startsWith("~");
