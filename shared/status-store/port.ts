import type { GroupRecord, GroupSnapshot, StatusEvent } from "./model";

export { StoreUnavailableError } from "../errors/store-errors";
export type { ObjectStore } from "../object-store/port";

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
