import type { Directory } from "../core/fixture";
import type { ApproverRecord, FlowRecord, EmulatedGroup } from "../core/model";
import {
  approvalsOf,
  cancelFlows,
  expireFlows,
  fillApprovers,
  isFinal,
  personKeys,
  rejectApprovals,
  rejectWholeGroup,
  signApprovals,
  signWholeGroup,
  TransitionError,
  type FillIdentity,
  type TransitionContext,
} from "../core/transitions";
import type { World } from "../core/world";
import { MOBILE_PATTERN } from "../protocol/read";

/**
 * What simulated people and the passing of time do to groups: sign, reject, cancel, expire, fill.
 * Used by the admin API, the sign page and the in-process helpers alike.
 *
 * Who is meant (a selector):
 * - `recipientId`: that approver, i.e. that person across the whole group;
 * - `mobile` / `userId` / `openId` (+ `organizationOpenId`, default the starting organization) with
 *   `flowGroupId` or `flowId`: the person with that identity across the group;
 * - only `flowGroupId` or `flowId`: everybody (sign/reject) or every flow (cancel/expire) of the
 *   group, or just that flow for cancel/expire.
 */
export interface Selector {
  recipientId?: string;
  flowGroupId?: string;
  flowId?: string;
  mobile?: string;
  userId?: string;
  openId?: string;
  organizationOpenId?: string;
  /** Only these flows (a sign link's scope). */
  flowIds?: string[];
}

/** Identity given to dynamic (FillType 1) approvers. */
export interface FillInput {
  name?: string;
  mobile?: string;
  organizationName?: string;
  /** ess: an employee of a fixture organization (fills name, mobile and organization). */
  userId?: string;
  /** essbasic: an employee OpenId, and its organization (default: the starting one). */
  openId?: string;
  organizationOpenId?: string;
  /** Only fill dynamic approvers with this `ApproverRoleName` (when selecting by group or flow). */
  approverRoleName?: string;
}

/** What a simulated action changed. */
export interface OperationResult {
  flowGroupId: string;
  /** Group status after the operation (TOSIGN, WAITSIGN, PART, ALL, INVALID). */
  groupStatus: string;
  /** Flows whose state changed, with their new state. */
  flows: Array<{ flowId: string; status: string }>;
}

const bad = (message: string): TransitionError => new TransitionError(400, "InvalidParameter", message);
const notFound = (message: string): TransitionError => new TransitionError(404, "ResourceNotFound", message);

/** The group a selector points into; 404 when nothing matches. */
export function resolveGroup(world: World, s: Selector): EmulatedGroup {
  let groupId: string | undefined;
  if (s.recipientId) {
    const found = world.findApprover(s.recipientId);
    if (!found) throw notFound(`no approver with RecipientId ${s.recipientId}`);
    groupId = found.flow.groupId;
  } else if (s.flowId) {
    const flow = world.flows.get(s.flowId);
    if (!flow) throw notFound(`no flow ${s.flowId}`);
    groupId = flow.groupId;
  } else if (s.flowGroupId) {
    groupId = s.flowGroupId;
  } else {
    throw bad("give recipientId, flowId or flowGroupId");
  }
  const group = world.groups.get(groupId);
  if (!group) throw notFound(`no group ${groupId}`);
  return group;
}

/** The person a selector names, as identity keys; undefined when it names nobody in particular. */
function selectedPerson(
  world: World,
  group: EmulatedGroup,
  s: Selector,
): { keys: string[]; only?: { flow: FlowRecord; approver: ApproverRecord } } | undefined {
  if (s.recipientId) {
    const { flow, approver } = world.findApprover(s.recipientId)!;
    if (approver.state === "FILLPENDING")
      throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "this approver is dynamic and must be filled first");
    if (approver.role === "autoSign") throw new TransitionError(409, "OperationDenied.FlowStatusForbid", "auto-signers act on their own");
    const keys = personKeys(approver);
    return keys.length > 0 ? { keys } : { keys: [], only: { flow, approver } };
  }
  const keys: string[] = [];
  if (s.mobile) keys.push(`mobile:${s.mobile}`);
  if (s.userId) keys.push(`user:${s.userId}`);
  if (s.openId) keys.push(`openid:${s.organizationOpenId ?? group.owner.organizationOpenId ?? ""}:${s.openId}`);
  return keys.length > 0 ? { keys } : undefined;
}

function openApprovals(
  world: World,
  group: EmulatedGroup,
  person: NonNullable<ReturnType<typeof selectedPerson>>,
  flowIds?: string[],
): Array<{ flow: FlowRecord; approver: ApproverRecord }> {
  const all = person.only
    ? person.only.approver.state === "PENDING" && !isFinal(person.only.flow)
      ? [person.only]
      : []
    : approvalsOf(world, group, person.keys);
  return flowIds === undefined ? all : all.filter((x) => flowIds.includes(x.flow.flowId));
}

function result(world: World, group: EmulatedGroup, ctx: TransitionContext): OperationResult {
  const changed = new Set(ctx.events.flatMap((e) => (e.kind === "flow" ? [e.flow.flowId] : [])));
  return {
    flowGroupId: group.groupId,
    groupStatus: group.reportedState ?? "",
    flows: [...changed].map((flowId) => ({ flowId, status: world.flows.get(flowId)!.state })),
  };
}

/** The selected person signs all their open flows of the group (or everybody, given no person). */
export function sign(ctx: TransitionContext, s: Selector): OperationResult {
  const group = resolveGroup(ctx.world, s);
  const person = selectedPerson(ctx.world, group, s);
  if (!person) signWholeGroup(ctx, group);
  else signApprovals(ctx, group, openApprovals(ctx.world, group, person, s.flowIds));
  return result(ctx.world, group, ctx);
}

/** The selected person rejects (or each open flow's next approver, given no person). */
export function reject(ctx: TransitionContext, s: Selector, message = ""): OperationResult {
  const group = resolveGroup(ctx.world, s);
  const person = selectedPerson(ctx.world, group, s);
  if (!person) rejectWholeGroup(ctx, group, message);
  else rejectApprovals(ctx, group, openApprovals(ctx.world, group, person, s.flowIds), message);
  return result(ctx.world, group, ctx);
}

/** Flows a cancel/expire selector names. */
function selectedFlows(world: World, group: EmulatedGroup, s: Selector): FlowRecord[] {
  if (s.recipientId) return [world.findApprover(s.recipientId)!.flow];
  if (s.flowId) return [world.flows.get(s.flowId)!];
  return world.groupFlows(group);
}

/** The starter cancels one flow (`flowId`, `recipientId`) or the whole group. */
export function cancel(ctx: TransitionContext, s: Selector, message = ""): OperationResult {
  const group = resolveGroup(ctx.world, s);
  cancelFlows(ctx, group, selectedFlows(ctx.world, group, s), message);
  return result(ctx.world, group, ctx);
}

/** The deadline passes: for a person, every flow where they still have to act. */
export function expire(ctx: TransitionContext, s: Selector): OperationResult {
  const group = resolveGroup(ctx.world, s);
  const person = s.recipientId ? undefined : selectedPerson(ctx.world, group, s);
  const flows = person ? [...new Set(approvalsOf(ctx.world, group, person.keys).map((x) => x.flow))] : selectedFlows(ctx.world, group, s);
  expireFlows(ctx, group, flows);
  return result(ctx.world, group, ctx);
}

function requireText(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === "") throw bad(`${what} is required to fill this approver`);
  return value;
}

function requireMobile(value: string | undefined): string {
  const mobile = requireText(value, "mobile");
  if (!MOBILE_PATTERN.test(mobile)) throw bad("mobile must be a mainland mobile number");
  return mobile;
}

/** The identity a dynamic approver receives, checked like ESS checks the person who claims it. */
export function fillIdentity(directory: Directory, group: EmulatedGroup, approver: ApproverRecord, input: FillInput): FillIdentity {
  const owner = group.owner;
  if (approver.role === "person") return { name: requireText(input.name, "name"), mobile: requireMobile(input.mobile) };
  if (owner.edition === "ess") {
    if (approver.role === "autoSign") return { organizationName: owner.organizationName, organizationId: owner.organizationId! };
    if (input.userId) {
      const found = directory.essEmployees.get(input.userId);
      if (!found) throw notFound(`no ess employee with UserId ${input.userId}`);
      return {
        userId: input.userId,
        name: found.employee.name,
        mobile: found.employee.mobile,
        organizationName: found.organization.name,
        organizationId: found.organization.organizationId,
      };
    }
    const organizationName = requireText(input.organizationName, "organizationName");
    return {
      name: requireText(input.name, "name"),
      mobile: requireMobile(input.mobile),
      organizationName,
      ...(organizationName === owner.organizationName ? { organizationId: owner.organizationId! } : {}),
    };
  }
  const organizationOpenId = input.organizationOpenId ?? owner.organizationOpenId!;
  const org = directory.essbasicOrganization(owner.appId!, organizationOpenId);
  if (approver.role === "autoSign") {
    if (!org) throw notFound(`no organization ${organizationOpenId} in application ${owner.appId}`);
    const seal = approver.sealId ? directory.seals.get(approver.sealId) : undefined;
    if (!seal || seal.ownerKey !== `essbasic:${owner.appId}:${organizationOpenId}`)
      throw new TransitionError(409, "OperationDenied.ErrNoResourceAccess", "the auto-sign seal does not belong to that organization");
    return { organizationOpenId, organizationName: org.name, ...(input.openId ? { openId: input.openId } : {}) };
  }
  const employee = input.openId ? org?.employees.find((e) => e.openId === input.openId) : undefined;
  return {
    organizationOpenId,
    organizationName: input.organizationName ?? org?.name ?? requireText(undefined, "organizationName"),
    ...(input.openId ? { openId: input.openId } : {}),
    name: employee?.name ?? requireText(input.name, "name"),
    mobile: employee?.mobile ?? requireMobile(input.mobile),
  };
}

/** Gives dynamic approvers an identity; they may sign afterwards (auto-signers sign at once). */
export function fill(ctx: TransitionContext, s: Selector, input: FillInput): OperationResult {
  const group = resolveGroup(ctx.world, s);
  let candidates: Array<{ flow: FlowRecord; approver: ApproverRecord }>;
  if (s.recipientId) candidates = [ctx.world.findApprover(s.recipientId)!];
  else
    candidates = (s.flowId ? [ctx.world.flows.get(s.flowId)!] : ctx.world.groupFlows(group)).flatMap((flow) =>
      flow.approvers
        .filter((a) => a.state === "FILLPENDING" && (input.approverRoleName === undefined || a.roleName === input.approverRoleName))
        .map((approver) => ({ flow, approver })),
    );
  const targets = candidates.map(({ flow, approver }) => ({
    flow,
    approver,
    identity: approver.state === "FILLPENDING" ? fillIdentity(ctx.world.directory, group, approver, input) : {},
  }));
  fillApprovers(ctx, group, targets);
  return result(ctx.world, group, ctx);
}

/** Fills the named dynamic approvers (a claim through a sign link) with one identity. */
export function fillMany(ctx: TransitionContext, recipientIds: string[], input: FillInput): OperationResult {
  const found = recipientIds.map((id) => ctx.world.findApprover(id)).filter((x) => x !== undefined);
  if (found.length === 0) throw notFound("no approver behind this link");
  const group = ctx.world.groups.get(found[0]!.flow.groupId)!;
  const targets = found
    .filter(({ approver, flow }) => approver.state === "FILLPENDING" && !isFinal(flow))
    .map(({ flow, approver }) => ({ flow, approver, identity: fillIdentity(ctx.world.directory, group, approver, input) }));
  fillApprovers(ctx, group, targets);
  return result(ctx.world, group, ctx);
}
