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

// ---- the largest valid bodies -------------------------------------------------------------------
//
// What the body limit is set from: 50 flows × each edition's most approvers (ess 50, essbasic 5),
// every string the documents limit at its limit, every approver with two sign components and one
// fill component, and the strings the documents do not limit (names, ComponentExtra, values) at
// generous real sizes. ESS sets no count on components; the body limit is what bounds them.

/** `n` characters of Chinese text (3 UTF-8 bytes each: the largest a limited field can weigh). */
function han(n: number): string {
  return "合".repeat(n);
}

/** Base64 text of exactly `n` characters (n a multiple of 4). */
function base64Of(n: number): string {
  return "QUJD".repeat(n / 4);
}

function largeComponent(type: string, y: number) {
  return place(type, y, { ComponentName: han(20), ComponentExtra: '{"FontSize":12,"Font":"宋体","FontAlign":"Left"}' });
}

function largestEssApprover(flow: number, j: number) {
  if (j === 0) return essApprover(flow, 0);
  const enterprise = j % 2 === 1;
  return {
    ApproverType: enterprise ? 0 : 1,
    ...(enterprise ? { OrganizationName: `${han(60)}${j}` } : {}),
    ApproverName: `${han(20)}${j}`,
    ApproverMobile: mobile(flow, j),
    ApproverRoleName: han(20),
    ApproverEmail: `signer${flow}x${j}@${"e".repeat(40)}.example.com`,
    NotifyType: "SMS",
    CustomApproverTag: han(64),
    SignInstructionContent: han(500),
    ApproverSignTypes: [1, 2, 3],
    ApproverOption: { NoRefuse: true, NoTransfer: true },
    SignComponents: [largeComponent(enterprise ? "SIGN_SEAL" : "SIGN_SIGNATURE", 100 + j * 5), largeComponent("SIGN_DATE", 120 + j * 5)],
    Components: [largeComponent("TEXT", 600 + j * 5)],
  };
}

/** The largest valid CreateFlowGroupByFiles body (see above). */
export function largestEssRequest(now: Date): Record<string, unknown> {
  const deadline = Math.floor(now.getTime() / 1000) + 30 * 86400;
  return {
    Operator: { UserId: resourceId("user", 1) },
    FlowGroupName: han(200),
    FlowGroupInfos: Array.from({ length: FLOWS }, (_, i) => ({
      FlowName: han(200),
      FileIds: [resourceId("file", i)],
      FlowType: han(200),
      FlowDescription: han(1000),
      Deadline: deadline,
      UserData: base64Of(20_480),
      Unordered: true,
      Components: [{ ...largeComponent("TEXT", 700), ComponentValue: han(50) }],
      Approvers: Array.from({ length: 50 }, (_, j) => largestEssApprover(i, j)),
    })),
    FlowGroupOptions: { SelfOrganizationApproverNotifyType: "sms", OtherApproverNotifyType: "sms" },
  };
}

function largestEssbasicApprover(flow: number, j: number) {
  if (j === 0) return essbasicApprover(flow, 0);
  const enterprise = j < 3;
  return {
    ApproverType: enterprise ? "ORGANIZATION" : "PERSON",
    ...(enterprise
      ? {
          OrganizationName: `${han(60)}${j}`,
          OrganizationOpenId: `${"o".repeat(62)}${j}`,
          OpenId: `${"s".repeat(60)}${flow}x${j}`.slice(-64),
        }
      : {
          Intention: {
            IntentionType: 1,
            IntentionQuestions: Array.from({ length: 10 }, () => ({ Question: han(250), Answers: [han(50)] })),
            IntentionActions: Array.from({ length: 10 }, () => ({ Text: han(150) })),
          },
        }),
    Name: `${han(20)}${j}`,
    Mobile: mobile(flow, j),
    ApproverRoleName: han(20),
    ApproverEmail: `signer${flow}x${j}@${"e".repeat(40)}.example.com`,
    ApproverSignTypes: [1, 2, 3],
    ApproverOption: { NoRefuse: true },
    SignComponents: [largeComponent(enterprise ? "SIGN_SEAL" : "SIGN_SIGNATURE", 100 + j * 50), largeComponent("SIGN_DATE", 120 + j * 50)],
    Components: [largeComponent("TEXT", 600 + j * 10)],
  };
}

/** The largest valid ChannelCreateFlowGroupByFiles body (see above). */
export function largestEssbasicRequest(now: Date): Record<string, unknown> {
  const deadline = Math.floor(now.getTime() / 1000) + 30 * 86400;
  return {
    Agent: { AppId: resourceId("app", 1), ProxyOrganizationOpenId: "orgInitiator", ProxyOperator: { OpenId: "operator1" } },
    FlowGroupName: han(200),
    FlowFileInfos: Array.from({ length: FLOWS }, (_, i) => ({
      FileIds: [resourceId("file", i)],
      FlowName: han(200),
      FlowType: han(255),
      FlowDescription: han(1000),
      Deadline: deadline,
      CustomerData: "d".repeat(1000),
      Unordered: true,
      Components: [{ ...largeComponent("TEXT", 700), ComponentValue: han(50) }],
      FlowApprovers: Array.from({ length: ESSBASIC_APPROVERS }, (_, j) => largestEssbasicApprover(i, j)),
    })),
  };
}
