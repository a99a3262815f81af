import type { GroupRecord, GroupSnapshot, StatusEvent } from "../../../shared/status-store/model";
import type { StatusStore } from "../../../shared/status-store/port";

/**
 * In-memory StatusStore for unit tests: stores each MsgId once, counts calls, and can be told to
 * fail the next `recordEvent` calls.
 */
export class FakeStatusStore implements StatusStore {
  readonly events = new Map<string, StatusEvent>();
  recordEventCalls = 0;
  /** Errors thrown by the next `recordEvent` calls, first one first. */
  failures: unknown[] = [];

  async recordEvent(event: StatusEvent): Promise<{ duplicate: boolean; flowGroupId?: string }> {
    this.recordEventCalls += 1;
    if (this.failures.length > 0) throw this.failures.shift();
    const duplicate = this.events.has(event.msgId);
    if (!duplicate) this.events.set(event.msgId, structuredClone(event));
    const flowGroupId = this.events.get(event.msgId)!.flowGroupId;
    return { duplicate, ...(flowGroupId !== undefined ? { flowGroupId } : {}) };
  }

  async recordGroup(_record: GroupRecord): Promise<GroupSnapshot> {
    throw new Error("not used by the callback receiver");
  }

  async getGroup(_flowGroupId: string): Promise<GroupSnapshot | undefined> {
    return undefined;
  }

  async listGroups(): Promise<{ entries: Array<{ name: string; flowGroupId: string }>; truncated: boolean }> {
    return { entries: [], truncated: false };
  }

  async groupOfFlow(_flowId: string): Promise<string | undefined> {
    return undefined;
  }

  async listEvents(flowGroupId: string): Promise<StatusEvent[]> {
    return [...this.events.values()].filter((event) => event.flowGroupId === flowGroupId);
  }

  async check(): Promise<void> {}
}
