/**
 * The storage port: a small object-store contract that a local folder, COS and the test fake all
 * honour without locks. The status store and idempotency claims are written once on top of it.
 *
 * What each operation promises, and what it does NOT (COS as documented, docs/architecture.md):
 * - single-key operations (`createExclusive`, `put`, `get`, `delete`) are read-after-write: once
 *   one has answered, every later `get` of that key sees its effect;
 * - `list`/`listPage` are eventually consistent: a key written a moment ago may be missing, and a
 *   key deleted a moment ago may still be listed. Nothing may depend on a listing being complete;
 *   it is only ever a way to find keys sooner.
 */
export interface ObjectStore {
  /**
   * Writes `key` only if it does not exist yet. Returns true when this call created it, false when
   * it already existed (its content is left untouched). The basis of exactly-once storage. An
   * adapter that cannot tell (an attempt whose answer was lost) finds out whether the stored object
   * is its own write before answering, never by comparing bodies.
   */
  createExclusive(key: string, body: string | Uint8Array, options?: WriteOptions): Promise<boolean>;
  /**
   * Replaces `key` atomically: a reader sees the old or the new body, never a mix. `rebuildable`
   * marks derived content (snapshots) that can be rebuilt from other objects, so an adapter may
   * skip flushing it to disk.
   */
  put(key: string, body: string | Uint8Array, options?: PutOptions): Promise<void>;
  /** The body of `key` as UTF-8 text, or undefined when there is none. */
  get(key: string, options?: CallOptions): Promise<string | undefined>;
  /** The body of `key` exactly as stored (a signed PDF), or undefined when there is none. */
  getBytes(key: string, options?: CallOptions): Promise<Uint8Array | undefined>;
  /** Every key under `prefix` the listing shows now, in `compareKeys` order; the adapter follows pagination. */
  list(prefix: string, options?: CallOptions): Promise<string[]>;
  /**
   * One page of the keys under `prefix` that sort after `startAfter` (exclusive), at most `limit`
   * (default and maximum 1 000), in `compareKeys` order. `truncated` says whether more may follow;
   * the next page starts after the last key returned. For cursors (newest-first listings).
   */
  listPage(prefix: string, options?: ListPageOptions): Promise<ListPage>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string, options?: CallOptions): Promise<void>;
  /**
   * Resolves when the storage is safe to write to, else throws `StoreRefusedError` naming why (COS:
   * a bucket whose versioning was ever enabled ignores create-exclusive writes). Checked once per
   * container and cached; every write also waits for it, so calling it first only moves the
   * refusal earlier (e.g. before ESS is called).
   */
  check(options?: CallOptions): Promise<void>;
  /**
   * True when a listing always shows every key written before it (a local folder: a listing is a
   * `readdir`). Lets the status store fold on read instead of on every write.
   */
  readonly consistentListings?: boolean;
}

export interface CallOptions {
  /**
   * Epoch milliseconds by which the call must have settled (the function's remaining time, less
   * a margin). Retries stop before it, and a request still running at it is aborted, so the caller
   * gets `StoreUnavailableError` in time to answer. Default: the adapter's own bound.
   */
  deadline?: number;
}

export interface WriteOptions extends CallOptions {
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
}

export interface PutOptions extends WriteOptions {
  rebuildable?: boolean;
}

export interface ListPageOptions extends CallOptions {
  startAfter?: string;
  limit?: number;
}

export interface ListPage {
  keys: string[];
  truncated: boolean;
}

/** Most keys one listing page holds (COS's own maximum for GET Bucket). */
export const MAX_LIST_PAGE = 1_000;

/** Where the store lives: a local folder (the embedded default) or a COS bucket. */
export type ObjectStoreSettings =
  | {
      kind: "file";
      dir: string;
      /** Flush each event to disk (file and folder) before it counts as stored: survives power loss. */
      fsync: boolean;
    }
  | {
      kind: "cos";
      bucket: string;
      region: string;
      prefix: string;
      credentials: { secretId: string; secretKey: string; token?: string };
      /** Only for tests and private deployments: a COS-protocol endpoint such as `http://127.0.0.1:9100`. */
      endpoint?: string;
    };
