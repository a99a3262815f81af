import type { Edition } from "../ess/edition";
import {
  type ApproverUpdate,
  type ApproverView,
  type FlowView,
  type GroupRecord,
  type GroupSnapshot,
  type GroupStatus,
  type StatusClaim,
  type StatusClaims,
  type StatusEvent,
  type StatusKey,
} from "./model";
import { FINAL_APPROVER_STATUSES, FINAL_FLOW_STATUSES, type ApproverStatus, type FlowStatus } from "../ess/status-codes";

/**
 * The reducer: pure functions from a group record and a set of events to a snapshot.
 *
 * Every field is a maximum, a sum over distinct MsgIds, or a set union, so folding events in any
 * order and in any split into batches gives the same snapshot as one fold of all of them. That is
 * what lets writers without locks fold only the events a snapshot has not seen yet.
 *
 * Status order among callbacks (per flow, per approver): a final state beats a non-final one;
 * otherwise the later event time wins; ties go to the higher status rank, then to the higher MsgId.
 *
 * What ESS answers when asked (`?refresh=1`, a `reconcile` event) wins over every callback that is
 * not later than that answer, final or not: a callback is a claim, ESS's answer is the state. A
 * callback later than the answer competes with it in the callback order. So each flow and approver
 * keeps three maxima (the latest final callback, the latest non-final callback, the latest answer)
 * and its status is a function of them: still order-independent.
 *
 * Event time is `OccurTime`, but never later than the receive time plus `OCCUR_TIME_SKEW_MS`: a
 * message cannot claim to have happened in the future and so stay ahead of everything after it.
 */

/** Bumped whenever the fold changes meaning; stored snapshots of another version are rebuilt. */
export const REDUCER_VERSION = 3;

/** How far past its receive time an event's `OccurTime` may lie (clocks differ a little). */
export const OCCUR_TIME_SKEW_MS = 60_000;

const FLOW_RANK: Record<FlowStatus, number> = {
  INIT: 0,
  PART: 1,
  ALL: 2,
  REJECT: 3,
  DEADLINE: 4,
  CANCEL: 5,
  INVALID: 6,
  RELIEVED: 7,
};

// Filling comes before signing in an ESS flow, so it ranks lower on a same-second tie.
const APPROVER_RANK: Record<ApproverStatus, number> = {
  FILLPENDING: 0,
  FILLACCEPT: 1,
  PENDING: 2,
  ACCEPT: 3,
  REJECT: 4,
  DEADLINE: 5,
  CANCEL: 6,
  STOP: 7,
  FORWARD: 8,
  RELIEVED: 9,
};

/** Rollup priority of final flow states, highest first (see docs/architecture.md). */
const GROUP_FINAL_PRIORITY: readonly FlowStatus[] = ["REJECT", "CANCEL", "DEADLINE", "INVALID", "RELIEVED"];

/** The largest magnitude a JavaScript Date can hold; beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

const FINAL_FLOWS = new Set<FlowStatus>(FINAL_FLOW_STATUSES);
const FINAL_APPROVERS = new Set<ApproverStatus>(FINAL_APPROVER_STATUSES);

/**
 * Time of an event on one axis: `OccurTime` when ESS sent one, bounded by the receive time plus
 * `OCCUR_TIME_SKEW_MS`; else the receive time (reconciliation reads carry no OccurTime).
 */
export function eventTime(event: Pick<StatusEvent, "occurTime" | "receivedAt">): number {
  const parsed = Date.parse(event.receivedAt);
  const received = Number.isNaN(parsed) ? 0 : parsed;
  if (typeof event.occurTime === "number" && Math.abs(event.occurTime * 1000) <= MAX_DATE_MS) {
    return Math.min(event.occurTime * 1000, received + OCCUR_TIME_SKEW_MS);
  }
  return received;
}

/** Orders events oldest first, MsgId breaking ties, so listings are stable. */
export function compareEvents(a: StatusEvent, b: StatusEvent): number {
  return eventTime(a) - eventTime(b) || compareText(a.msgId, b.msgId);
}

/** The snapshot of a group before any event: INIT flows from the record, or an empty group. */
export function initialSnapshot(record: GroupRecord | undefined, flowGroupId: string, edition: Edition, now: Date): GroupSnapshot {
  const flows: FlowView[] = [];
  if (record) {
    const details = new Map(record.flows.map((flow) => [flow.flowId, flow]));
    const flowIds = [...record.flowIds, ...record.flows.map((flow) => flow.flowId)];
    for (const flowId of new Set(flowIds)) {
      const detail = details.get(flowId);
      flows.push({
        flowId,
        flowName: detail?.flowName,
        unordered: detail?.unordered,
        status: "INIT",
        eventCount: 0,
        inRecord: true,
        approvers: uniqueBy(detail?.approvers ?? [], (a) => a.recipientId).map((approver) => ({
          recipientId: approver.recipientId,
          signId: approver.signId,
          approverRoleName: approver.approverRoleName,
          who: approver.who,
          status: "PENDING" as const,
          eventCount: 0,
          inRecord: true,
        })),
      });
    }
  }
  return {
    edition: record?.edition ?? edition,
    flowGroupId: record?.flowGroupId ?? flowGroupId,
    flowGroupName: record?.flowGroupName,
    createdAt: record?.createdAt,
    caller: record?.caller,
    owner: record?.owner,
    recorded: record !== undefined,
    status: rollupGroupStatus(flows),
    eventCount: 0,
    flows,
    includedMsgIds: [],
    updatedAt: now.toISOString(),
    reducerVersion: REDUCER_VERSION,
  };
}

/**
 * Folds `events` into `snapshot` and returns a new snapshot (the input is not modified). Events
 * already in `includedMsgIds`, and repeats of one MsgId inside `events`, change nothing.
 * `updatedAt` is left as it was: the caller stamps it when it stores the result.
 */
export function applyEvents(snapshot: GroupSnapshot, events: readonly StatusEvent[]): GroupSnapshot {
  const included = new Set(snapshot.includedMsgIds);
  const fresh: StatusEvent[] = [];
  for (const event of events) {
    if (included.has(event.msgId)) continue;
    included.add(event.msgId);
    fresh.push(event);
  }
  if (fresh.length === 0) return snapshot;

  const next: GroupSnapshot = structuredClone(snapshot);
  for (const event of fresh) foldEvent(next, event);
  // Flows and approvers that only events revealed get a fixed place, whatever the arrival order.
  next.flows = recordFirst(next.flows, (f) => f.flowId);
  for (const flow of next.flows) flow.approvers = recordFirst(flow.approvers, (a) => a.recipientId);
  next.includedMsgIds = [...included].sort(compareText);
  next.status = rollupGroupStatus(next.flows);
  return next;
}

/**
 * The group status from its flows: all ALL → ALL; any REJECT, CANCEL, DEADLINE, INVALID or
 * RELIEVED → that status (in this priority); any PART or ALL → PART; else INIT.
 */
export function rollupGroupStatus(flows: ReadonlyArray<Pick<FlowView, "status">>): GroupStatus {
  if (flows.length === 0) return "INIT";
  if (flows.every((flow) => flow.status === "ALL")) return "ALL";
  for (const status of GROUP_FINAL_PRIORITY) {
    if (flows.some((flow) => flow.status === status)) return status;
  }
  if (flows.some((flow) => flow.status === "PART" || flow.status === "ALL")) return "PART";
  return "INIT";
}

/** True when `candidate` replaces `current` in the flow order. */
export function flowStatusWins(
  candidate: { status: FlowStatus; key: StatusKey },
  current: { status: FlowStatus; key?: StatusKey },
): boolean {
  return statusWins(candidate, current, FINAL_FLOWS, (status) => FLOW_RANK[status]);
}

/** True when `candidate` replaces `current` in the approver order. */
export function approverStatusWins(
  candidate: { status: ApproverStatus; key: StatusKey },
  current: { status: ApproverStatus; key?: StatusKey },
): boolean {
  return statusWins(candidate, current, FINAL_APPROVERS, (status) => APPROVER_RANK[status]);
}

// ---------------------------------------------------------------------------------------------

function foldEvent(snapshot: GroupSnapshot, event: StatusEvent): void {
  const at = eventTime(event);
  const key: StatusKey = { at, msgId: event.msgId };
  snapshot.eventCount += 1;
  snapshot.lastEventAt = laterIso(snapshot.lastEventAt, at);
  // Before the create record is known, the edition is a maximum over what events say (ess < essbasic).
  if (!snapshot.recorded && event.edition === "essbasic") snapshot.edition = "essbasic";

  if (
    event.essGroupStatus !== undefined &&
    essGroupStatusWins({ status: event.essGroupStatus, key }, { status: snapshot.essGroupStatus ?? "", key: snapshot.essGroupStatusKey })
  ) {
    snapshot.essGroupStatus = event.essGroupStatus;
    snapshot.essGroupStatusKey = key;
  }
  if (event.flowId === undefined || event.flowId === "") return;

  const flow = findOrAddFlow(snapshot, event.flowId);
  flow.eventCount += 1;
  flow.lastEventAt = laterIso(flow.lastEventAt, at);
  if (event.flowStatus !== undefined) {
    flow.claims = addClaim(flow.claims, { status: event.flowStatus, key }, event.source, FINAL_FLOWS, (status) => FLOW_RANK[status]);
    flow.status = resolveStatus(flow.claims, FINAL_FLOWS, (status) => FLOW_RANK[status]) ?? flow.status;
  }
  foldApprovers(flow, event, key);
}

function foldApprovers(flow: FlowView, event: StatusEvent, key: StatusKey): void {
  const updates = new Map<string, ApproverUpdate[]>();
  for (const update of event.approvers ?? []) {
    // Approvers are matched by RecipientId only: matching by other ids would depend on which
    // message happened to arrive first.
    if (update.recipientId === undefined || update.recipientId === "") continue;
    updates.set(update.recipientId, [...(updates.get(update.recipientId) ?? []), update]);
  }
  if (event.recipientId !== undefined && event.recipientId !== "" && !updates.has(event.recipientId)) {
    updates.set(event.recipientId, []);
  }
  for (const [recipientId, list] of updates) {
    const approver = findOrAddApprover(flow, recipientId);
    approver.eventCount += 1;
    approver.lastEventAt = laterIso(approver.lastEventAt, key.at);
    for (const update of list) {
      approver.signId = minText(approver.signId, update.signId);
      approver.approverType = minText(approver.approverType, update.approverType);
      if (update.status !== undefined) {
        const rank = (status: ApproverStatus) => APPROVER_RANK[status];
        approver.claims = addClaim(approver.claims, { status: update.status, key }, event.source, FINAL_APPROVERS, rank);
        approver.status = resolveStatus(approver.claims, FINAL_APPROVERS, rank) ?? approver.status;
      }
    }
    if (approver.signId === undefined) delete approver.signId;
    if (approver.approverType === undefined) delete approver.approverType;
  }
}

function findOrAddFlow(snapshot: GroupSnapshot, flowId: string): FlowView {
  let flow = snapshot.flows.find((f) => f.flowId === flowId);
  if (!flow) {
    flow = { flowId, status: "INIT", eventCount: 0, inRecord: false, approvers: [] };
    snapshot.flows.push(flow);
  }
  return flow;
}

function findOrAddApprover(flow: FlowView, recipientId: string): ApproverView {
  let approver = flow.approvers.find((a) => a.recipientId === recipientId);
  if (!approver) {
    approver = { recipientId, status: "PENDING", eventCount: 0, inRecord: false };
    flow.approvers.push(approver);
  }
  return approver;
}

/**
 * Keeps the record's entries first, in the record's order (it means something to the user), and
 * sorts the ones only events revealed by id after them (their arrival order means nothing).
 */
function recordFirst<T extends { inRecord?: boolean }>(items: T[], id: (item: T) => string): T[] {
  const head = items.filter((item) => item.inRecord === true);
  const tail = items.filter((item) => item.inRecord !== true).sort((a, b) => compareText(id(a), id(b)));
  return [...head, ...tail];
}

/** `claims` with `claim` kept if it is the latest of its kind (a new object; the input is not changed). */
function addClaim<S extends string>(
  claims: StatusClaims<S> | undefined,
  claim: StatusClaim<S>,
  source: StatusEvent["source"],
  finals: ReadonlySet<S>,
  rank: (status: S) => number,
): StatusClaims<S> {
  const kind: keyof StatusClaims<S> = source === "reconcile" ? "reconciled" : finals.has(claim.status) ? "final" : "open";
  const current = claims?.[kind];
  if (current !== undefined && !later(claim, current, rank)) return claims!;
  return { ...claims, [kind]: claim };
}

/**
 * The status the claims stand for. ESS's latest answer, when there is one, replaces every callback
 * up to its time; the callbacks after it, and the answer itself, are then ordered as callbacks are.
 */
export function resolveStatus<S extends string>(
  claims: StatusClaims<S> | undefined,
  finals: ReadonlySet<S>,
  rank: (status: S) => number,
): S | undefined {
  if (claims === undefined) return undefined;
  const answer = claims.reconciled;
  let best: StatusClaim<S> | undefined = answer;
  for (const claim of [claims.final, claims.open]) {
    if (claim === undefined || (answer !== undefined && claim.key.at <= answer.key.at)) continue;
    if (best === undefined || statusWins(claim, best, finals, rank)) best = claim;
  }
  return best?.status;
}

/** The order inside one kind of claim: later time, then higher rank, then higher MsgId. */
function later<S extends string>(candidate: StatusClaim<S>, current: StatusClaim<S>, rank: (status: S) => number): boolean {
  if (candidate.key.at !== current.key.at) return candidate.key.at > current.key.at;
  const rankDiff = rank(candidate.status) - rank(current.status);
  if (rankDiff !== 0) return rankDiff > 0;
  return compareText(candidate.key.msgId, current.key.msgId) > 0;
}

function statusWins<S extends string>(
  candidate: { status: S; key: StatusKey },
  current: { status: S; key?: StatusKey },
  finals: ReadonlySet<S>,
  rank: (status: S) => number,
): boolean {
  if (current.key === undefined) return true;
  const finalDiff = Number(finals.has(candidate.status)) - Number(finals.has(current.status));
  if (finalDiff !== 0) return finalDiff > 0;
  if (candidate.key.at !== current.key.at) return candidate.key.at > current.key.at;
  const rankDiff = rank(candidate.status) - rank(current.status);
  if (rankDiff !== 0) return rankDiff > 0;
  return compareText(candidate.key.msgId, current.key.msgId) > 0;
}

/**
 * ESS's own group status (`FlowGroupStatus`), ordered like flow statuses: the ends of a group (ALL,
 * INVALID, and PART, "some flows invalid") beat the waiting states; then the later message; then
 * the rank, because ESS stamps whole seconds and a signing sends WAITSIGN and ALL in one second.
 */
const ESS_GROUP_FINALS = new Set(["ALL", "INVALID", "PART"]);
const ESS_GROUP_RANK: Record<string, number> = { UNDEFINED: 0, PROCESSING: 1, TOSIGN: 2, WAITSIGN: 2, PART: 3, INVALID: 4, ALL: 5 };

function essGroupStatusWins(candidate: { status: string; key: StatusKey }, current: { status: string; key?: StatusKey }): boolean {
  return statusWins(candidate, current, ESS_GROUP_FINALS, (status) => ESS_GROUP_RANK[status] ?? 0);
}

function laterIso(current: string | undefined, at: number): string {
  const candidate = new Date(at).toISOString();
  return current === undefined || Date.parse(current) < at ? candidate : current;
}

function minText(current: string | undefined, candidate: string | undefined): string | undefined {
  if (candidate === undefined || candidate === "") return current;
  if (current === undefined) return candidate;
  return compareText(candidate, current) < 0 ? candidate : current;
}

/** Code-unit order, independent of the locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniqueBy<T>(items: readonly T[], id: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(id(item)) ? false : (seen.add(id(item)), true)));
}

// ---------------------------------------------------------------------------------------------
// Merging folds of disjoint event sets. The status store keeps one fold per flow, written by that
// flow's callbacks, so concurrent callbacks of different flows never overwrite each other; a read
// merges the folds and the record's initial snapshot. Every field above is a maximum, a sum over
// distinct MsgIds or a union, so the merge equals one fold of all the events into the record's
// initial snapshot (test/shared/status-store/merge.test.ts checks it for any split).

/**
 * One snapshot from `parts` folded over disjoint sets of events; at most one part is `recorded`
 * (the record's initial snapshot, whose flows and approvers keep their record order). The inputs
 * are not modified; `updatedAt` is `now`.
 */
export function mergeSnapshots(flowGroupId: string, parts: readonly GroupSnapshot[], now: Date): GroupSnapshot {
  const base = parts.find((part) => part.recorded);
  const merged: GroupSnapshot = structuredClone(base ?? initialSnapshot(undefined, flowGroupId, "ess", now));
  const included = new Set(merged.includedMsgIds);
  for (const part of parts) {
    if (part === base) continue;
    merged.eventCount += part.eventCount;
    if (part.lastEventAt !== undefined) merged.lastEventAt = laterIso(merged.lastEventAt, Date.parse(part.lastEventAt));
    if (!merged.recorded && part.edition === "essbasic") merged.edition = "essbasic";
    if (part.essGroupStatus !== undefined && part.essGroupStatusKey !== undefined) {
      const candidate = { status: part.essGroupStatus, key: part.essGroupStatusKey };
      if (essGroupStatusWins(candidate, { status: merged.essGroupStatus ?? "", key: merged.essGroupStatusKey })) {
        merged.essGroupStatus = part.essGroupStatus;
        merged.essGroupStatusKey = part.essGroupStatusKey;
      }
    }
    for (const msgId of part.includedMsgIds) included.add(msgId);
    for (const flow of part.flows) mergeFlow(merged, flow);
  }
  merged.flows = recordFirst(merged.flows, (f) => f.flowId);
  for (const flow of merged.flows) flow.approvers = recordFirst(flow.approvers, (a) => a.recipientId);
  merged.includedMsgIds = [...included].sort(compareText);
  merged.status = rollupGroupStatus(merged.flows);
  merged.updatedAt = now.toISOString();
  merged.reducerVersion = REDUCER_VERSION;
  return merged;
}

function mergeFlow(snapshot: GroupSnapshot, flow: FlowView): void {
  const target = snapshot.flows.find((f) => f.flowId === flow.flowId);
  if (target === undefined) {
    snapshot.flows.push(structuredClone(flow));
    return;
  }
  target.eventCount += flow.eventCount;
  if (flow.lastEventAt !== undefined) target.lastEventAt = laterIso(target.lastEventAt, Date.parse(flow.lastEventAt));
  if (target.flowName === undefined && flow.flowName !== undefined) target.flowName = flow.flowName;
  if (flow.inRecord === true) target.inRecord = true;
  if (flow.claims !== undefined) {
    const rank = (status: FlowStatus) => FLOW_RANK[status];
    target.claims = mergeClaims(target.claims, flow.claims, rank);
    target.status = resolveStatus(target.claims, FINAL_FLOWS, rank) ?? target.status;
  }
  for (const approver of flow.approvers) mergeApprover(target, approver);
}

function mergeApprover(flow: FlowView, approver: ApproverView): void {
  const target = flow.approvers.find((a) => a.recipientId === approver.recipientId);
  if (target === undefined) {
    flow.approvers.push(structuredClone(approver));
    return;
  }
  target.eventCount += approver.eventCount;
  if (approver.lastEventAt !== undefined) target.lastEventAt = laterIso(target.lastEventAt, Date.parse(approver.lastEventAt));
  const signId = minText(target.signId, approver.signId);
  if (signId !== undefined) target.signId = signId;
  const approverType = minText(target.approverType, approver.approverType);
  if (approverType !== undefined) target.approverType = approverType;
  if (target.approverRoleName === undefined && approver.approverRoleName !== undefined) target.approverRoleName = approver.approverRoleName;
  if (approver.inRecord === true) target.inRecord = true;
  if (approver.claims !== undefined) {
    const rank = (status: ApproverStatus) => APPROVER_RANK[status];
    target.claims = mergeClaims(target.claims, approver.claims, rank);
    target.status = resolveStatus(target.claims, FINAL_APPROVERS, rank) ?? target.status;
  }
}

/** The latest claim of each kind from two sets of claims. */
function mergeClaims<S extends string>(a: StatusClaims<S> | undefined, b: StatusClaims<S>, rank: (status: S) => number): StatusClaims<S> {
  const merged: StatusClaims<S> = { ...a };
  for (const kind of ["final", "open", "reconciled"] as const) {
    const candidate = b[kind];
    const current = merged[kind];
    if (candidate !== undefined && (current === undefined || later(candidate, current, rank))) merged[kind] = candidate;
  }
  return merged;
}
