/**
 * The largest valid create-group bodies each edition allows: 50 flows; 10 approvers per flow for
 * ess (any more is allowed by ESS up to 50, but 10 is the size the budget is set for) and 5 for
 * essbasic (its maximum), every approver with sign components and fill components. Used by the
 * bench and by a test that keeps them valid.
 */

const FLOWS = 50;
export const ESS_APPROVERS = 10;
export const ESSBASIC_APPROVERS = 5;

/** A fixed 32-character resource id that differs per index. */
function resourceId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(6, "0")}`.padEnd(32, "x").slice(0, 32);
}

/** Unique fictitious mainland mobile per flow and approver (19 range, never issued to a person here). */
function mobile(flow: number, approver: number): string {
  return `199${String(flow * 100 + approver).padStart(8, "0")}`;
}

function place(type: string, y: number, extra: Record<string, unknown> = {}) {
  return {
    ComponentType: type,
    FileIndex: 0,
    ComponentPage: 1,
    ComponentPosX: 100,
    ComponentPosY: y,
    ComponentWidth: 120,
    ComponentHeight: 40,
    ComponentRequired: true,
    ...extra,
  };
}

function fill(y: number) {
  return place("TEXT", y, { ComponentName: `备注${y}`, ComponentExtra: '{"FontSize":12,"Font":"宋体"}' });
}

function essApprover(flow: number, j: number) {
  if (j === 0) {
    return {
      ApproverType: 3,
      OrganizationName: "示例发起方企业",
      SignComponents: [place("SIGN_SEAL", 100, { ComponentValue: resourceId("seal", 1) }), place("SIGN_DATE", 150)],
    };
  }
  const enterprise = j < 5;
  return {
    ApproverType: enterprise ? 0 : 1,
    ...(enterprise ? { OrganizationName: `示例企业${j}` } : {}),
    ApproverName: `签署人${j}`,
    ApproverMobile: mobile(flow, j),
    ApproverRoleName: `角色_${j}`,
    NotifyType: "SMS",
    ApproverSignTypes: [1, 2, 3],
    ApproverOption: { NoRefuse: true, NoTransfer: true },
    SignComponents: [
      place(enterprise ? "SIGN_SEAL" : "SIGN_SIGNATURE", 100 + j * 50, { ComponentExtra: '{"Opacity":0.8}' }),
      place("SIGN_DATE", 120 + j * 50, { ComponentExtra: '{"Format":"yyyy-m-d","FontSize":12}' }),
    ],
    Components: [fill(600 + j * 10)],
  };
}

/** A maximal valid CreateFlowGroupByFiles body whose deadlines are after `now`. */
export function maximalEssRequest(now: Date): Record<string, unknown> {
  const deadline = Math.floor(now.getTime() / 1000) + 30 * 86400;
  return {
    Operator: { UserId: resourceId("user", 1) },
    FlowGroupName: "最大合同组_基准",
    FlowGroupInfos: Array.from({ length: FLOWS }, (_, i) => ({
      FlowName: `子合同_${i}`,
      FileIds: [resourceId("file", i)],
      FlowType: "采购合同",
      FlowDescription: `第${i}份子合同`,
      Deadline: deadline,
      UserData: Buffer.from(`order-${i}`).toString("base64"),
      Unordered: true,
      Components: [place("TEXT", 700, { ComponentName: "合同编号", ComponentValue: `NO${i}` })],
      Approvers: Array.from({ length: ESS_APPROVERS }, (_, j) => essApprover(i, j)),
    })),
    FlowGroupOptions: { SelfOrganizationApproverNotifyType: "sms", OtherApproverNotifyType: "sms" },
  };
}

function essbasicApprover(flow: number, j: number) {
  if (j === 0) {
    return {
      ApproverType: "ENTERPRISESERVER",
      OrganizationName: "示例发起方企业",
      OrganizationOpenId: "orgInitiator",
      SignComponents: [place("SIGN_SEAL", 100, { ComponentValue: resourceId("seal", 1) }), place("SIGN_DATE", 150)],
    };
  }
  const enterprise = j < 3;
  return {
    ApproverType: enterprise ? "ORGANIZATION" : "PERSON",
    ...(enterprise ? { OrganizationName: `示例企业${j}`, OrganizationOpenId: `org${j}`, OpenId: `staff${flow}x${j}` } : {}),
    Name: `签署人${j}`,
    Mobile: mobile(flow, j),
    ApproverRoleName: `角色_${j}`,
    ApproverSignTypes: [1, 2, 3],
    ApproverOption: { NoRefuse: true },
    SignComponents: [
      place(enterprise ? "SIGN_SEAL" : "SIGN_SIGNATURE", 100 + j * 50, { ComponentExtra: '{"Opacity":0.8}' }),
      place("SIGN_DATE", 120 + j * 50, { ComponentExtra: '{"Format":"yyyy-m-d","FontSize":12}' }),
    ],
    Components: [fill(600 + j * 10)],
  };
}

/** A maximal valid ChannelCreateFlowGroupByFiles body whose deadlines are after `now`. */
export function maximalEssbasicRequest(now: Date): Record<string, unknown> {
  const deadline = Math.floor(now.getTime() / 1000) + 30 * 86400;
  return {
    Agent: { AppId: resourceId("app", 1), ProxyOrganizationOpenId: "orgInitiator", ProxyOperator: { OpenId: "operator1" } },
    FlowGroupName: "最大合同组_基准",
    FlowFileInfos: Array.from({ length: FLOWS }, (_, i) => ({
      FileIds: [resourceId("file", i)],
      FlowName: `子合同_${i}`,
      FlowType: "采购合同",
      FlowDescription: `第${i}份子合同`,
      Deadline: deadline,
      CustomerData: `order-${i}`,
      Unordered: true,
      Components: [place("TEXT", 700, { ComponentName: "合同编号", ComponentValue: `NO${i}` })],
      FlowApprovers: Array.from({ length: ESSBASIC_APPROVERS }, (_, j) => essbasicApprover(i, j)),
    })),
  };
}
