import { randomBytes } from "node:crypto";
import type { Edition } from "../ess/edition";
import type { Logger } from "../log/logger";
import type { StatusEvent } from "../status-store/model";
import type { StatusStore } from "../status-store/port";

/**
 * Something this service asked ESS to do for a group (cancel, remind), kept among the group's events
 * for the record (`GET /flow-groups/{id}/events`). It changes no status: the statuses change when
 * ESS's callbacks say so. The store may fail after ESS acted; the action is not undone then, and
 * the caller is told (`Warnings`).
 */
export async function recordAction(
  deps: { store: Pick<StatusStore, "recordEvent">; clock: () => Date; log: Logger },
  action: { msgType: string; edition: Edition; flowGroupId: string; data: Record<string, unknown> },
  options: { deadline?: number } = {},
): Promise<string[]> {
  const event: StatusEvent = {
    msgId: `action-${randomBytes(16).toString("hex")}`,
    msgType: action.msgType,
    edition: action.edition,
    source: "action",
    receivedAt: deps.clock().toISOString(),
    flowGroupId: action.flowGroupId,
    raw: action.data,
  };
  try {
    await deps.store.recordEvent(event, options);
    return [];
  } catch (error) {
    deps.log.error("group action done in ESS but not recorded", { flowGroupId: action.flowGroupId, msgType: action.msgType, error });
    return [`ESS did it, but the record of it (${action.msgType}) could not be stored; the group's status follows ESS's callbacks`];
  }
}
