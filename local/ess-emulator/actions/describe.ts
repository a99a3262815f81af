import { APPROVER_STATUS_CODE, FLOW_SHOW_STATUS, FLOW_STATUS_CODE, type ApproverRecord, type FlowRecord } from "../core/model";
import type { ActionHandler } from "./context";
import { essbasicAgent, essOperator } from "./identity";
import { flowsByGroupOrIds } from "./lookup";

/** `DescribeFlowInfo` (ess) and `DescribeFlowDetailInfo` (essbasic): the flows' current states. */

const APPROVE_TYPE: Record<ApproverRecord["role"], string> = {
  organization: "ORGANIZATION",
  person: "PERSON",
  autoSign: "ENTERPRISESERVER",
};

function essApprover(a: ApproverRecord): Record<string, unknown> {
  return {
    RecipientId: a.recipientId,
    SignId: a.signId,
    ApproverRoleName: a.roleName,
    ApproveType: APPROVE_TYPE[a.role],
    ApproveName: a.name ?? "",
    Mobile: a.mobile ?? "",
    OrganizationName: a.organizationName ?? "",
    OrganizationId: a.organizationId ?? "",
    ApproveStatus: APPROVER_STATUS_CODE[a.state],
    ApproveMessage: a.message ?? "",
    ApproveTime: a.approveTime ?? 0,
    SignOrder: a.signOrder,
    CustomUserId: "",
    ApproverSource: "",
    CustomApproverTag: "",
  };
}

function essFlow(flow: FlowRecord, creator: string): Record<string, unknown> {
  return {
    FlowId: flow.flowId,
    FlowName: flow.name,
    FlowType: flow.type,
    FlowStatus: FLOW_STATUS_CODE[flow.state],
    FlowMessage: flow.message ?? "",
    FlowDescription: flow.description,
    CreatedOn: flow.createdOn,
    FlowApproverInfos: flow.approvers.map(essApprover),
    CcInfos: [],
    Creator: creator,
  };
}

/** ess `DescribeFlowInfo`: numeric statuses, by group or by flow ids. */
export const describeFlowInfo: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const { group, flows } = flowsByGroupOrIds(body, ctx, owner);
  return {
    FlowDetailInfos: flows.map((f) => essFlow(f, ctx.world.groups.get(f.groupId)?.owner.operatorUserId ?? "")),
    ...(group ? { FlowGroupId: group.groupId, FlowGroupName: group.name } : {}),
  };
};

function essbasicApprover(a: ApproverRecord): Record<string, unknown> {
  return {
    RecipientId: a.recipientId,
    SignId: a.signId,
    ApproverRoleName: a.roleName,
    ApproveType: APPROVE_TYPE[a.role],
    ApproveName: a.name ?? "",
    Mobile: a.mobile ?? "",
    ProxyOrganizationOpenId: a.organizationOpenId ?? "",
    ProxyOperatorOpenId: a.openId ?? "",
    ProxyOrganizationName: a.organizationName ?? "",
    ApproveStatus: a.state,
    ApproveMessage: a.message ?? "",
    ApproveTime: a.approveTime ?? 0,
    SignOrder: a.signOrder,
  };
}

function essbasicFlow(flow: FlowRecord): Record<string, unknown> {
  return {
    FlowId: flow.flowId,
    FlowName: flow.name,
    FlowType: flow.type,
    FlowStatus: FLOW_SHOW_STATUS[flow.state],
    FlowMessage: flow.message ?? "",
    CreateOn: flow.createdOn,
    DeadLine: flow.deadline,
    CustomData: flow.userData,
    FlowApproverInfos: flow.approvers.map(essbasicApprover),
    CcInfos: [],
    NeedCreateReview: false,
  };
}

/** essbasic `DescribeFlowDetailInfo`: word statuses, by group or by flow ids. */
export const describeFlowDetailInfo: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const { group, flows } = flowsByGroupOrIds(body, ctx, owner);
  return {
    ApplicationId: owner.appId,
    ProxyOrganizationOpenId: owner.organizationOpenId,
    FlowInfo: flows.map(essbasicFlow),
    ...(group ? { FlowGroupId: group.groupId, FlowGroupName: group.name } : {}),
  };
};
