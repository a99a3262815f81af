import type { ApproverRecord, FlowRecord, EmulatedGroup, LinkRecord } from "../core/model";
import { isFinal, personKeys } from "../core/transitions";
import { ApiError, invalid } from "../protocol/api-error";
import { readString } from "../protocol/read";
import type { ActionContext } from "./context";
import { nowSeconds } from "./context";

/**
 * Sign links: each opens the emulator's sign page (`/_emulator/link/<token>`) for one person (or
 * the dynamic approvers to be filled) over the flows it covers, and stops working when it expires.
 */

/** Lifetimes the models give: H5 links 30 minutes by default (ExpiredOn 30 min–90 days), mini-program links 90 days. */
export const LINK_TTL = { h5: 30 * 60, h5Max: 90 * 24 * 3600, miniProgram: 90 * 24 * 3600 } as const;

/** The URL of a link token. */
export function linkUrl(ctx: ActionContext, token: string): string {
  return `${ctx.baseUrl}/_emulator/link/${token}`;
}

/** Records a link and returns its URL and expiry. */
export function issueLink(
  ctx: ActionContext,
  spec: Omit<LinkRecord, "token" | "expiresAt" | "groupId"> & { group: EmulatedGroup; ttlSeconds: number },
): { url: string; expiresAt: number; token: string } {
  const token = ctx.ids.id();
  const expiresAt = nowSeconds(ctx) + spec.ttlSeconds;
  ctx.world.addLink({
    token,
    groupId: spec.group.groupId,
    recipientIds: spec.recipientIds,
    flowIds: spec.flowIds,
    expiresAt,
    preview: spec.preview,
    preset: spec.preset,
    action: spec.action,
  });
  return { url: linkUrl(ctx, token), expiresAt, token };
}

/** `ExpiredOn` of the batch-link actions: seconds from now, 1800 to 7,776,000; default 30 minutes. */
export function readExpiredOn(value: unknown): number {
  const text = typeof value === "bigint" ? Number(value) : value;
  if (text === undefined || text === null || text === 0) return LINK_TTL.h5;
  if (typeof text !== "number" || !Number.isInteger(text) || text < LINK_TTL.h5 || text > LINK_TTL.h5Max)
    throw invalid(
      "ExpiredOn",
      "must be a whole number of seconds from 1800 (30 minutes) to 7776000 (90 days)",
      "InvalidParameter.ParamError",
    );
  return text;
}

/** `JumpUrl`: http(s), at most 1000 characters. */
export function readJumpUrl(value: unknown): void {
  readString(value, "JumpUrl", { maxLength: 1000, pattern: /^https?:\/\/\S+$/, invalidCode: "InvalidParameter.JumpUrl" });
}

/** An approval (flow + approver) in a link's scope. */
export interface Approval {
  flow: FlowRecord;
  approver: ApproverRecord;
}

/** Every approval of the person `seed` is, in the given flows (the same mobile, UserId or OpenId). */
export function approvalsOfPerson(flows: FlowRecord[], seed: ApproverRecord): Approval[] {
  const keys = new Set(personKeys(seed));
  if (keys.size === 0) return flows.flatMap((flow) => flow.approvers.filter((a) => a === seed).map((approver) => ({ flow, approver })));
  return flows.flatMap((flow) =>
    flow.approvers.filter((a) => a.role !== "autoSign" && personKeys(a).some((k) => keys.has(k))).map((approver) => ({ flow, approver })),
  );
}

/** Approvals a person may still act on: open flows, approver pending. */
export function openApprovals(approvals: Approval[]): Approval[] {
  return approvals.filter(({ flow, approver }) => !isFinal(flow) && approver.state === "PENDING");
}

/** Refuses links for a person with nothing left to sign in scope (ESS: the approver must be 待签署). */
export function requireOpen(approvals: Approval[]): void {
  if (openApprovals(approvals).length === 0)
    throw new ApiError(
      "OperationDenied.FlowStatusForbid",
      "The approver has nothing left to sign in these flows (signed, or the flows have ended).",
    );
}
