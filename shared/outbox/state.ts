import { parseJsonText } from "../json/json-text";
import type { ObjectStore } from "../object-store/port";
import { outboxKeys } from "./layout";

/**
 * What the outbox function knows about one group (`outbox/groups/<group>/state.json`), written only
 * by the run that holds the drain lease. Losing it costs nothing but repeats: notifications already
 * made are found again by their create-exclusive keys, and a delivery repeated carries the same id.
 */
export interface GroupWork {
  flowGroupId: string;
  notify: {
    /** Sequence of the newest notification made (0: none yet). */
    head: number;
    /** Status fingerprint of that notification: a new one is made when the group's differs. */
    fingerprint?: string;
    /** Sequence of the newest notification the receiver acknowledged (2xx). */
    delivered: number;
    /** Failed attempts at delivering `delivered + 1`. */
    attempts: number;
    /** Epoch ms before which this group's next attempt waits (after a failure about this event). */
    nextAttemptAt?: number;
    lastStatus?: number;
    lastError?: string;
  };
  /** Signed PDFs, per FlowId. */
  archive: Record<string, FlowArchive>;
}

export interface FlowArchive {
  state: "waiting" | "done" | "failed";
  /** Epoch ms of the next attempt while waiting. */
  dueAt?: number;
  attempts: number;
  /** When the flow was first seen ALL, epoch ms (attempts stop some time after it). */
  since: number;
  /** Store keys of the archived files (under the prefix), once done. */
  keys?: string[];
  bytes?: number;
  sha256?: string;
  archivedAt?: string;
  lastError?: string;
}

/** The receiver's health across groups (`outbox/receiver.json`). */
export interface ReceiverHealth {
  /** Consecutive failed attempts that blamed the receiver. */
  failures: number;
  /** Epoch ms before which no delivery is tried (the receiver's backoff). */
  openUntil?: number;
  lastError?: string;
}

export function initialWork(flowGroupId: string): GroupWork {
  return { flowGroupId, notify: { head: 0, delivered: 0, attempts: 0 }, archive: {} };
}

/** A stored work record, or a new one when absent or unreadable. */
export function parseWork(text: string | undefined, flowGroupId: string): GroupWork {
  const value = parseJsonText(text) as Partial<GroupWork> | undefined;
  if (value?.flowGroupId !== flowGroupId || typeof value.notify?.head !== "number" || typeof value.notify.delivered !== "number") {
    return initialWork(flowGroupId);
  }
  return { flowGroupId, notify: { ...value.notify, attempts: value.notify.attempts ?? 0 }, archive: value.archive ?? {} };
}

export function parseHealth(text: string | undefined): ReceiverHealth {
  const value = parseJsonText(text) as Partial<ReceiverHealth> | undefined;
  if (typeof value?.failures !== "number") return { failures: 0 };
  return { failures: value.failures, openUntil: value.openUntil, lastError: value.lastError };
}

/**
 * Exponential backoff with ±20 % jitter: `baseMs`, twice that, four times… up to `maxMs`.
 * `attempt` counts from 1.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** What the outbox knows about a group's signed PDFs (per FlowId), for the files route. */
export async function readArchiveState(objects: Pick<ObjectStore, "get">, flowGroupId: string): Promise<Record<string, FlowArchive>> {
  return parseWork(await objects.get(outboxKeys.state(flowGroupId)), flowGroupId).archive;
}
