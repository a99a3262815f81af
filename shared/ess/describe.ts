import type { FlowDetailInfo as EssFlowDetailInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type { FlowDetailInfo as EssbasicFlowDetailInfo } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { FlowStatus } from "./status-codes";
import type { DescribedFlow } from "./port";
import { CALLBACK_FLOW_STATUS, DESCRIBE_FLOW_STATUS, mapApproverStatus, mapFlowStatus } from "./status-codes";

/** The fields both editions' `FlowDetailInfo` share (ess numbers its statuses; essbasic uses words). */
type DetailInfo = Pick<EssFlowDetailInfo | EssbasicFlowDetailInfo, "FlowId" | "FlowName"> & {
  FlowStatus?: number | string;
  FlowApproverInfos?: Array<{
    RecipientId?: string;
    SignId?: string;
    ApproveType?: string;
    ApproveStatus?: number | string;
    ApproveTime?: number;
  }>;
};

/** ess `DescribeFlowInfo` → internal model. */
export function describedFlowsFromEss(flows: EssFlowDetailInfo[]): DescribedFlow[] {
  return describedFlows(flows, DESCRIBE_FLOW_STATUS);
}

/** essbasic `DescribeFlowDetailInfo` → internal model. */
export function describedFlowsFromEssbasic(flows: EssbasicFlowDetailInfo[]): DescribedFlow[] {
  return describedFlows(flows, CALLBACK_FLOW_STATUS);
}

function describedFlows(flows: DetailInfo[], flowCodes: Readonly<Record<number, FlowStatus>>): DescribedFlow[] {
  return flows
    .filter((flow) => typeof flow.FlowId === "string")
    .map((flow) => ({
      flowId: flow.FlowId!,
      ...optional("flowName", flow.FlowName),
      ...optional("status", mapFlowStatus(flow.FlowStatus, flowCodes)),
      approvers: (flow.FlowApproverInfos ?? []).map((a) => ({
        ...optional("recipientId", a.RecipientId || undefined),
        ...optional("signId", a.SignId || undefined),
        ...optional("approverType", a.ApproveType || undefined),
        ...optional("status", mapApproverStatus(a.ApproveStatus)),
        ...optional("approveTime", a.ApproveTime || undefined),
      })),
    }));
}

/** `{ [key]: value }` when the value is known, else nothing (optional fields stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
