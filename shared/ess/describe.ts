import type { FlowDetailInfo as EssFlowDetailInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type { FlowDetailInfo as EssbasicFlowDetailInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { ApproverStatus, FlowStatus } from "../status-store/model";
import type { DescribedFlow } from "./gateway";

/**
 * `FlowStatus` numbers of ess `DescribeFlowInfo` (SDK comment of FlowDetailInfo.FlowStatus):
 * 0 not started, 1 to sign, 2 partly signed, 3 rejected, 4 signed, 5 expired, 6 cancelled,
 * 7 not started (with filling), 8 waiting to be filled, 9 partly filled, 10 fill rejected,
 * 16 invalid, 21 relieved.
 */
const ESS_FLOW_STATUS: Record<number, FlowStatus> = {
  0: "INIT",
  1: "INIT",
  2: "PART",
  3: "REJECT",
  4: "ALL",
  5: "DEADLINE",
  6: "CANCEL",
  7: "INIT",
  8: "INIT",
  9: "INIT",
  10: "REJECT",
  16: "INVALID",
  21: "RELIEVED",
};

/**
 * `ApproveStatus` numbers of ess FlowApproverDetail: 0 not started, 1 in flow, 2 to sign, 3 signed,
 * 4 rejected, 5 expired, 6 cancelled, 7 not pre-started, 8 to fill, 9 stopped, 10 filled,
 * 15 relieved, 19 forwarded.
 */
const ESS_APPROVER_STATUS: Record<number, ApproverStatus> = {
  0: "PENDING",
  1: "PENDING",
  2: "PENDING",
  3: "ACCEPT",
  4: "REJECT",
  5: "DEADLINE",
  6: "CANCEL",
  7: "PENDING",
  8: "FILLPENDING",
  9: "STOP",
  10: "FILLACCEPT",
  15: "RELIEVED",
  19: "FORWARD",
};

const ESSBASIC_FLOW_STATUS = new Set<FlowStatus>(["INIT", "PART", "REJECT", "ALL", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"]);

/** essbasic approver statuses; `WAITPICKUP` (to be claimed) is pending, `FILLREJECT` a rejection. */
const ESSBASIC_APPROVER_STATUS: Record<string, ApproverStatus> = {
  PENDING: "PENDING",
  WAITPICKUP: "PENDING",
  FILLPENDING: "FILLPENDING",
  FILLACCEPT: "FILLACCEPT",
  FILLREJECT: "REJECT",
  ACCEPT: "ACCEPT",
  REJECT: "REJECT",
  DEADLINE: "DEADLINE",
  CANCEL: "CANCEL",
  FORWARD: "FORWARD",
  STOP: "STOP",
  RELIEVED: "RELIEVED",
};

export function describedFlowsFromEss(flows: EssFlowDetailInfo[]): DescribedFlow[] {
  return flows
    .filter((flow) => typeof flow.FlowId === "string")
    .map((flow) => ({
      flowId: flow.FlowId!,
      ...(flow.FlowName !== undefined ? { flowName: flow.FlowName } : {}),
      ...(flow.FlowStatus !== undefined && ESS_FLOW_STATUS[flow.FlowStatus] ? { status: ESS_FLOW_STATUS[flow.FlowStatus] } : {}),
      approvers: (flow.FlowApproverInfos ?? []).map((a) => ({
        ...(a.RecipientId ? { recipientId: a.RecipientId } : {}),
        ...(a.SignId ? { signId: a.SignId } : {}),
        ...(a.ApproveType ? { approverType: a.ApproveType } : {}),
        ...(a.ApproveStatus !== undefined && ESS_APPROVER_STATUS[a.ApproveStatus]
          ? { status: ESS_APPROVER_STATUS[a.ApproveStatus] }
          : {}),
        ...(a.ApproveTime ? { approveTime: a.ApproveTime } : {}),
      })),
    }));
}

export function describedFlowsFromEssbasic(flows: EssbasicFlowDetailInfo[]): DescribedFlow[] {
  return flows
    .filter((flow) => typeof flow.FlowId === "string")
    .map((flow) => ({
      flowId: flow.FlowId!,
      ...(flow.FlowName !== undefined ? { flowName: flow.FlowName } : {}),
      ...(flow.FlowStatus && ESSBASIC_FLOW_STATUS.has(flow.FlowStatus as FlowStatus)
        ? { status: flow.FlowStatus as FlowStatus }
        : {}),
      approvers: (flow.FlowApproverInfos ?? []).map((a) => ({
        ...(a.RecipientId ? { recipientId: a.RecipientId } : {}),
        ...(a.SignId ? { signId: a.SignId } : {}),
        ...(a.ApproveType ? { approverType: a.ApproveType } : {}),
        ...(a.ApproveStatus && ESSBASIC_APPROVER_STATUS[a.ApproveStatus]
          ? { status: ESSBASIC_APPROVER_STATUS[a.ApproveStatus] }
          : {}),
        ...(a.ApproveTime ? { approveTime: a.ApproveTime } : {}),
      })),
    }));
}
