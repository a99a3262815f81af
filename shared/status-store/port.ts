import type { CallOptions } from "../object-store/port";
import type { GroupRecord, GroupSnapshot, StatusEvent } from "./model";

export { StoreUnavailableError } from "../errors/store-errors";
export type { CallOptions, ObjectStore } from "../object-store/port";

/**
 * What the functions use: signing status of groups, built on an `ObjectStore` (see
 * docs/architecture.md, "Status store"). Every method takes the caller's `deadline`; a store that
 * cannot finish in time throws `StoreUnavailableError`, and one that must not be used (a versioned
 * COS bucket) throws `StoreRefusedError` before writing anything.
 */
export interface StatusStore {
  /** Records a group ESS has just created; joins callbacks that arrived before it. Idempotent. */
  recordGroup(record: GroupRecord, options?: CallOptions): Promise<GroupSnapshot>;
  /**
   * Stores an event exactly once (keyed by `msgId`) and folds it into its flow's part of the group.
   * `duplicate` is true when this `msgId` was already stored under its group (an event still
   * waiting for its group to be recorded reports false). Throws `StoreUnavailableError` when the
   * storage fails, so the caller can answer 5xx and ESS retries.
   */
  recordEvent(event: StatusEvent, options?: CallOptions): Promise<{ duplicate: boolean; flowGroupId?: string }>;
  /** The group's status (repaired against its event listing), or undefined when unknown. */
  getGroup(flowGroupId: string, options?: CallOptions): Promise<GroupSnapshot | undefined>;
  /**
   * One page of groups, newest first: every group (`owner` undefined), or those one API key created
   * (`owner`: its owner id). Each with its entry's name in the index, so a caller can continue after
   * it (`after`). From a listing: a group created a moment ago may be missing until COS lists it.
   */
  listGroups(options: ListGroupsOptions): Promise<{ entries: Array<{ name: string; flowGroupId: string }>; truncated: boolean }>;
  /** The group a flow belongs to, from the flow → group index create-group writes; undefined when unknown. One read. */
  groupOfFlow(flowId: string, options?: CallOptions): Promise<string | undefined>;
  /** The group's stored events that listings show, oldest first. Contain personal data: mask before showing. */
  listEvents(flowGroupId: string, options?: CallOptions): Promise<StatusEvent[]>;
  /** Throws `StoreRefusedError` when the storage must not be written (checked once per container). */
  check(options?: CallOptions): Promise<void>;
}

export interface ListGroupsOptions extends CallOptions {
  owner?: string;
  /** An entry name an earlier page returned: the page starts after it. */
  after?: string;
  /** At most this many entries (at most 1 000). */
  limit: number;
}
