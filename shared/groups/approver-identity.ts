import type { ApproverInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type { FlowApproverInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { CreateFlowGroupCall } from "../ess/port";
import type { ApproverIdentity } from "../status-store/model";

/** Per flow of a create request, in request order: whether it is unordered, and who each approver is. */
export interface FlowIdentities {
  unordered: boolean;
  approvers: ApproverIdentity[];
}

/**
 * Who the (validated) create request names, flow by flow and approver by approver, in request
 * order: ESS answers each flow's `Approvers` in that order, so the record pairs them by position.
 * Names and mobiles are kept as the caller sent them; ID numbers are not kept.
 */
export function requestedIdentities(call: CreateFlowGroupCall): FlowIdentities[] {
  if (call.edition === "ess") {
    return (call.request.FlowGroupInfos ?? []).map((flow) => {
      const unordered = flow.Unordered === true;
      return { unordered, approvers: (flow.Approvers ?? []).map((a, i) => essIdentity(a, unordered ? undefined : i + 1)) };
    });
  }
  return (call.request.FlowFileInfos ?? []).map((flow) => {
    const unordered = flow.Unordered === true;
    return { unordered, approvers: (flow.FlowApprovers ?? []).map((a, i) => essbasicIdentity(a, unordered ? undefined : i + 1)) };
  });
}

function essIdentity(a: ApproverInfo, signOrder: number | undefined): ApproverIdentity {
  return {
    essApproverType: text(a.ApproverType),
    name: text(a.ApproverName),
    mobile: text(a.ApproverMobile),
    organizationName: text(a.OrganizationName),
    userId: text(a.UserId),
    signOrder,
    dynamic: a.ApproverOption?.FillType === 1 || undefined,
  };
}

function essbasicIdentity(a: FlowApproverInfo, signOrder: number | undefined): ApproverIdentity {
  return {
    essApproverType: text(a.ApproverType),
    name: text(a.Name),
    mobile: text(a.Mobile),
    organizationName: text(a.OrganizationName),
    openId: text(a.OpenId),
    organizationOpenId: text(a.OrganizationOpenId),
    signOrder,
    dynamic: a.ApproverOption?.FillType === 1 || undefined,
  };
}

/** A non-empty value as text; "" and absent mean "not set" to ESS. */
function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}
