import { createHash } from "node:crypto";
import { mayRead } from "../auth/ownership";
import { GroupNotFound, InvalidFlowGroupId } from "../errors/group-errors";
import type { Edition } from "../ess/edition";
import type { DescribedFlow, EssPort, ConfiguredIdentity } from "../ess/port";
import type { Logger } from "../log/logger";
import type { GroupSnapshot, StatusEvent } from "../status-store/model";
import type { StatusStore } from "../status-store/port";
import { FLOW_GROUP_ID } from "../text/input-patterns";
import { callerFor } from "./identity";
import { eventView, groupView } from "./views";

/** `FlowGroupId`s ESS issues: 32 letters and digits. Anything else is refused before any I/O. */
export function assertFlowGroupId(value: string | undefined): string {
  if (value === undefined || !FLOW_GROUP_ID.test(value)) {
    throw new InvalidFlowGroupId();
  }
  return value;
}

export interface GroupStatusDeps {
  store: Pick<StatusStore, "getGroup" | "groupOfFlow" | "listGroups" | "listEvents" | "recordEvent">;
  /** Needed for `refresh` only; group-status loads the SDK on first use. */
  ess: () => Promise<EssPort>;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

/** What `GET /flow-groups/{FlowGroupId}` is asked: the id from the path, its query, who asks, and the time it has. */
export interface GroupStatusInput {
  flowGroupId: string | undefined;
  query: Readonly<Record<string, string | undefined>>;
  /** The caller's key digest (`principalOf`); undefined when authentication is off. */
  principal?: string | undefined;
  /** For the ESS call of `?refresh=1`. */
  timeoutMs?: number | undefined;
  /** For the store reads. */
  deadline?: number | undefined;
}

/** `?refresh=1` (or `true`): ask ESS, not only the store. */
export function refreshRequested(query: GroupStatusInput["query"]): boolean {
  return ["1", "true"].includes(query.refresh ?? "");
}

/**
 * `GET /flow-groups/{FlowGroupId}`: the group's status answer (`groupView`), from the store, or with
 * `?refresh=1` after reconciling with ESS (`Reconciled` then says what was recorded).
 */
export async function groupStatus(input: GroupStatusInput, deps: GroupStatusDeps) {
  const flowGroupId = assertFlowGroupId(input.flowGroupId);
  if (!refreshRequested(input.query)) {
    const snapshot = await readGroupStatus(flowGroupId, deps, input.principal, { deadline: input.deadline });
    return { ...groupView(snapshot, flowGroupId), Reconciled: undefined };
  }
  const result = await reconcileGroup(flowGroupId, deps, { principal: input.principal, timeoutMs: input.timeoutMs });
  return {
    ...groupView(result.snapshot, flowGroupId),
    Reconciled: { EventsRecorded: result.recorded, EssRequestId: result.essRequestId },
  };
}

/** `GET /flow-groups/{FlowGroupId}/events`: every stored event of the group, personal data masked (`eventView`). */
export async function groupEvents(input: Omit<GroupStatusInput, "query" | "timeoutMs">, deps: Pick<GroupStatusDeps, "store">) {
  const options = { deadline: input.deadline };
  const { flowGroupId } = await readGroupStatus(assertFlowGroupId(input.flowGroupId), deps, input.principal, options);
  const events = await deps.store.listEvents(flowGroupId, options);
  return { FlowGroupId: flowGroupId, Events: events.map(eventView) };
}

/**
 * The stored status of a group; 404 when the store has never heard of it, and the same 404 when
 * another API key created it (`principal`: the caller's key digest, undefined when auth is off).
 */
export async function readGroupStatus(
  flowGroupId: string,
  deps: { store: Pick<StatusStore, "getGroup" | "groupOfFlow"> },
  principal?: string,
  options: { deadline?: number | undefined } = {},
): Promise<GroupSnapshot> {
  const id = assertFlowGroupId(flowGroupId);
  // A FlowId where a FlowGroupId belongs (both are 32 letters and digits): the group it belongs to.
  // Only a miss pays the extra read.
  let snapshot = await deps.store.getGroup(id, options);
  if (!snapshot) {
    const owning = await deps.store.groupOfFlow(id, options);
    if (owning !== undefined) snapshot = await deps.store.getGroup(owning, options);
  }
  if (!snapshot || !mayRead(snapshot.owner, principal)) throw new GroupNotFound(flowGroupId);
  return snapshot;
}

/**
 * Reconciles a group with ESS: reads its flows (`DescribeFlowInfo` / `DescribeFlowDetailInfo`) as
 * the caller that created it, records each flow's observed state as a `reconcile` event (the same
 * observation twice is one event, by its MsgId), and returns the refreshed status.
 */
export async function reconcileGroup(
  asked: string,
  deps: GroupStatusDeps,
  options: { timeoutMs?: number | undefined; principal?: string | undefined } = {},
): Promise<{ snapshot: GroupSnapshot; essRequestId?: string; recorded: number }> {
  const known = await readGroupStatus(asked, deps, options.principal);
  const flowGroupId = known.flowGroupId;
  const identity = callerFor(known, deps.identity);
  const described = await (await deps.ess()).describeGroup(
    flowGroupId,
    identity,
    options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {},
  );
  const receivedAt = deps.clock().toISOString();
  let recorded = 0;
  // Flows are independent: their observations are stored side by side (one round trip, not one per flow).
  await Promise.all(
    described.flows.map(async (flow) => {
      const event = reconcileEvent(known.edition, flowGroupId, flow, receivedAt);
      let { duplicate } = await deps.store.recordEvent(event);
      // The same answer was recorded before, yet the status now says otherwise (a callback since
      // then claimed more): this answer is recorded anew, at this read's time, so that it wins.
      if (duplicate && disagrees(known, flow)) ({ duplicate } = await deps.store.recordEvent(restated(event, receivedAt)));
      if (!duplicate) recorded++;
    }),
  );
  deps.log.info("group reconciled", { flowGroupId, flows: described.flows.length, recorded, essRequestId: described.requestId });
  const snapshot = (await deps.store.getGroup(flowGroupId)) ?? known;
  return { snapshot, recorded, essRequestId: described.requestId || undefined };
}

/** Whether the snapshot shows `flow` (or one of its approvers) in another state than ESS answered. */
function disagrees(snapshot: GroupSnapshot, flow: DescribedFlow): boolean {
  const shown = snapshot.flows.find((f) => f.flowId === flow.flowId);
  if (shown === undefined) return true;
  if (flow.status !== undefined && shown.status !== flow.status) return true;
  return flow.approvers.some((a) => {
    if (!a.recipientId || !a.status) return false;
    return shown.approvers.find((b) => b.recipientId === a.recipientId)?.status !== a.status;
  });
}

/** The same observation as a new event of this read. */
function restated(event: StatusEvent, receivedAt: string): StatusEvent {
  return { ...event, msgId: `${event.msgId}-${createHash("sha256").update(receivedAt).digest("hex").slice(0, 12)}` };
}

/** One observation of a flow, with a MsgId derived from what was observed. */
export function reconcileEvent(edition: Edition, flowGroupId: string, flow: DescribedFlow, receivedAt: string): StatusEvent {
  const observed = JSON.stringify([
    flowGroupId,
    flow.flowId,
    flow.status ?? null,
    flow.approvers.map((a) => [a.recipientId, a.signId, a.status, a.approveTime]),
  ]);
  return {
    msgId: `reconcile-${createHash("sha256").update(observed).digest("hex").slice(0, 40)}`,
    msgType: "Reconcile",
    edition,
    source: "reconcile",
    receivedAt,
    flowGroupId,
    flowId: flow.flowId,
    // Empty answers are left out ("" is ESS's "not set"): undefined fields are not stored.
    flowStatus: flow.status || undefined,
    approvers: flow.approvers.map((a) => ({
      recipientId: a.recipientId || undefined,
      signId: a.signId || undefined,
      approverType: a.approverType || undefined,
      status: a.status || undefined,
      approveTime: a.approveTime || undefined,
    })),
    raw: { FlowId: flow.flowId, FlowStatus: flow.status ?? null },
  };
}
