import { createHash, randomBytes } from "node:crypto";
import { canonicalJson } from "../json/json-text";
import type { GroupSnapshot } from "../status-store/model";
import type { NotifyEvent } from "./receiver";

/** The one event type: a group, one of its flows or one of its approvers changed status. */
export const NOTIFY_EVENT_TYPE = "flow_group.updated";

/**
 * What counts as a change worth an event: the group's status (and ESS's own group status), each
 * flow's status and each approver's status, flows and approvers named by id. Event counts and
 * times alone (a redelivered message, a message of another type) change nothing a receiver acts on.
 */
export function statusFingerprint(snapshot: GroupSnapshot): string {
  const statuses = {
    status: snapshot.status,
    ess: snapshot.essGroupStatus ?? null,
    flows: snapshot.flows.map((flow) => [flow.flowId, flow.status, flow.approvers.map((a) => [a.recipientId, a.status])]),
  };
  return createHash("sha256").update(canonicalJson(statuses)).digest("hex").slice(0, 32);
}

/** A new event id: `evt_` and 24 random hex digits. */
export function newEventId(): string {
  return `evt_${randomBytes(12).toString("hex")}`;
}

/** The exact body of one notification (what is signed and sent, and sent again unchanged on a retry). */
export function notificationBody(id: string, sequence: number, created: Date, data: Record<string, unknown>): string {
  const event: NotifyEvent = { id, type: NOTIFY_EVENT_TYPE, created: Math.floor(created.getTime() / 1000), sequence, data };
  return JSON.stringify(event);
}
