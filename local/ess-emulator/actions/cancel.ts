import { cancelFlows, isFinal } from "../core/transitions";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readInteger, readString, readStringArray } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essOperator, sameOwner } from "./identity";
import { ownedFlow } from "./lookup";
import type { FlowRecord, Owner } from "../core/model";
import type { Json } from "../protocol/read";

/** `CancelFlow` (ess) and `ChannelCancelFlow` (essbasic): the starter withdraws an open flow. */

function cancel(body: Json, ctx: ActionContext, owner: Owner, messageRequired: boolean): Record<string, unknown> {
  const flowId = readString(body.FlowId, "FlowId");
  if (flowId === undefined || flowId === "") throw missing("FlowId", "MissingParameter.FlowId");
  const message = readString(body.CancelMessage, "CancelMessage", {
    required: messageRequired,
    maxLength: 200,
    invalidCode: "InvalidParameter.ParamError",
  });
  if (message !== undefined && PICTOGRAPH.test(message))
    throw invalid("CancelMessage", "holds emoji, which cancel reasons cannot", "InvalidParameter.CancelReason");
  const { flow, group } = ownedFlow(ctx, owner, flowId, "FlowId");
  if (isFinal(flow)) throw new ApiError("OperationDenied.FlowStatusForbid", `The flow has ended (${flow.state}) and cannot be cancelled.`);
  cancelFlows({ world: ctx.world, now: nowSeconds(ctx), events: ctx.events }, group, [flow], message ?? "");
  return {};
}

/** ess `CancelFlow`: `CancelMessage` is required. */
export const cancelFlow: ActionHandler = (body, ctx) => cancel(body, ctx, essOperator(body, ctx), true);

/** essbasic `ChannelCancelFlow`: `CancelMessage` is optional. */
export const channelCancelFlow: ActionHandler = (body, ctx) => cancel(body, ctx, essbasicAgent(body, ctx), false);

/** "如果不传递撤回原因，那么默认撤回原因是 自动撤销（通过接口实现）". */
const DEFAULT_BATCH_MESSAGE = "自动撤销（通过接口实现）";
/** Emoji and other pictographs: cancel reasons refuse them ("不支持表情"). */
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/**
 * essbasic `ChannelBatchCancelFlows`: up to 100 flows; each open flow of the caller is cancelled,
 * each other one gets its reason in `FailMessages` (an empty array when all succeeded). The result
 * is also sent as a `CancelFlows` callback with the answer's `TaskId`, after each flow's
 * `FlowStatusChange` (cancel) and each group's `FlowGroupStatusChange`.
 */
export const channelBatchCancelFlows: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if (flowIds.length === 0) throw missing("FlowIds", "MissingParameter.FlowIds");
  if (flowIds.length > 100) throw invalid("FlowIds", "holds more than 100 ids", "LimitExceeded.FlowIds");
  const message =
    readString(body.CancelMessage, "CancelMessage", { maxLength: 200, invalidCode: "InvalidParameter.CancelReason" }) ||
    DEFAULT_BATCH_MESSAGE;
  if (PICTOGRAPH.test(message)) throw invalid("CancelMessage", "holds emoji, which cancel reasons cannot", "InvalidParameter.CancelReason");
  const format = readInteger(body.CancelMessageFormat, "CancelMessageFormat") ?? 0;
  if (format < 0 || format > 3) throw invalid("CancelMessageFormat", "must be 0, 1, 2 or 3", "InvalidParameter.ParamError");
  const fails = flowIds.map((id) => {
    const flow = ctx.world.flows.get(id);
    const group = flow ? ctx.world.groups.get(flow.groupId) : undefined;
    if (!flow || !group || !sameOwner(owner, group.owner)) return "合同不存在 (flow not found)";
    if (isFinal(flow)) return `合同已结束，不能撤销 (the flow has ended: ${flow.state})`;
    return "";
  });
  const cancelled = flowIds.filter((_, i) => fails[i] === "");
  const byGroup = new Map<string, FlowRecord[]>();
  for (const id of cancelled) {
    const flow = ctx.world.flows.get(id)!;
    byGroup.set(flow.groupId, [...(byGroup.get(flow.groupId) ?? []), flow]);
  }
  const tctx = { world: ctx.world, now: nowSeconds(ctx), events: ctx.events };
  for (const [groupId, flows] of byGroup) cancelFlows(tctx, ctx.world.groups.get(groupId)!, flows, message);
  const taskId = ctx.ids.id();
  ctx.events.push({
    kind: "notice",
    owner,
    groupId: [...byGroup.keys()][0] ?? "",
    msgType: "CancelFlows",
    data: {
      TaskId: taskId,
      TaskStatus: "END",
      SuccessFlowIds: cancelled,
      FailureFlows: flowIds.flatMap((id, i) => (fails[i] ? [{ FlowId: id, Reason: fails[i] }] : [])),
      ApplicationId: owner.appId ?? "",
      ProxyOrganizationOpenId: owner.organizationOpenId ?? "",
    },
  });
  return { FailMessages: fails.every((f) => f === "") ? [] : fails, TaskId: taskId };
};
