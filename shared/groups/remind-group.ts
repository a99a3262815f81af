import { ValidationError } from "../errors/request-errors";
import { GroupNotRecorded } from "../errors/group-errors";
import type { ApproverRemind, EssPort, ConfiguredIdentity } from "../ess/port";
import type { Logger } from "../log/logger";
import type { FlowView } from "../status-store/model";
import { FINAL_FLOW_STATUSES, type FlowStatus } from "../ess/status-codes";
import type { StatusStore } from "../status-store/port";
import { recordAction } from "./action-event";
import type { GroupActionInput } from "./cancel-group";
import { assertFlowGroupId, readGroupStatus } from "./group-status";
import { callerFor } from "./identity";

/**
 * Reminding a group's approvers (催办: ESS texts each approver still to sign).
 *
 * Which ESS action (the SDK models): ess `CreateFlowGroupReminds` takes the group itself and
 * answers per signatory, each flow's outcome beside it (0 reminded, 2 not needed, 5 over the limit
 * of 3 per approver and flow); essbasic has no group action, so `ChannelCreateFlowReminds` gets the
 * group's open flows (up to 100; a group has at most 50) and answers per flow (each person once).
 * Both are whitelist features of ESS. ESS sends no callback for a reminder: the record of it is the
 * event this service stores.
 */

export interface RemindGroupDeps {
  ess: Pick<EssPort, "remind">;
  store: Pick<StatusStore, "getGroup" | "groupOfFlow" | "recordEvent">;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

/** One approver's reminder (ess), named as the create answer named them. */
export interface ApproverRemindResult {
  RecipientId?: string;
  SignId?: string;
  ApproverOrder?: number;
  Result: "REMINDED" | "NOT_NEEDED" | "LIMIT_EXCEEDED" | "NOT_REMINDED";
  Reason?: string;
}

export interface FlowRemindResult {
  FlowId: string;
  FlowName?: string;
  StatusBefore: FlowStatus;
  /** `REMINDED`: at least one approver was texted; `ENDED`: the flow had ended, nobody to remind. */
  Result: "REMINDED" | "NOT_REMINDED" | "ENDED";
  Message?: string;
  Approvers?: ApproverRemindResult[];
}

export interface RemindGroupResponse {
  FlowGroupId: string;
  Flows: FlowRemindResult[];
  EssRequestId?: string;
  Warnings?: string[];
}

/** The body is empty, or an empty object: a reminder goes to everyone still to sign. */
export function parseRemindRequest(body: unknown): void {
  if (body === undefined) return;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ Path: "Body", Code: "InvalidParameter.Body", Message: "must be a JSON object (or empty)" }]);
  }
  const unknown = Object.keys(body);
  if (unknown.length > 0) {
    throw new ValidationError(unknown.map((key) => ({ Path: key, Code: "UnknownParameter", Message: "this request takes no fields" })));
  }
}

const REMIND_STATUS: Record<number, ApproverRemindResult["Result"]> = { 0: "REMINDED", 2: "NOT_NEEDED", 5: "LIMIT_EXCEEDED" };

/**
 * Reminds the group's approvers: checks the body, reads the group (404 when unknown or another
 * key's), asks ESS for its open flows, records the request as an event, and answers per flow (and,
 * for ess, per approver).
 */
export async function remindGroup(input: GroupActionInput, deps: RemindGroupDeps): Promise<RemindGroupResponse> {
  const flowGroupId = assertFlowGroupId(input.flowGroupId);
  parseRemindRequest(input.body);
  const group = await readGroupStatus(flowGroupId, deps, input.principal);
  if (!group.recorded) throw new GroupNotRecorded(group.flowGroupId);
  const caller = callerFor(group, deps.identity);

  const open = group.flows.filter((flow) => !FINAL_FLOW_STATUSES.includes(flow.status));
  const answer =
    open.length > 0
      ? await deps.ess.remind(
          caller,
          flowGroupId,
          open.map((f) => f.flowId),
          { timeoutMs: input.timeoutMs },
        )
      : undefined;
  const flows: FlowRemindResult[] = group.flows.map((flow) => {
    const base = { FlowId: flow.flowId, FlowName: flow.flowName, StatusBefore: flow.status };
    if (FINAL_FLOW_STATUSES.includes(flow.status)) return { ...base, Result: "ENDED", Message: `the flow has ended (${flow.status})` };
    const remind = answer?.flows.find((f) => f.flowId === flow.flowId);
    if (remind === undefined) return { ...base, Result: "NOT_REMINDED", Message: "ESS gave no answer for this flow" };
    return {
      ...base,
      Result: remind.reminded ? "REMINDED" : "NOT_REMINDED",
      Message: remind.message,
      Approvers: remind.approvers?.map((a) => approverResult(flow, a)),
    };
  });
  const warnings = await recordAction(deps, {
    msgType: "RemindRequested",
    edition: group.edition,
    flowGroupId,
    data: { EssRequestId: answer?.requestId, Flows: flows.map((f) => ({ FlowId: f.FlowId, Result: f.Result })) },
  });
  deps.log.info("group reminded", {
    flowGroupId,
    reminded: flows.filter((f) => f.Result === "REMINDED").length,
    essRequestId: answer?.requestId,
  });
  return { FlowGroupId: flowGroupId, Flows: flows, EssRequestId: answer?.requestId, Warnings: warnings.length > 0 ? warnings : undefined };
}

/** ESS names the approver by SignId; the group's record knows its RecipientId. */
function approverResult(flow: FlowView, remind: ApproverRemind): ApproverRemindResult {
  const approver = remind.signId === undefined ? undefined : flow.approvers.find((a) => a.signId === remind.signId);
  return {
    RecipientId: approver?.recipientId,
    SignId: remind.signId,
    ApproverOrder: remind.approverOrder,
    Result: REMIND_STATUS[remind.status] ?? "NOT_REMINDED",
    Reason: remind.reason,
  };
}
