import { randomUUID } from "node:crypto";
import type { ObjectStore } from "../object-store/port";
import { outboxKeys } from "./layout";

/**
 * One drain at a time, on any object store and without locks or compare-and-swap.
 *
 * Time is cut into windows of `windowMs`; `outbox/lease/<window>.json` is created create-exclusive
 * by the run that works in that window, so one run wins it. A run may only take the window its clock
 * is in, and works in it only until `marginMs` before it ends; to go on it takes the next window
 * while it still holds this one (runs arriving meanwhile find the old key present, and it is
 * deleted only when the run ends). So two runs never work at once as long as clocks agree within
 * `marginMs` (SCF hosts keep NTP time). A run that dies leaves its key: the drain is blocked until
 * the window ends, then the next timer tick takes the next one.
 */
export interface Lease {
  /**
   * Whether the holder may start something that takes up to `ms`: true when it ends before the
   * held window does (less the margin), else after taking the next window; false when that is not
   * possible (another run has it), and the holder must stop.
   */
  ensure(ms: number): Promise<boolean>;
  /** Ends the lease (deletes its keys), so the next run need not wait for the window to end. */
  release(): Promise<void>;
}

export interface LeaseOptions {
  windowMs?: number;
  marginMs?: number;
  now?: () => number;
}

export const DEFAULT_LEASE_WINDOW_MS = 30_000;
export const DEFAULT_LEASE_MARGIN_MS = 2_000;

/** Takes the lease of the current window, or answers undefined when another run holds it. */
export async function acquireLease(objects: ObjectStore, options: LeaseOptions = {}): Promise<Lease | undefined> {
  const windowMs = options.windowMs ?? DEFAULT_LEASE_WINDOW_MS;
  const marginMs = options.marginMs ?? DEFAULT_LEASE_MARGIN_MS;
  const now = options.now ?? Date.now;
  const owner = randomUUID();
  const body = () => JSON.stringify({ owner, at: new Date(now()).toISOString() });

  const first = Math.floor(now() / windowMs);
  if (!(await objects.createExclusive(outboxKeys.lease(first), body()))) return undefined;
  const held = [first];
  const endOf = (window: number) => (window + 1) * windowMs - marginMs;

  // Steps of one run ask in parallel: one extension at a time, the others wait for its outcome.
  let extending: Promise<boolean> | undefined;
  const extend = async (next: number, here: number): Promise<boolean> => {
    if (!(await objects.createExclusive(outboxKeys.lease(next), body()))) return false;
    held.push(next);
    // Windows before the one the clock is in can no longer be taken by anyone.
    for (const window of held.filter((w) => w < here)) {
      await objects.delete(outboxKeys.lease(window)).catch(() => undefined);
      held.splice(held.indexOf(window), 1);
    }
    return true;
  };

  return {
    async ensure(ms) {
      for (;;) {
        const t = now();
        const here = Math.floor(t / windowMs);
        const last = held[held.length - 1];
        // Released, or paused past every window held: another run may be working now.
        if (last === undefined || here > last) return false;
        if (t + ms <= endOf(last)) return true;
        // Only the window after the one the clock is in may be taken (a step never needs more).
        if (here !== last || ms > windowMs - marginMs) return false;
        if (extending === undefined) {
          extending = extend(last + 1, here).finally(() => (extending = undefined));
          if (!(await extending)) return false;
        } else if (!(await extending)) {
          return false;
        }
      }
    },
    async release() {
      await Promise.all(held.map((window) => objects.delete(outboxKeys.lease(window)).catch(() => undefined)));
      held.length = 0;
    },
  };
}
