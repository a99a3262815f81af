import type { GroupRecord, GroupSnapshot, StatusEvent } from "./model";

/**
 * The storage port: a small object-store contract that both a local folder and COS can honour
 * without locks. Everything above it (event dedupe, snapshots) is written once, in `status-store.ts`.
 */
export interface ObjectStore {
  /**
   * Writes `key` only if it does not exist yet. Returns true when this call created it, false when
   * it already existed (its content is left untouched). The basis of exactly-once storage.
   */
  createExclusive(key: string, body: string): Promise<boolean>;
  /**
   * Replaces `key` atomically: a reader sees the old or the new body, never a mix. `rebuildable`
   * marks derived content (snapshots) that can be rebuilt from other objects, so an adapter may
   * skip flushing it to disk.
   */
  put(key: string, body: string, options?: { rebuildable?: boolean }): Promise<void>;
  /** The body of `key`, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Every key under `prefix`, in lexical order; the adapter follows pagination. */
  list(prefix: string): Promise<string[]>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Thrown by adapters when the backing storage fails; the callback answers 5xx so ESS retries. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}


/** What the functions use: signing status of groups, built on an `ObjectStore` (see docs/architecture.md). */
export interface StatusStore {
  /** Records a group ESS has just created; joins callbacks that arrived before it. Idempotent. */
  recordGroup(record: GroupRecord): Promise<GroupSnapshot>;
  /**
   * Stores an event exactly once (keyed by `msgId`) and folds it into its group's snapshot.
   * `duplicate` is true when this `msgId` was already stored. Throws `StoreUnavailableError` when
   * the storage fails, so the caller can answer 5xx and ESS retries.
   */
  recordEvent(event: StatusEvent): Promise<{ duplicate: boolean; flowGroupId?: string }>;
  /** The group's snapshot (repaired against its event listing), or undefined when unknown. */
  getGroup(flowGroupId: string): Promise<GroupSnapshot | undefined>;
  /** The group's stored events, oldest first. Contain personal data: mask before showing. */
  listEvents(flowGroupId: string): Promise<StatusEvent[]>;
}
