import { StoreUnavailableError } from "../../shared/errors/store-errors";
import { assertValidKey, assertValidPrefix, compareKeys, pageLimit } from "../../shared/object-store/keys";
import type { ObjectStore } from "../../shared/object-store/port";

/**
 * An in-memory `ObjectStore` for tests of the code above the port. It runs the same contract suite
 * as the folder and COS adapters (test/shared/object-store/memory-object-store.test.ts), and it can
 * hold new keys out of listings the way COS does (`lagListings`), so the status store's own tests
 * can show that nothing depends on a listing being complete.
 */
export interface MemoryObjectStore extends ObjectStore {
  data: Map<string, string>;
  /** The next `n` calls fail with `StoreUnavailableError` (before touching the data). */
  failNext(n: number): void;
  /** Every further call fails until `heal()`. */
  breakBackend(): void;
  heal(): void;
  /**
   * From now on, a key created or deleted stays as it was in listings until `catchUp()`:
   * new keys are missing, deleted keys are still listed. Reads of one key are never affected.
   */
  lagListings(): void;
  /** Listings show everything as it is now; lag continues for later writes if it was on. */
  catchUp(): void;
  /** Every call made, in order, as `op key`. */
  calls: string[];
}

export function memoryObjectStore(): MemoryObjectStore {
  const data = new Map<string, string>();
  /** Each body exactly as written (`data` holds its UTF-8 text, which tests read). */
  const bytes = new Map<string, Uint8Array>();
  const keep = (key: string, body: string | Uint8Array) => {
    bytes.set(key, typeof body === "string" ? new TextEncoder().encode(body) : Uint8Array.from(body));
    data.set(key, text(body));
  };
  /** What listings show while lagging: a copy of the key set, updated only by `catchUp`. */
  let listed: Set<string> | undefined;
  let lagging = false;
  let failures = 0;
  let broken = false;
  const calls: string[] = [];

  const enter = async (op: string, key: string) => {
    calls.push(`${op} ${key}`);
    await Promise.resolve();
    if (broken) throw new StoreUnavailableError(`memory store ${op} failed (broken)`);
    if (failures > 0) {
      failures--;
      throw new StoreUnavailableError(`memory store ${op} failed (injected)`);
    }
  };
  const text = (body: string | Uint8Array) => (typeof body === "string" ? body : Buffer.from(body).toString("utf8"));
  const visibleKeys = (prefix: string) =>
    [...(lagging && listed ? listed : data.keys())].filter((k) => k.startsWith(prefix)).sort(compareKeys);

  return {
    data,
    calls,
    failNext(n: number) {
      failures = n;
    },
    breakBackend() {
      broken = true;
    },
    heal() {
      broken = false;
      failures = 0;
    },
    lagListings() {
      lagging = true;
      listed = new Set(data.keys());
    },
    catchUp() {
      if (lagging) listed = new Set(data.keys());
    },
    async createExclusive(key, body) {
      assertValidKey(key);
      await enter("createExclusive", key);
      if (data.has(key)) return false;
      keep(key, body);
      return true;
    },
    async put(key, body) {
      assertValidKey(key);
      await enter("put", key);
      keep(key, body);
    },
    async get(key) {
      assertValidKey(key);
      await enter("get", key);
      return data.get(key);
    },
    async getBytes(key) {
      assertValidKey(key);
      await enter("get", key);
      // A key a test wrote into `data` directly reads as its text's bytes.
      const body = data.get(key);
      const raw = bytes.get(key);
      if (body === undefined) return undefined;
      return raw !== undefined && text(raw) === body ? Uint8Array.from(raw) : new TextEncoder().encode(body);
    },
    async list(prefix) {
      assertValidPrefix(prefix);
      await enter("list", prefix);
      return visibleKeys(prefix);
    },
    async listPage(prefix, options = {}) {
      assertValidPrefix(prefix);
      await enter("list", prefix);
      const limit = pageLimit(options.limit);
      const after = options.startAfter;
      const keys = visibleKeys(prefix).filter((k) => after === undefined || compareKeys(k, after) > 0);
      return { keys: keys.slice(0, limit), truncated: keys.length > limit };
    },
    async delete(key) {
      assertValidKey(key);
      await enter("delete", key);
      data.delete(key);
      bytes.delete(key);
    },
    async check() {
      await enter("check", "");
    },
  };
}
