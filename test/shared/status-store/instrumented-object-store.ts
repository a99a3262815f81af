import { StoreUnavailableError } from "../../../shared/errors/store-errors";
import type { ObjectStore } from "../../../shared/object-store/port";

export type Operation = keyof ObjectStore;

export interface CallMatch {
  ops: readonly Operation[];
  /** Matched against the key (or the prefix for `list`). */
  key: (key: string) => boolean;
}

export interface Gate {
  /** Resolves when a matching call is about to run (and is held). */
  reached: Promise<void>;
  /** Lets the held call run. */
  release(): void;
}

/**
 * A real `ObjectStore` with two test controls around it: fail matching calls (as a broken disk or
 * network would, before they reach storage) and hold a matching call until released, to force one
 * exact interleaving of two writers. Everything else passes straight to the real adapter.
 */
export interface InstrumentedObjectStore extends ObjectStore {
  failCalls(match: CallMatch, count?: number): void;
  pauseBefore(match: CallMatch): Gate;
  clear(): void;
  /** Every call made, in order, as `op key`. */
  calls: string[];
}

export function instrument(inner: ObjectStore): InstrumentedObjectStore {
  const failures: Array<{ match: CallMatch; left: number }> = [];
  const gates: Array<{ match: CallMatch; hold: Promise<void>; arrived: () => void; release: () => void; used: boolean }> = [];
  const calls: string[] = [];
  const matches = (match: CallMatch, op: Operation, key: string) => match.ops.includes(op) && match.key(key);

  const around = async <T>(op: Operation, key: string, run: () => Promise<T>): Promise<T> => {
    calls.push(`${op} ${key}`);
    const gate = gates.find((g) => !g.used && matches(g.match, op, key));
    if (gate) {
      gate.used = true;
      gate.arrived();
      await gate.hold;
    }
    const failure = failures.find((f) => f.left > 0 && matches(f.match, op, key));
    if (failure) {
      failure.left -= 1;
      throw new StoreUnavailableError(`injected failure: ${op}`);
    }
    return run();
  };

  return {
    createExclusive: (key, body) => around("createExclusive", key, () => inner.createExclusive(key, body)),
    put: (key, body, options) => around("put", key, () => inner.put(key, body, options)),
    get: (key) => around("get", key, () => inner.get(key)),
    getBytes: (key) => around("getBytes", key, () => inner.getBytes(key)),
    list: (prefix) => around("list", prefix, () => inner.list(prefix)),
    listPage: (prefix, options) => around("listPage", prefix, () => inner.listPage(prefix, options)),
    check: () => inner.check(),
    ...(inner.consistentListings !== undefined ? { consistentListings: inner.consistentListings } : {}),
    delete: (key) => around("delete", key, () => inner.delete(key)),
    failCalls(match, count = Number.POSITIVE_INFINITY) {
      failures.push({ match, left: count });
    },
    pauseBefore(match) {
      let release!: () => void;
      let arrived!: () => void;
      const hold = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      gates.push({ match, hold, arrived, release, used: false });
      return { reached, release };
    },
    clear() {
      failures.length = 0;
      for (const gate of gates) {
        gate.arrived();
        gate.release();
      }
      gates.length = 0;
    },
    calls,
  };
}
