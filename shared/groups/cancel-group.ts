import type { Issue } from "../errors/app-error";
import { ValidationError } from "../errors/request-errors";
import { GroupNotRecorded } from "../errors/group-errors";
import type { EssPort, FlowActionOutcome, ConfiguredIdentity } from "../ess/port";
import type { Logger } from "../log/logger";
import { FINAL_FLOW_STATUSES, type FlowStatus } from "../ess/status-codes";
import type { StatusStore } from "../status-store/port";
import { recordAction } from "./action-event";
import { assertFlowGroupId, readGroupStatus } from "./group-status";
import { callerFor } from "./identity";

/**
 * Cancelling a whole group: every flow that is still open, in one request.
 *
 * Which ESS action (read from the SDK models): ess has no batch cancel of chosen flows
 * (`CancelOrganizationFlows` cancels a whole organization's, `CreateBatchCancelFlowUrl` makes a
 * page for a person), so each flow gets its own `CancelFlow`, four at a time; essbasic's
 * `ChannelBatchCancelFlows` takes up to 100 flows (a group has at most 50) and answers per flow
 * (`FailMessages`), with a `TaskId` its `CancelFlows` callback names. The flows' CANCEL statuses
 * come with ESS's callbacks, as for any other change (and are pushed like any other).
 */

export interface CancelGroupDeps {
  ess: Pick<EssPort, "cancelFlows">;
  store: Pick<StatusStore, "getGroup" | "groupOfFlow" | "recordEvent">;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

export interface GroupActionInput {
  /** From the path; refused (400) unless it is an id ESS could have issued. */
  flowGroupId: string | undefined;
  /** The parsed JSON body, or undefined for an empty one. */
  body: unknown;
  /** Upper bound for the ESS calls together (the function's remaining time, less a margin). */
  timeoutMs?: number;
  /** The caller's key digest: another key's group answers 404. Undefined when auth is off. */
  principal?: string;
}

/** The longest reason ESS takes ("最多支持200个字符长度"). */
export const MAX_CANCEL_REASON = 200;

/** Emoji and other pictographs (the models: "不支持表情"), and control characters. */
const REFUSED_IN_REASON = /[\p{Extended_Pictographic}\p{Cc}]/u;

/**
 * `{"Reason": "…"}`: required (ess requires `CancelMessage`; one rule for both editions), 1–200
 * characters, no emoji or control characters. essbasic's model also says "只能由中文、字母、数字和下划线
 * 组成", but its own default reason "自动撤销（通过接口实现）" breaks that, so punctuation is let through.
 */
export function parseCancelRequest(body: unknown): { reason: string } {
  const issues: Issue[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ Path: "Reason", Code: "MissingParameter.Reason", Message: 'is required: send {"Reason":"…"}' }]);
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== "Reason") issues.push({ Path: key, Code: "UnknownParameter", Message: "is not a field of this request (Reason)" });
  }
  const reason = fields.Reason;
  if (reason === undefined) issues.push({ Path: "Reason", Code: "MissingParameter.Reason", Message: "is required" });
  else if (typeof reason !== "string" || reason.trim() === "") {
    issues.push({ Path: "Reason", Code: "InvalidParameter.Reason", Message: "must be a non-empty string" });
  } else if (Array.from(reason).length > MAX_CANCEL_REASON) {
    issues.push({ Path: "Reason", Code: "InvalidParameter.Reason", Message: `must be at most ${MAX_CANCEL_REASON} characters` });
  } else if (REFUSED_IN_REASON.test(reason)) {
    issues.push({
      Path: "Reason",
      Code: "InvalidParameter.Reason",
      Message: "must not contain emoji or control characters (ESS refuses them)",
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { reason: (reason as string).trim() };
}

/** What happened to one flow: ESS cancelled it, refused (why), the outcome is unknown, or it had ended. */
export interface FlowCancelResult {
  FlowId: string;
  FlowName?: string;
  /** The flow's status in this service's store when the request came. */
  StatusBefore: FlowStatus;
  Result: "CANCELLED" | "REFUSED" | "UNKNOWN" | "ENDED";
  Code?: string;
  Message?: string;
  EssRequestId?: string;
}

export interface CancelGroupResponse {
  FlowGroupId: string;
  Reason: string;
  Flows: FlowCancelResult[];
  /** essbasic: the batch task the `CancelFlows` callback will name. */
  TaskId?: string;
  Warnings?: string[];
}

/** ESS answers that mean "no answer": the flow may or may not have been cancelled. */
const UNKNOWN_OUTCOME = new Set(["InternalError.EssTimeout", "InternalError.EssUnreachable", "InternalError.Ess"]);

/**
 * Cancels every open flow of the group: checks the body, reads the group (404 when unknown or
 * another key's), skips the flows the store knows have ended (ESS would refuse them), asks ESS for
 * the others, records the request as an event, and answers per flow. When no flow got an answer
 * from ESS (its credentials refused, ESS down), that error is the answer (the port throws it).
 */
export async function cancelGroup(input: GroupActionInput, deps: CancelGroupDeps): Promise<CancelGroupResponse> {
  const flowGroupId = assertFlowGroupId(input.flowGroupId);
  const { reason } = parseCancelRequest(input.body);
  const group = await readGroupStatus(flowGroupId, deps, input.principal);
  if (!group.recorded) throw new GroupNotRecorded(group.flowGroupId);
  const caller = callerFor(group, deps.identity);

  const open = group.flows.filter((flow) => !FINAL_FLOW_STATUSES.includes(flow.status));
  const answer =
    open.length > 0
      ? await deps.ess.cancelFlows(
          caller,
          open.map((f) => f.flowId),
          reason,
          { timeoutMs: input.timeoutMs },
        )
      : undefined;
  const outcomes = new Map((answer?.flows ?? []).map((o) => [o.flowId, o]));

  const flows: FlowCancelResult[] = group.flows.map((flow) => {
    const base = { FlowId: flow.flowId, FlowName: flow.flowName, StatusBefore: flow.status };
    if (FINAL_FLOW_STATUSES.includes(flow.status)) {
      return { ...base, Result: "ENDED", Message: `the flow has ended (${flow.status}); ESS cancels open flows only` };
    }
    return { ...base, ...resultOf(outcomes.get(flow.flowId)) };
  });
  const warnings = await recordAction(deps, {
    msgType: "CancelRequested",
    edition: group.edition,
    flowGroupId,
    data: { Reason: reason, TaskId: answer?.taskId, Flows: flows.map((f) => ({ FlowId: f.FlowId, Result: f.Result, Code: f.Code })) },
  });
  deps.log.info("group cancel asked", {
    flowGroupId,
    cancelled: flows.filter((f) => f.Result === "CANCELLED").length,
    refused: flows.filter((f) => f.Result === "REFUSED").length,
    unknown: flows.filter((f) => f.Result === "UNKNOWN").length,
    ended: flows.filter((f) => f.Result === "ENDED").length,
  });
  return {
    FlowGroupId: flowGroupId,
    Reason: reason,
    Flows: flows,
    TaskId: answer?.taskId,
    Warnings: warnings.length > 0 ? warnings : undefined,
  };
}

function resultOf(outcome: FlowActionOutcome | undefined): Pick<FlowCancelResult, "Result" | "Code" | "Message" | "EssRequestId"> {
  if (outcome === undefined) return { Result: "UNKNOWN", Message: "ESS gave no answer for this flow" };
  if (outcome.ok) return { Result: "CANCELLED", EssRequestId: outcome.essRequestId };
  const unknown = UNKNOWN_OUTCOME.has(outcome.code ?? "");
  return {
    Result: unknown ? "UNKNOWN" : "REFUSED",
    Code: outcome.code,
    Message: unknown
      ? `${outcome.message ?? "ESS did not answer"}; the flow may have been cancelled: its status will say`
      : outcome.message,
    EssRequestId: outcome.essRequestId,
  };
}
