import type { ApproverRecord, FlowRecord, EmulatedGroup, Owner } from "../core/model";
import { startGroup } from "../core/transitions";
import { ApiError, invalid } from "../protocol/api-error";
import type { ActionContext } from "./context";
import { nowSeconds } from "./context";

/** An approver as parsed from a create request, before ids and states are given. */
export type ApproverDraft = Omit<ApproverRecord, "recipientId" | "signId" | "state" | "signOrder" | "approveTime" | "message">;

/** A flow as parsed from a create request (its `deadline` may still be 0: the default, one year). */
export type FlowDraft = Pick<FlowRecord, "name" | "type" | "description" | "userData" | "unordered" | "deadline" | "fileIds"> & {
  approvers: ApproverDraft[];
};

/** Default flow lifetime when `Deadline` is 0 or absent. */
export const ONE_YEAR_SECONDS = 365 * 24 * 3600;
/** Largest `Deadline` the channel edition documents (year 3020). */
export const MAX_DEADLINE = 33_162_419_560;

/** A flow deadline: 0/absent = one year from now; otherwise a unix time in the future. */
export function checkDeadline(value: number | undefined, path: string, now: number, code: string): number {
  if (value === undefined || value === 0) return now + ONE_YEAR_SECONDS;
  if (value <= now || value > MAX_DEADLINE) throw invalid(path, "must be a unix time (seconds) in the future", code);
  return value;
}

/**
 * Uploaded files exist for an hour (fixture files for ever); channel files belong to one
 * application; only PDFs start flows (other uploads need a conversion the emulator does not do).
 * Returns the file's page count when known.
 */
export function checkFile(ctx: ActionContext, fileId: string, path: string, appId?: string): number | undefined {
  const file = ctx.world.files.get(fileId);
  const usable =
    file !== undefined &&
    file.edition === ctx.edition &&
    (appId === undefined || file.appId === appId) &&
    (file.expiresAt === undefined || file.expiresAt > nowSeconds(ctx));
  if (!usable)
    throw new ApiError(
      "ResourceNotFound.Resource",
      `The file named by \`${path}\` does not exist, has expired, or belongs to someone else.`,
    );
  if (file.kind !== undefined && file.kind !== "pdf")
    throw invalid(
      path,
      "names a file that is not a PDF; convert it first",
      ctx.edition === "ess" ? "InvalidParameter.ResourceType" : "InvalidParameter.FileType",
    );
  return file.pages;
}

/** Two approvers of one flow naming the same person in the same capacity. */
export function duplicateKey(a: ApproverDraft): string | undefined {
  if (a.dynamic) return undefined;
  const who = a.userId ?? a.openId ?? a.mobile;
  if (who === undefined) return undefined;
  return `${a.role}|${a.organizationOpenId ?? a.organizationName ?? ""}|${who}`;
}

/** Every record has the same shape (all fields present), which keeps property access monomorphic. */
function approverRecord(ctx: ActionContext, a: ApproverDraft, signOrder: number): ApproverRecord {
  return {
    recipientId: ctx.ids.id(),
    signId: ctx.ids.id(),
    roleName: a.roleName,
    signOrder,
    role: a.role,
    wireType: a.wireType,
    dynamic: a.dynamic,
    name: a.name,
    mobile: a.mobile,
    organizationName: a.organizationName,
    userId: a.userId,
    organizationId: a.organizationId,
    openId: a.openId,
    organizationOpenId: a.organizationOpenId,
    sealId: a.sealId,
    state: a.dynamic ? "FILLPENDING" : "PENDING",
    approveTime: undefined,
    message: undefined,
  };
}

/**
 * Starts a validated group: charges one contract per flow (all or nothing), gives ids, records it,
 * and lets the auto-signers sign. Returns the create response fields.
 */
export function createGroup(ctx: ActionContext, owner: Owner, groupName: string, drafts: FlowDraft[]): Record<string, unknown> {
  const left = ctx.world.quotaLeft(owner.key);
  if (left !== undefined && left < drafts.length)
    throw new ApiError(
      "OperationDenied.NoQuota",
      `The organization has ${Math.max(left, 0)} contracts left; this group needs ${drafts.length}.`,
    );
  const now = nowSeconds(ctx);
  const groupId = ctx.ids.id();
  const flows: FlowRecord[] = drafts.map((d) => ({
    flowId: ctx.ids.id(),
    groupId,
    edition: ctx.edition,
    name: d.name,
    type: d.type,
    description: d.description,
    userData: d.userData,
    unordered: d.unordered,
    deadline: d.deadline,
    createdOn: now,
    state: "INIT",
    fileIds: d.fileIds,
    quotaReturned: false,
    approvers: d.approvers.map((a, i) => approverRecord(ctx, a, i + 1)),
  }));
  const group: EmulatedGroup = {
    groupId,
    edition: ctx.edition,
    name: groupName,
    flowIds: flows.map((f) => f.flowId),
    createdOn: now,
    owner,
  };
  ctx.world.chargeQuota(owner.key, flows.length);
  ctx.world.addGroup(group, flows);
  startGroup({ world: ctx.world, now, events: ctx.events }, group);
  return {
    FlowGroupId: groupId,
    FlowIds: group.flowIds,
    Approvers: flows.map((f) => ({
      FlowId: f.flowId,
      Approvers: f.approvers.map((a) => ({ RecipientId: a.recipientId, SignId: a.signId, ApproverRoleName: a.roleName })),
    })),
  };
}
