import type { ApproverRecord, FlowRecord, FlowState, EmulatedGroup, GroupState, Owner } from "./model";
import { FINAL_FLOW_STATES } from "./model";
import type { World } from "./world";

/**
 * State changes of groups, flows and approvers. Each change records an event holding a copy of the
 * flow as it is right after the change, so the callbacks built from it later tell the story in
 * the order it happened. Nothing here knows the wire format of either edition.
 */

/** ESS `Operate` values. */
export type Operate = "start" | "sign" | "finish" | "reject" | "cancel" | "deadline" | "fill";

/** A flow changed (one `FlowStatusChange`). */
export interface FlowEvent {
  kind: "flow";
  flow: FlowRecord;
  groupName: string;
  owner: Owner;
  operate: Operate;
  /** The approver that acted, when one did. */
  recipientId?: string;
  /** Unix seconds. */
  occurTime: number;
}

/** The group status changed (one `FlowGroupStatusChange`). */
export interface GroupEvent {
  kind: "group";
  groupId: string;
  groupName: string;
  owner: Owner;
  state: GroupState;
  occurTime: number;
}

/** A message of its own kind (the batch-cancel result, `CancelFlows`). */
export interface NoticeEvent {
  kind: "notice";
  owner: Owner;
  groupId: string;
  msgType: string;
  data: Record<string, unknown>;
}

/** Any recorded change. */
export type WorldEvent = FlowEvent | GroupEvent | NoticeEvent;

/** A refusal of a simulated person's action (sign a closed flow, fill twice…). */
export class TransitionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TransitionError";
  }
}

/** State, clock (unix seconds) and where changes are recorded. */
export interface TransitionContext {
  world: World;
  /** Unix seconds. */
  now: number;
  events: WorldEvent[];
}

/** Whether a flow has ended. */
export function isFinal(flow: FlowRecord): boolean {
  return FINAL_FLOW_STATES.has(flow.state);
}

function copyFlow(flow: FlowRecord): FlowRecord {
  return { ...flow, fileIds: flow.fileIds.slice(), approvers: flow.approvers.map((a) => ({ ...a })) };
}

function record(ctx: TransitionContext, flow: FlowRecord, operate: Operate, recipientId?: string): void {
  const group = ctx.world.groups.get(flow.groupId)!;
  ctx.events.push({
    kind: "flow",
    flow: copyFlow(flow),
    groupName: group.name,
    owner: group.owner,
    operate,
    ...(recipientId !== undefined ? { recipientId } : {}),
    occurTime: ctx.now,
  });
}

/** A flow's state from its approvers, unless it already ended. */
export function deriveFlowState(flow: FlowRecord): FlowState {
  if (isFinal(flow)) return flow.state;
  if (flow.approvers.every((a) => a.state === "ACCEPT")) return "ALL";
  if (flow.approvers.some((a) => a.state === "ACCEPT")) return "PART";
  if (flow.approvers.some((a) => a.state === "FILLPENDING")) return "FILLING";
  return "INIT";
}

/** Whether an approver signs for the organization that started the group ("waiting for me"). */
export function signsForOwner(approver: ApproverRecord, owner: Owner): boolean {
  if (approver.role !== "organization") return false;
  if (owner.edition === "ess")
    return approver.organizationId !== undefined
      ? approver.organizationId === owner.organizationId
      : approver.organizationName === owner.organizationName;
  return approver.organizationOpenId !== undefined && approver.organizationOpenId === owner.organizationOpenId;
}

/**
 * Group status: ALL when every flow is signed; INVALID when every flow ended otherwise; PART when
 * some flows ended without being signed; else TOSIGN while the starting organization still has
 * to sign somewhere, WAITSIGN when only others do.
 */
export function deriveGroupState(flows: FlowRecord[], owner: Owner): GroupState {
  if (flows.every((f) => f.state === "ALL")) return "ALL";
  const dead = flows.filter((f) => isFinal(f) && f.state !== "ALL").length;
  if (dead === flows.length) return "INVALID";
  if (dead > 0) return "PART";
  const ownerPending = flows.some((f) => !isFinal(f) && f.approvers.some((a) => a.state === "PENDING" && signsForOwner(a, owner)));
  return ownerPending ? "TOSIGN" : "WAITSIGN";
}

/** Announces the group's status when it changed since the last announcement. */
export function settleGroup(ctx: TransitionContext, group: EmulatedGroup): void {
  const state = deriveGroupState(ctx.world.groupFlows(group), group.owner);
  if (state === group.reportedState) return;
  group.reportedState = state;
  ctx.events.push({ kind: "group", groupId: group.groupId, groupName: group.name, owner: group.owner, state, occurTime: ctx.now });
  ctx.world.onChange();
}

/**
 * The keys that identify a person across the flows of a group: the same mobile, the same ess
 * UserId, or the same essbasic OpenId within the same organization.
 */
export function personKeys(a: ApproverRecord): string[] {
  const keys: string[] = [];
  if (a.mobile) keys.push(`mobile:${a.mobile}`);
  if (a.userId) keys.push(`user:${a.userId}`);
  if (a.openId) keys.push(`openid:${a.organizationOpenId ?? ""}:${a.openId}`);
  return keys;
}

/** Whether it is this approver's turn in its flow (ordered flows sign in list order). */
export function turnReached(flow: FlowRecord, approver: ApproverRecord): boolean {
  if (flow.unordered) return true;
  return flow.approvers.every((a) => a.signOrder >= approver.signOrder || a.state === "ACCEPT");
}

/** The open approvals of one person in a group, in flow order. */
export function approvalsOf(
  world: World,
  group: EmulatedGroup,
  keys: readonly string[],
): Array<{ flow: FlowRecord; approver: ApproverRecord }> {
  const wanted = new Set(keys);
  const out: Array<{ flow: FlowRecord; approver: ApproverRecord }> = [];
  for (const flow of world.groupFlows(group)) {
    if (isFinal(flow)) continue;
    for (const approver of flow.approvers)
      if (approver.state === "PENDING" && approver.role !== "autoSign" && personKeys(approver).some((k) => wanted.has(k)))
        out.push({ flow, approver });
  }
  return out;
}

function signOne(ctx: TransitionContext, flow: FlowRecord, approver: ApproverRecord): void {
  approver.state = "ACCEPT";
  approver.approveTime = ctx.now;
  flow.state = deriveFlowState(flow);
  record(ctx, flow, flow.state === "ALL" ? "finish" : "sign", approver.recipientId);
}

function assertTurns(approvals: Array<{ flow: FlowRecord; approver: ApproverRecord }>): void {
  const blocked = approvals.find(({ flow, approver }) => !turnReached(flow, approver));
  if (blocked)
    throw new TransitionError(
      409,
      "OperationDenied.FlowStatusForbid",
      `Flow ${blocked.flow.flowId} is signed in order and it is not yet the turn of approver ${blocked.approver.recipientId}.`,
    );
}

/** One person signs: every open approval of theirs in the group, all or nothing. */
export function signApprovals(
  ctx: TransitionContext,
  group: EmulatedGroup,
  approvals: Array<{ flow: FlowRecord; approver: ApproverRecord }>,
): void {
  if (approvals.length === 0)
    throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "Nothing to sign: no open approval matches.");
  assertTurns(approvals);
  for (const { flow, approver } of approvals) signOne(ctx, flow, approver);
  settleGroup(ctx, group);
}

/** Everyone signs, in turn, until no open approval is left (dynamic approvers must be filled first). */
export function signWholeGroup(ctx: TransitionContext, group: EmulatedGroup): void {
  let progressed = true;
  let any = false;
  while (progressed) {
    progressed = false;
    for (const flow of ctx.world.groupFlows(group)) {
      if (isFinal(flow)) continue;
      for (const approver of flow.approvers) {
        if (approver.state !== "PENDING" || !turnReached(flow, approver)) continue;
        signOne(ctx, flow, approver);
        progressed = any = true;
      }
    }
  }
  if (!any) throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "Nothing to sign in this group.");
  settleGroup(ctx, group);
}

function endFlow(
  ctx: TransitionContext,
  flow: FlowRecord,
  state: "REJECT" | "CANCEL" | "DEADLINE",
  others: "STOP" | "CANCEL" | "DEADLINE",
  operate: Operate,
  message?: string,
  actor?: string,
): void {
  flow.state = state;
  if (message !== undefined) flow.message = message;
  for (const a of flow.approvers) if (a.state === "PENDING" || a.state === "FILLPENDING") a.state = others;
  record(ctx, flow, operate, actor);
}

/** One person rejects: every open approval of theirs in the group ends its flow as REJECT. */
export function rejectApprovals(
  ctx: TransitionContext,
  group: EmulatedGroup,
  approvals: Array<{ flow: FlowRecord; approver: ApproverRecord }>,
  message: string,
): void {
  if (approvals.length === 0)
    throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "Nothing to reject: no open approval matches.");
  assertTurns(approvals);
  for (const { flow, approver } of approvals) {
    approver.state = "REJECT";
    approver.approveTime = ctx.now;
    approver.message = message;
    endFlow(ctx, flow, "REJECT", "STOP", "reject", message, approver.recipientId);
  }
  settleGroup(ctx, group);
}

/** Every open flow of the group is rejected by its first approver whose turn it is. */
export function rejectWholeGroup(ctx: TransitionContext, group: EmulatedGroup, message: string): void {
  const approvals = ctx.world
    .groupFlows(group)
    .filter((f) => !isFinal(f))
    .map((flow) => ({ flow, approver: flow.approvers.find((a) => a.state === "PENDING" && turnReached(flow, a)) }))
    .filter((x): x is { flow: FlowRecord; approver: ApproverRecord } => x.approver !== undefined);
  rejectApprovals(ctx, group, approvals, message);
}

/**
 * The starter cancels flows. A flow's contract goes back to the quota when nobody but auto-signers
 * has signed it (ESS: "只有撤销没有参与方签署过或只有自动签署签署过的合同，才会返还合同额度").
 */
export function cancelFlows(ctx: TransitionContext, group: EmulatedGroup, flows: FlowRecord[], message: string): void {
  const open = flows.filter((f) => !isFinal(f));
  if (open.length === 0)
    throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "The flow has already ended and cannot be cancelled.");
  for (const flow of open) {
    const signedByHand = flow.approvers.some((a) => a.state === "ACCEPT" && a.role !== "autoSign");
    endFlow(ctx, flow, "CANCEL", "CANCEL", "cancel", message);
    if (!signedByHand && !flow.quotaReturned) {
      flow.quotaReturned = true;
      ctx.world.chargeQuota(group.owner.key, -1);
    }
  }
  settleGroup(ctx, group);
}

/** The deadline passes for these flows. */
export function expireFlows(ctx: TransitionContext, group: EmulatedGroup, flows: FlowRecord[]): void {
  const open = flows.filter((f) => !isFinal(f));
  if (open.length === 0) throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "The flow has already ended.");
  for (const flow of open) endFlow(ctx, flow, "DEADLINE", "DEADLINE", "deadline");
  settleGroup(ctx, group);
}

/** Flows whose `Deadline` is behind the clock expire on their own. */
export function expireOverdue(ctx: TransitionContext): void {
  const touched = new Set<EmulatedGroup>();
  for (const flow of ctx.world.flows.values()) {
    if (isFinal(flow) || flow.deadline > ctx.now) continue;
    endFlow(ctx, flow, "DEADLINE", "DEADLINE", "deadline");
    touched.add(ctx.world.groups.get(flow.groupId)!);
  }
  ctx.world.refreshEarliestDeadline((f) => !isFinal(f));
  for (const group of touched) settleGroup(ctx, group);
}

/** Identity given to a dynamic approver. */
export type FillIdentity = Partial<
  Pick<ApproverRecord, "name" | "mobile" | "organizationName" | "userId" | "organizationId" | "openId" | "organizationOpenId" | "sealId">
>;

/**
 * Dynamic approvers get their identity and may then sign; auto-signers sign at once with their
 * seal (which the caller has checked belongs to the filled organization).
 */
export function fillApprovers(
  ctx: TransitionContext,
  group: EmulatedGroup,
  targets: Array<{ flow: FlowRecord; approver: ApproverRecord; identity: FillIdentity }>,
): void {
  if (targets.length === 0) throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "No approver waiting to be filled matches.");
  for (const { flow, approver } of targets) {
    if (approver.state !== "FILLPENDING" || isFinal(flow))
      throw new TransitionError(409, "OperationDenied.FlowStatusForbid", `Approver ${approver.recipientId} is not waiting to be filled.`);
  }
  for (const { flow, approver, identity } of targets) {
    Object.assign(approver, identity);
    approver.state = "PENDING";
    flow.state = deriveFlowState(flow);
    record(ctx, flow, "fill", approver.recipientId);
    if (approver.role === "autoSign") signOne(ctx, flow, approver);
  }
  settleGroup(ctx, group);
}

/** A new group starts: one `start` per flow, then the auto-signers sign. */
export function startGroup(ctx: TransitionContext, group: EmulatedGroup): void {
  const flows = ctx.world.groupFlows(group);
  for (const flow of flows) {
    flow.state = deriveFlowState(flow);
    record(ctx, flow, "start");
  }
  for (const flow of flows)
    for (const approver of flow.approvers) if (approver.role === "autoSign" && approver.state === "PENDING") signOne(ctx, flow, approver);
  settleGroup(ctx, group);
}
