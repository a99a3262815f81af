import { cancelFlows, isFinal } from "../core/transitions";
import { ApiError, missing } from "../protocol/api-error";
import { readString } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essOperator } from "./identity";
import { ownedFlow } from "./lookup";
import type { Owner } from "../core/model";
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
  const { flow, group } = ownedFlow(ctx, owner, flowId, "FlowId");
  if (isFinal(flow)) throw new ApiError("OperationDenied.FlowStatusForbid", `The flow has ended (${flow.state}) and cannot be cancelled.`);
  cancelFlows({ world: ctx.world, now: nowSeconds(ctx), events: ctx.events }, group, [flow], message ?? "");
  return {};
}

/** ess `CancelFlow`: `CancelMessage` is required. */
export const cancelFlow: ActionHandler = (body, ctx) => cancel(body, ctx, essOperator(body, ctx), true);

/** essbasic `ChannelCancelFlow`: `CancelMessage` is optional. */
export const channelCancelFlow: ActionHandler = (body, ctx) => cancel(body, ctx, essbasicAgent(body, ctx), false);
