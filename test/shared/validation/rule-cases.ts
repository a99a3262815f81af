import type { Edition } from "../../../shared/ess/edition";
import type { RuleId } from "../../../shared/validation/rules";
import { approverOf, approverPath, type Body, component, ess, essbasic, FIXTURES, type Fixture, flowOf, flowPath, NOW_S } from "./fixtures";

/**
 * One row per rule and edition: a change that keeps the base body valid, a change that breaks the
 * rule, and the exact Path and Code the break must produce (as an error or, for warning rules, as
 * a warning). The invalid change must produce that finding and no other error.
 */
export interface RuleCase {
  rule: RuleId;
  edition: Edition;
  path: string;
  code: string;
  valid: (b: Body) => void;
  invalid: (b: Body) => void;
}

type Row = Omit<RuleCase, "rule" | "edition">;

const rows: RuleCase[] = [];

/** A rule both editions share: one definition, a row per edition. */
function both(rule: RuleId, make: (fx: Fixture) => Row): void {
  for (const fx of FIXTURES) rows.push({ rule, edition: fx.edition, ...make(fx) });
}

function only(rule: RuleId, fx: Fixture, row: Row): void {
  rows.push({ rule, edition: fx.edition, ...row });
}

const chars = (n: number, c = "合") => c.repeat(n);
const id32 = (c = "a") => c.repeat(32);

/** Replaces flow 0's initiator components with one TEXT component. */
function initiatorComponent(fx: Fixture, b: Body, more: Record<string, unknown>): void {
  flowOf(fx, b, 0).Components = [component("TEXT", more)];
}
const initiatorPath = (fx: Fixture, field: string) => `${flowPath(fx, 0)}.Components[0].${field}`;
const enterpriseSign = (fx: Fixture, b: Body): Body => approverOf(fx, b, "enterprise").SignComponents[0];
const enterpriseSignPath = (fx: Fixture, field: string) => `${approverPath(fx, "enterprise")}.SignComponents[0].${field}`;
const setExtra = (c: Body, extra: unknown) => {
  c.ComponentExtra = JSON.stringify(extra);
};
const personApprover = (fx: Fixture, n: number): Body => ({
  ApproverType: fx.types.person,
  [fx.name]: `签署人${n}`,
  [fx.mobile]: `139${String(n).padStart(8, "0")}`,
  SignComponents: [component("SIGN_SIGNATURE")],
});

// ---- generic rules ---------------------------------------------------------------------------

both("unknown-field", (fx) => ({
  path: `${flowPath(fx, 0)}.Unorderd`,
  code: "UnknownParameter",
  valid: (b) => void (flowOf(fx, b, 0).Unordered = false),
  invalid: (b) => void (flowOf(fx, b, 0).Unorderd = false),
}));
both("required-field", (fx) => ({
  path: `${flowPath(fx, 0)}.FlowName`,
  code: "MissingParameter.FlowName",
  valid: (b) => void (flowOf(fx, b, 0).FlowName = "采购合同_1"),
  invalid: (b) => void delete flowOf(fx, b, 0).FlowName,
}));
both("field-type", (fx) => ({
  path: `${flowPath(fx, 0)}.Unordered`,
  code: "InvalidParameter.Unordered",
  valid: (b) => void (flowOf(fx, b, 0).Unordered = false),
  invalid: (b) => void (flowOf(fx, b, 0).Unordered = "true"),
}));
only("deprecated-field", ess, {
  path: "FlowGroupInfos[1].CallbackUrl",
  code: "InvalidParameter.FlowCallbackUrl",
  valid: (b) => void delete b.FlowGroupInfos[1].CallbackUrl,
  invalid: () => undefined, // ess example 1 itself sends CallbackUrl ""
});
only("deprecated-field", essbasic, {
  path: "FlowFileInfos[0].CallbackUrl",
  code: "InvalidParameter.FlowCallbackUrl",
  valid: () => undefined,
  invalid: (b) => void (b.FlowFileInfos[0].CallbackUrl = ""),
});
both("embedded-only-field", (fx) => ({
  path: enterpriseSignPath(fx, "LockComponentValue"),
  code: "InvalidParameter.LockComponentValue",
  valid: () => undefined,
  invalid: (b) => void (enterpriseSign(fx, b).LockComponentValue = true),
}));
both("sign-bean-tag-only-field", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverOption.ForbidAddSignDate`,
  code: "InvalidParameter.ForbidAddSignDate",
  valid: (b) => void (approverOf(fx, b, "person").ApproverOption = { NoRefuse: true }),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverOption = { ForbidAddSignDate: true }),
}));
both("not-yet-used-field", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentDateFontSize"),
  code: "InvalidParameter.ComponentDateFontSize",
  valid: () => undefined,
  invalid: (b) => void (enterpriseSign(fx, b).ComponentDateFontSize = 12),
}));
both("output-only-field", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentRecipientId"),
  code: "InvalidParameter.ComponentRecipientId",
  valid: () => undefined,
  invalid: (b) => void (enterpriseSign(fx, b).ComponentRecipientId = id32()),
}));

// ---- request level ---------------------------------------------------------------------------

both("flow-group-name.length", () => ({
  path: "FlowGroupName",
  code: "InvalidParameter.FlowGroupName",
  valid: (b) => void (b.FlowGroupName = chars(200)),
  invalid: (b) => void (b.FlowGroupName = chars(201)),
}));
both("flow-group-name.charset", () => ({
  path: "FlowGroupName",
  code: "InvalidParameter.FlowGroupName",
  valid: (b) => void (b.FlowGroupName = "采购合同_2024"),
  invalid: (b) => void (b.FlowGroupName = "采购合同-2024"),
}));
both("flows.count", (fx) => ({
  path: fx.flows,
  code: `InvalidParameter.${fx.flows}`,
  valid: (b) => void b[fx.flows].splice(2),
  invalid: (b) => void b[fx.flows].splice(1),
}));
only("agent.proxy-organization-id.required", ess, {
  path: "Agent.ProxyOrganizationId",
  code: "MissingParameter.ProxyOrganizationId",
  valid: (b) => void (b.Agent = { ProxyOrganizationId: id32("p") }),
  invalid: (b) => void (b.Agent = {}),
});
only("agent.proxy-organization-open-id.length", essbasic, {
  path: "Agent.ProxyOrganizationOpenId",
  code: "InvalidParameter.ProxyOrganizationOpenId",
  valid: (b) => void (b.Agent.ProxyOrganizationOpenId = "o".repeat(64)),
  invalid: (b) => void (b.Agent.ProxyOrganizationOpenId = "o".repeat(65)),
});
only("agent.proxy-operator-open-id.length", essbasic, {
  path: "Agent.ProxyOperator.OpenId",
  code: "InvalidParameter.OpenId",
  valid: (b) => void (b.Agent.ProxyOperator.OpenId = "k".repeat(64)),
  invalid: (b) => void (b.Agent.ProxyOperator.OpenId = "k".repeat(65)),
});
only("approver-verify-type.enum", ess, {
  path: "FlowGroupOptions.ApproverVerifyType",
  code: "InvalidParameter.ApproverVerifyType",
  valid: (b) => void (b.FlowGroupOptions = { ApproverVerifyType: "MobileCheck" }),
  invalid: (b) => void (b.FlowGroupOptions = { ApproverVerifyType: "SmsCheck" }),
});
only("approver-verify-type.enum", essbasic, {
  path: "ApproverVerifyType",
  code: "InvalidParameter.ApproverVerifyType",
  valid: (b) => void (b.ApproverVerifyType = "VerifyCheck"),
  invalid: (b) => void (b.ApproverVerifyType = "FaceCheck"),
});
only("flow-group-options.notify-type.enum", ess, {
  path: "FlowGroupOptions.OtherApproverNotifyType",
  code: "InvalidParameter.NotifyType",
  valid: (b) => void (b.FlowGroupOptions = { OtherApproverNotifyType: "none" }),
  invalid: (b) => void (b.FlowGroupOptions = { OtherApproverNotifyType: "email" }),
});
both("seal-size-policy.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverOption.AddSignComponentUseSealSize`,
  code: "InvalidParameter.AddSignComponentUseSealSize",
  valid: (b) => void (approverOf(fx, b, "person").ApproverOption = { AddSignComponentUseSealSize: 3 }),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverOption = { AddSignComponentUseSealSize: 4 }),
}));
only("user-flow-type.overrides-flow-type", ess, {
  path: "FlowGroupInfos[0].FlowType",
  code: "InvalidParameter.FlowType",
  valid: (b) => {
    b.UserFlowType = { Name: "人事/劳务" };
    delete b.FlowGroupInfos[0].FlowType;
  },
  invalid: (b) => void (b.UserFlowType = { Name: "人事/劳务" }),
});

// ---- flow level ------------------------------------------------------------------------------

both("flow-name.length", (fx) => ({
  path: `${flowPath(fx, 0)}.FlowName`,
  code: "InvalidParameter.FlowName",
  valid: (b) => void (flowOf(fx, b, 0).FlowName = chars(200)),
  invalid: (b) => void (flowOf(fx, b, 0).FlowName = chars(201)),
}));
only("flow-name.charset", ess, {
  path: "FlowGroupInfos[1].FlowName",
  code: "InvalidParameter.FlowName",
  valid: (b) => void (b.FlowGroupInfos[1].FlowName = "子合同_2"),
  invalid: (b) => void (b.FlowGroupInfos[1].FlowName = "子合同 2"),
});
both("file-ids.single", (fx) => ({
  path: `${flowPath(fx, 0)}.FileIds`,
  code: "InvalidParameter.FlowFileIds",
  valid: (b) => void (flowOf(fx, b, 0).FileIds = [id32("f")]),
  invalid: (b) => void (flowOf(fx, b, 0).FileIds = [id32("f"), id32("g")]),
}));
only("file-id.length", ess, {
  path: "FlowGroupInfos[0].FileIds[0]",
  code: "InvalidParameter.FlowFileIds",
  valid: (b) => void (b.FlowGroupInfos[0].FileIds = [id32("f")]),
  invalid: (b) => void (b.FlowGroupInfos[0].FileIds = ["f".repeat(31)]),
});
only("template-id.length", ess, {
  path: "FlowGroupInfos[0].TemplateId",
  code: "InvalidParameter.TemplateId",
  valid: (b) => void (b.FlowGroupInfos[0].TemplateId = id32("t")),
  invalid: (b) => void (b.FlowGroupInfos[0].TemplateId = "t".repeat(10)),
});
both("flow-type.length", (fx) => {
  const max = fx.edition === "ess" ? 200 : 255;
  return {
    path: `${flowPath(fx, 0)}.FlowType`,
    code: "InvalidParameter.FlowType",
    valid: (b) => void (flowOf(fx, b, 0).FlowType = chars(max)),
    invalid: (b) => void (flowOf(fx, b, 0).FlowType = chars(max + 1)),
  };
});
both("flow-description.length", (fx) => ({
  path: `${flowPath(fx, 0)}.FlowDescription`,
  code: "InvalidParameter.FlowDescription",
  valid: (b) => void (flowOf(fx, b, 0).FlowDescription = chars(1000)),
  invalid: (b) => void (flowOf(fx, b, 0).FlowDescription = chars(1001)),
}));
both("deadline.integer", (fx) => ({
  path: `${flowPath(fx, 0)}.Deadline`,
  code: "InvalidParameter.FlowDeadLine",
  valid: (b) => void (flowOf(fx, b, 0).Deadline = NOW_S + 86_400),
  invalid: (b) => void (flowOf(fx, b, 0).Deadline = NOW_S + 86_400.5),
}));
both("deadline.future", (fx) => ({
  path: `${flowPath(fx, 0)}.Deadline`,
  code: "InvalidParameter.FlowDeadLine",
  valid: (b) => void (flowOf(fx, b, 0).Deadline = NOW_S + 60),
  invalid: (b) => void (flowOf(fx, b, 0).Deadline = NOW_S),
}));
only("deadline.max", essbasic, {
  path: "FlowFileInfos[0].Deadline",
  code: "InvalidParameter.FlowDeadLine",
  valid: (b) => void (b.FlowFileInfos[0].Deadline = 33162419560),
  invalid: (b) => void (b.FlowFileInfos[0].Deadline = 33162419561),
});
only("deadline.seconds", ess, {
  path: "FlowGroupInfos[0].Deadline",
  code: "InvalidParameter.FlowDeadLine",
  valid: (b) => void (b.FlowGroupInfos[0].Deadline = NOW_S + 86_400),
  invalid: (b) => void (b.FlowGroupInfos[0].Deadline = (NOW_S + 86_400) * 1000),
});
only("user-data.base64", ess, {
  path: "FlowGroupInfos[0].UserData",
  code: "InvalidParameter.FlowUserData",
  valid: (b) => void (b.FlowGroupInfos[0].UserData = Buffer.from("订单123").toString("base64")),
  invalid: (b) => void (b.FlowGroupInfos[0].UserData = "订单123"),
});
only("user-data.length", ess, {
  path: "FlowGroupInfos[0].UserData",
  code: "InvalidParameter.FlowUserData",
  valid: (b) => void (b.FlowGroupInfos[0].UserData = "A".repeat(20480)),
  invalid: (b) => void (b.FlowGroupInfos[0].UserData = "A".repeat(20484)),
});
only("customer-data.length", essbasic, {
  path: "FlowFileInfos[0].CustomerData",
  code: "InvalidParameter.CustomerData",
  valid: (b) => void (b.FlowFileInfos[0].CustomerData = "d".repeat(1000)),
  invalid: (b) => void (b.FlowFileInfos[0].CustomerData = "d".repeat(1001)),
});
only("auto-sign-scene.enum", ess, {
  path: "FlowGroupInfos[0].AutoSignScene",
  code: "InvalidParameter.AutoSignScene",
  valid: (b) => void (b.FlowGroupInfos[0].AutoSignScene = "E_PRESCRIPTION_AUTO_SIGN"),
  invalid: (b) => void (b.FlowGroupInfos[0].AutoSignScene = "PRESCRIPTION"),
});
only("auto-sign-scene.required", ess, {
  path: "FlowGroupInfos[2].AutoSignScene",
  code: "InvalidParameter.PersonAutoSignTag",
  valid: (b) => {
    b.FlowGroupInfos[2].Approvers[1].ApproverType = 7;
    b.FlowGroupInfos[2].AutoSignScene = "E_PRESCRIPTION_AUTO_SIGN";
  },
  invalid: (b) => void (b.FlowGroupInfos[2].Approvers[1].ApproverType = 7),
});
both("flow-display-type.enum", (fx) => ({
  path: `${flowPath(fx, 0)}.FlowDisplayType`,
  code: "InvalidParameter.FlowDisplayType",
  valid: (b) => void (flowOf(fx, b, 0).FlowDisplayType = 3),
  invalid: (b) => void (flowOf(fx, b, 0).FlowDisplayType = 4),
}));
only("cc.forbidden", ess, {
  path: "FlowGroupInfos[0].CcInfos",
  code: "OperationDenied.CcForbid",
  valid: (b) => void (b.FlowGroupInfos[0].CcInfos = []),
  invalid: (b) => void (b.FlowGroupInfos[0].CcInfos = [{ Name: "抄送人", Mobile: "13900000009" }]),
});
only("approvers.non-empty", ess, {
  path: "FlowGroupInfos[0].Approvers",
  code: "MissingParameter.FlowApprover",
  valid: (b) => void b.FlowGroupInfos[0].Approvers.splice(1),
  invalid: (b) => void (b.FlowGroupInfos[0].Approvers = []),
});
only("approvers.non-empty", essbasic, {
  path: "FlowFileInfos[0].FlowApprovers",
  code: "InvalidParameter.FlowApprovers",
  valid: (b) => void b.FlowFileInfos[0].FlowApprovers.splice(1),
  invalid: (b) => void (b.FlowFileInfos[0].FlowApprovers = []),
});
both("approvers.max", (fx) => {
  const max = fx.edition === "ess" ? 50 : 5;
  const fill = (b: Body, n: number) => {
    flowOf(fx, b, 2)[fx.approvers] = Array.from({ length: n }, (_, i) => personApprover(fx, i));
  };
  return {
    path: `${flowPath(fx, 2)}.${fx.approvers}`,
    code: fx.edition === "ess" ? "InvalidParameter.Approvers" : "InvalidParameter.FlowApprovers",
    valid: (b) => fill(b, max),
    invalid: (b) => fill(b, max + 1),
  };
});
only("custom-show-map.placeholders", essbasic, {
  path: "FlowFileInfos[0].CustomShowMap",
  code: "InvalidParameter.CustomShowMap",
  valid: (b) => void (b.FlowFileInfos[0].CustomShowMap = "{合同名称}：{发起方企业}与{签署方2姓名}"),
  invalid: (b) => void (b.FlowFileInfos[0].CustomShowMap = "{合同名称}：{签署方3姓名}"),
});
both("initiator-component.value-required", (fx) => ({
  path: initiatorPath(fx, "ComponentValue"),
  code: "InvalidParameter.MissingRequiredComponentValue",
  valid: (b) => initiatorComponent(fx, b, { ComponentRequired: true, ComponentValue: "NO.2024-001" }),
  invalid: (b) => initiatorComponent(fx, b, { ComponentRequired: true }),
}));

// ---- approver level --------------------------------------------------------------------------

only("approver-type.enum", ess, {
  path: "FlowGroupInfos[1].Approvers[0].ApproverType",
  code: "InvalidParameter.ApproverType",
  valid: (b) => void (b.FlowGroupInfos[1].Approvers[0].ApproverType = "0"),
  invalid: (b) => void (b.FlowGroupInfos[1].Approvers[0].ApproverType = 2),
});
only("approver-type.enum", essbasic, {
  path: "FlowFileInfos[1].FlowApprovers[0].ApproverType",
  code: "InvalidParameter.ApproverType",
  valid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].ApproverType = "ORGANIZATION"),
  invalid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].ApproverType = "COMPANY"),
});
only("organization-name.required", ess, {
  path: "FlowGroupInfos[1].Approvers[0].OrganizationName",
  code: "MissingParameter.ApproverOrganizationInfo",
  valid: (b) => void (b.FlowGroupInfos[1].Approvers[0].OrganizationName = "典子谦示例企业"),
  invalid: (b) => void delete b.FlowGroupInfos[1].Approvers[0].OrganizationName,
});
both("organization-name.parentheses", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.OrganizationName`,
  code: "InvalidParameter.OrganizationName",
  valid: (b) => void (approverOf(fx, b, "enterprise").OrganizationName = "示例企业（北京）"),
  invalid: (b) => void (approverOf(fx, b, "enterprise").OrganizationName = "示例企业(北京)"),
}));
only("person.no-organization-name", ess, {
  path: "FlowGroupInfos[2].Approvers[1].OrganizationName",
  code: "OperationDenied.ErrNoSupportIndividualHasOrganizationName",
  valid: (b) => void (b.FlowGroupInfos[2].Approvers[1].OrganizationName = ""),
  invalid: (b) => void (b.FlowGroupInfos[2].Approvers[1].OrganizationName = "王五示例企业"),
});
both("approver-name.required", (fx) => ({
  path: `${approverPath(fx, "person")}.${fx.name}`,
  code: "MissingParameter.ApproverName",
  valid: (b) => {
    const a = approverOf(fx, b, "person");
    delete a[fx.name];
    delete a[fx.mobile];
    a.ApproverOption = { FillType: 1 };
  },
  invalid: (b) => void delete approverOf(fx, b, "person")[fx.name],
}));
both("approver-mobile.required", (fx) => ({
  path: `${approverPath(fx, "person")}.${fx.mobile}`,
  code: "MissingParameter.ApproverMobile",
  valid: (b) => {
    const a = approverOf(fx, b, "person");
    delete a[fx.mobile];
    a.ApproverOption = { FillType: 1 };
  },
  invalid: (b) => void (approverOf(fx, b, "person")[fx.mobile] = ""),
}));
both("mobile.format", (fx) => ({
  path: `${approverPath(fx, "person")}.${fx.mobile}`,
  code: fx.edition === "ess" ? "InvalidParameter.Mobile" : "InvalidParameter.NonsupportMobile",
  valid: (b) => void (approverOf(fx, b, "person")[fx.mobile] = "19900000001"),
  invalid: (b) => void (approverOf(fx, b, "person")[fx.mobile] = fx.edition === "ess" ? "1320000000" : "+8613200000000"),
}));
both("id-card-type.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.${fx.idType}`,
  code: "InvalidParameter.CardType",
  valid: (b) => Object.assign(approverOf(fx, b, "person"), { [fx.idType]: "HONGKONG_AND_MACAO", [fx.idNumber]: "H1234567890" }),
  invalid: (b) => void (approverOf(fx, b, "person")[fx.idType] = "PASSPORT"),
}));
both("id-card-number.format", (fx) => ({
  path: `${approverPath(fx, "person")}.${fx.idNumber}`,
  code: "InvalidParameter.CardNumber",
  valid: (b) => void (approverOf(fx, b, "person")[fx.idNumber] = "11010519491231002X"),
  invalid: (b) => void (approverOf(fx, b, "person")[fx.idNumber] = "11010519491231002x"),
}));
both("notify-type.enum", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.NotifyType`,
  code: "InvalidParameter.NotifyType",
  valid: (b) =>
    Object.assign(
      approverOf(fx, b, "enterprise"),
      { NotifyType: "NONE" },
      fx.edition === "essbasic" ? { NotChannelOrganization: true } : {},
    ),
  invalid: (b) => void (approverOf(fx, b, "enterprise").NotifyType = "WECHAT"),
}));
only("notify-type.not-channel-only", essbasic, {
  path: "FlowFileInfos[2].FlowApprovers[1].NotifyType",
  code: "InvalidParameter.NotifyType",
  valid: (b) => Object.assign(b.FlowFileInfos[1].FlowApprovers[0], { NotifyType: "SMS", NotChannelOrganization: true }),
  invalid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].NotifyType = "SMS"),
});
only("not-channel-organization.organization-only", essbasic, {
  path: "FlowFileInfos[2].FlowApprovers[1].NotChannelOrganization",
  code: "InvalidParameter.NotChannelOrganization",
  valid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].NotChannelOrganization = true),
  invalid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].NotChannelOrganization = true),
});
only("approver-role.enum", ess, {
  path: "FlowGroupInfos[2].Approvers[1].ApproverRole",
  code: "InvalidParameter.ApproverRole",
  valid: (b) => void (b.FlowGroupInfos[2].Approvers[1].ApproverRole = 3),
  invalid: (b) => void (b.FlowGroupInfos[2].Approvers[1].ApproverRole = 4),
});
both("approver-role-name.length", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverRoleName`,
  code: "InvalidParameter.ApproverRoleName",
  valid: (b) => void (approverOf(fx, b, "person").ApproverRoleName = chars(20, "乙")),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverRoleName = chars(21, "乙")),
}));
both("approver-role-name.charset", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverRoleName`,
  code: "InvalidParameter.ApproverRoleName",
  valid: (b) => void (approverOf(fx, b, "person").ApproverRoleName = "乙方_1"),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverRoleName = "乙方-1"),
}));
both("pre-read-time.range", (fx) => ({
  path: `${approverPath(fx, "person")}.PreReadTime`,
  code: "InvalidParameter.PreReadTime",
  valid: (b) => void (approverOf(fx, b, "person").PreReadTime = 300),
  invalid: (b) => void (approverOf(fx, b, "person").PreReadTime = 301),
}));
only("approver-source.enum", ess, {
  path: "FlowGroupInfos[1].Approvers[0].ApproverSource",
  code: "InvalidParameter.ApproverSource",
  valid: (b) => void (b.FlowGroupInfos[1].Approvers[0].ApproverSource = "WEWORKAPP"),
  invalid: (b) => void (b.FlowGroupInfos[1].Approvers[0].ApproverSource = "DINGTALK"),
});
only("custom-approver-tag.length", ess, {
  path: "FlowGroupInfos[1].Approvers[0].CustomApproverTag",
  code: "InvalidParameter.CustomApproverTag",
  valid: (b) => void (b.FlowGroupInfos[1].Approvers[0].CustomApproverTag = "t".repeat(64)),
  invalid: (b) => void (b.FlowGroupInfos[1].Approvers[0].CustomApproverTag = "t".repeat(65)),
});
both("approver-verify-types.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverVerifyTypes[1]`,
  code: "InvalidParameter.ApproverVerifyTypes",
  valid: (b) => void (approverOf(fx, b, "person").ApproverVerifyTypes = [1, 2]),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverVerifyTypes = [1, 3]),
}));
both("approver-verify-types.overridden", (fx) => {
  const groupLevel = (b: Body) => {
    if (fx.edition === "ess") b.FlowGroupOptions = { ApproverVerifyType: "MobileCheck" };
    else b.ApproverVerifyType = "MobileCheck";
  };
  return {
    path: `${approverPath(fx, "person")}.ApproverVerifyTypes`,
    code: "InvalidParameter.ApproverVerifyTypes",
    valid: (b) => groupLevel(b),
    invalid: (b) => {
      groupLevel(b);
      approverOf(fx, b, "person").ApproverVerifyTypes = [2];
    },
  };
});
both("approver-sign-types.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverSignTypes[0]`,
  code: "InvalidParameter.ApproverSignTypes",
  valid: (b) => void (approverOf(fx, b, "person").ApproverSignTypes = [1, 5]),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverSignTypes = [4]),
}));
both("approver-sign-types.not-only-device", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverSignTypes`,
  code: "InvalidParameter.ApproverSignTypes",
  valid: (b) => void (approverOf(fx, b, "person").ApproverSignTypes = [5, 6, 2]),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverSignTypes = [5, 6]),
}));
only("sign-instruction.length", ess, {
  path: "FlowGroupInfos[2].Approvers[1].SignInstructionContent",
  code: "InvalidParameter.SignInstructionContent",
  valid: (b) => void (b.FlowGroupInfos[2].Approvers[1].SignInstructionContent = chars(500, "须")),
  invalid: (b) => void (b.FlowGroupInfos[2].Approvers[1].SignInstructionContent = chars(501, "须")),
});
both("approver-deadline.unsupported", (fx) => ({
  path: `${approverPath(fx, "person")}.Deadline`,
  code: "InvalidParameter.Deadline",
  valid: (b) => void (flowOf(fx, b, 2).Deadline = NOW_S + 86_400),
  invalid: (b) => void (approverOf(fx, b, "person").Deadline = NOW_S + 86_400),
}));
both("sign-endpoints.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.SignEndpoints[0]`,
  code: "InvalidParameter.SignEndpoints",
  valid: (b) => void (approverOf(fx, b, "person").SignEndpoints = ["link"]),
  invalid: (b) => void (approverOf(fx, b, "person").SignEndpoints = ["sms"]),
}));
both("approver-email.format", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverEmail`,
  code: "InvalidParameter.ApproverEmail",
  valid: (b) => void (approverOf(fx, b, "person").ApproverEmail = "signer@example.com"),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverEmail = "signer@example"),
}));
only("open-id.format", essbasic, {
  path: "FlowFileInfos[1].FlowApprovers[0].OpenId",
  code: "InvalidParameter.OpenId",
  valid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].OpenId = "A1".repeat(32)),
  invalid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].OpenId = "lisi_01"),
});
only("organization-open-id.length", essbasic, {
  path: "FlowFileInfos[1].FlowApprovers[0].OrganizationOpenId",
  code: "InvalidParameter.OrganizationOpenId",
  valid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].OrganizationOpenId = "o".repeat(64)),
  invalid: (b) => void (b.FlowFileInfos[1].FlowApprovers[0].OrganizationOpenId = "o".repeat(65)),
});
only("component-limit-type.enum", essbasic, {
  path: "FlowFileInfos[2].FlowApprovers[1].ComponentLimitType[1]",
  code: "InvalidParameter.ComponentLimitType",
  valid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].ComponentLimitType = ["SYSTEM_ESIGN", "IMG_ESIGN"]),
  invalid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].ComponentLimitType = ["SYSTEM_ESIGN", "FINGERPRINT"]),
});
only("sign-type-selector.enum", essbasic, {
  path: "FlowFileInfos[2].FlowApprovers[1].SignTypeSelector",
  code: "InvalidParameter.SignTypeSelector",
  valid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].SignTypeSelector = 1),
  invalid: (b) => void (b.FlowFileInfos[2].FlowApprovers[1].SignTypeSelector = 2),
});
const intention = (b: Body, value: Body) => void (b.FlowFileInfos[2].FlowApprovers[1].Intention = value);
const INTENTION = "FlowFileInfos[2].FlowApprovers[1].Intention";
only("intention-type.enum", essbasic, {
  path: `${INTENTION}.IntentionType`,
  code: "InvalidParameter.IntentionType",
  valid: (b) => intention(b, { IntentionType: 2 }),
  invalid: (b) => intention(b, { IntentionType: 3 }),
});
only("intention-questions.count", essbasic, {
  path: `${INTENTION}.IntentionQuestions`,
  code: "InvalidParameter.IntentionQuestions",
  valid: (b) =>
    intention(b, { IntentionType: 1, IntentionQuestions: Array.from({ length: 10 }, () => ({ Question: "同意吗？", Answers: ["同意"] })) }),
  invalid: (b) =>
    intention(b, { IntentionType: 1, IntentionQuestions: Array.from({ length: 11 }, () => ({ Question: "同意吗？", Answers: ["同意"] })) }),
});
only("intention-question.length", essbasic, {
  path: `${INTENTION}.IntentionQuestions[0].Question`,
  code: "InvalidParameter.Question",
  valid: (b) => intention(b, { IntentionQuestions: [{ Question: chars(250, "问") }] }),
  invalid: (b) => intention(b, { IntentionQuestions: [{ Question: chars(251, "问") }] }),
});
only("intention-actions.count", essbasic, {
  path: `${INTENTION}.IntentionActions`,
  code: "InvalidParameter.IntentionActions",
  valid: (b) => intention(b, { IntentionType: 2, IntentionActions: Array.from({ length: 10 }, () => ({ Text: "请点头" })) }),
  invalid: (b) => intention(b, { IntentionType: 2, IntentionActions: Array.from({ length: 11 }, () => ({ Text: "请点头" })) }),
});
only("intention-action-text.length", essbasic, {
  path: `${INTENTION}.IntentionActions[0].Text`,
  code: "InvalidParameter.Text",
  valid: (b) => intention(b, { IntentionActions: [{ Text: chars(150, "点") }] }),
  invalid: (b) => intention(b, { IntentionActions: [{ Text: chars(151, "点") }] }),
});
only("intention-speed.enum", essbasic, {
  path: `${INTENTION}.RuleIdConfig.Speed`,
  code: "InvalidParameter.Speed",
  valid: (b) => intention(b, { RuleIdConfig: { Speed: 3 } }),
  invalid: (b) => intention(b, { RuleIdConfig: { Speed: 4 } }),
});
both("fill-type.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverOption.FillType`,
  code: "InvalidParameter.FillType",
  valid: (b) => void (approverOf(fx, b, "person").ApproverOption = { FillType: 0 }),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverOption = { FillType: 2 }),
}));
both("flow-read-limit.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverOption.FlowReadLimit`,
  code: "InvalidParameter.FlowReadLimit",
  valid: (b) => void (approverOf(fx, b, "person").ApproverOption = { FlowReadLimit: "LimitReadTimeAndBottom" }),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverOption = { FlowReadLimit: "LimitNothing" }),
}));
both("approver-mobile-mode.enum", (fx) => ({
  path: `${approverPath(fx, "person")}.ApproverOption.ApproverMobileMode`,
  code: "InvalidParameter.ApproverMobileMode",
  valid: (b) => void (approverOf(fx, b, "person").ApproverOption = { ApproverMobileMode: "VALIDATE" }),
  invalid: (b) => void (approverOf(fx, b, "person").ApproverOption = { ApproverMobileMode: "FORCE" }),
}));
const limits = (fx: Fixture, b: Body, value: Body) => void (approverOf(fx, b, "enterprise").AddSignComponentsLimits = value);
both("component-limit.type.enum", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.AddSignComponentsLimits[0].ComponentType`,
  code: "InvalidParameter.ComponentType",
  valid: (b) => limits(fx, b, [{ ComponentType: "SIGN_PAGING_SEAL", ComponentValue: ["CONTRACT"] }]),
  invalid: (b) => limits(fx, b, [{ ComponentType: "SIGN_DATE" }]),
}));
both("component-limit.value.enum", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.AddSignComponentsLimits[0].ComponentValue[1]`,
  code: "InvalidParameter.ComponentValue",
  valid: (b) => limits(fx, b, [{ ComponentType: "SIGN_SIGNATURE", ComponentValue: ["HANDWRITE", "OCR_ESIGN"] }]),
  invalid: (b) => limits(fx, b, [{ ComponentType: "SIGN_SIGNATURE", ComponentValue: ["HANDWRITE", "FINANCE"] }]),
}));
both("component-limit.legal-person-value", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.AddSignComponentsLimits[0].ComponentValue`,
  code: "InvalidParameter.ComponentValue",
  valid: (b) => limits(fx, b, [{ ComponentType: "SIGN_LEGAL_PERSON_SEAL" }]),
  invalid: (b) => limits(fx, b, [{ ComponentType: "SIGN_LEGAL_PERSON_SEAL", ComponentValue: ["OFFICIAL"] }]),
}));
const registerInfo = (b: Body, value: Body) => void (b.FlowGroupInfos[1].Approvers[1].RegisterInfo = value);
const REGISTER = "FlowGroupInfos[1].Approvers[1].RegisterInfo";
only("register-info.authorization-types.enum", ess, {
  path: `${REGISTER}.AuthorizationTypes[0]`,
  code: "InvalidParameter.AuthorizationTypes",
  valid: (b) => registerInfo(b, { LegalName: "李四", AuthorizationTypes: [2, 5] }),
  invalid: (b) => registerInfo(b, { LegalName: "李四", AuthorizationTypes: [3] }),
});
only("register-info.authorization-methods.enum", ess, {
  path: `${REGISTER}.AuthorizationMethods[0]`,
  code: "InvalidParameter.AuthorizationMethods",
  valid: (b) => registerInfo(b, { LegalName: "李四", AuthorizationMethods: [1, 2, 3] }),
  invalid: (b) => registerInfo(b, { LegalName: "李四", AuthorizationMethods: [4] }),
});
only("register-info.id-card-type.enum", ess, {
  path: `${REGISTER}.OrganizationIdCardType`,
  code: "InvalidParameter.OrganizationIdCardType",
  valid: (b) => registerInfo(b, { LegalName: "李四", OrganizationIdCardType: "CLINICFILLINGCERTIFICATE" }),
  invalid: (b) => registerInfo(b, { LegalName: "李四", OrganizationIdCardType: "PASSPORT" }),
});
only("register-info-option.needs-value", ess, {
  path: `${REGISTER}.RegisterInfoOption.UnifiedSocialCreditCodeSame`,
  code: "InvalidParameter.UnifiedSocialCreditCodeSame",
  valid: (b) =>
    registerInfo(b, {
      LegalName: "李四",
      UnifiedSocialCreditCode: "91110000600037341L",
      RegisterInfoOption: { UnifiedSocialCreditCodeSame: true },
    }),
  invalid: (b) => registerInfo(b, { LegalName: "李四", RegisterInfoOption: { UnifiedSocialCreditCodeSame: true } }),
});
both("approver.repeat", (fx) => {
  const copyPerson = (b: Body, mobile: string) => {
    const list = flowOf(fx, b, 2)[fx.approvers];
    list.push({ ...structuredClone(list[1]), [fx.mobile]: mobile });
  };
  return {
    path: `${flowPath(fx, 2)}.${fx.approvers}[2]`,
    code: fx.edition === "ess" ? "OperationDenied.ApproverRepeat" : "InvalidParameter.BizApproverAlreadyExists",
    valid: (b) => copyPerson(b, "13900000077"),
    invalid: (b) => copyPerson(b, "13200000000"),
  };
});

// ---- auto-sign approvers ---------------------------------------------------------------------

both("auto-sign.seal-id", (fx) => ({
  path: `${approverPath(fx, "auto")}.SignComponents[0].ComponentValue`,
  code: "MissingParameter.ServerSignSealId",
  valid: (b) => void approverOf(fx, b, "auto").SignComponents.push(component("SIGN_SEAL", { ComponentValue: id32("s") })),
  invalid: (b) => void (approverOf(fx, b, "auto").SignComponents[0].ComponentValue = ""),
}));
only("auto-sign.no-dynamic", ess, {
  path: "FlowGroupInfos[0].Approvers[0].ApproverOption.FillType",
  code: "InvalidParameter.FillType",
  valid: (b) => void (b.FlowGroupInfos[0].Approvers[0].ApproverOption = { NoRefuse: true }),
  invalid: (b) => void (b.FlowGroupInfos[0].Approvers[0].ApproverOption = { FillType: 1 }),
});
only("auto-sign.no-dynamic", essbasic, {
  path: "FlowFileInfos[0].FlowApprovers[0].ApproverOption.FillType",
  code: "InvalidParameter.FillType",
  valid: (b) => void (b.FlowFileInfos[0].FlowApprovers[0].ApproverOption = { NoRefuse: true }),
  invalid: (b) => void (b.FlowFileInfos[0].FlowApprovers[0].ApproverOption = { FillType: 1 }),
});
both("auto-sign.no-fill-components", (fx) => ({
  path: `${approverPath(fx, "auto")}.Components`,
  code: "OperationDenied.ServerSignNoAllowComponent",
  valid: (b) => void (approverOf(fx, b, "auto").Components = []),
  invalid: (b) => void (approverOf(fx, b, "auto").Components = [component("TEXT")]),
}));
both("auto-sign.no-signature", (fx) => ({
  path: `${approverPath(fx, "auto")}.SignComponents[1].ComponentType`,
  code: "OperationDenied.ServerSignNoSupportSignature",
  valid: (b) => void approverOf(fx, b, "auto").SignComponents.push(component("SIGN_DATE")),
  invalid: (b) => void approverOf(fx, b, "auto").SignComponents.push(component("SIGN_SIGNATURE")),
}));

// ---- components ------------------------------------------------------------------------------

both("sign-component-type.enum", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentType"),
  code: "InvalidParameter.SignComponentType",
  valid: (b) => void (enterpriseSign(fx, b).ComponentType = "SIGN_LEGAL_PERSON_SEAL"),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentType = "TEXT"),
}));
both("sign-component-type.person", (fx) => ({
  path: `${approverPath(fx, "person")}.SignComponents[0].ComponentType`,
  code: "InvalidParameter.SignComponentType",
  valid: (b) => void (approverOf(fx, b, "person").SignComponents[0].ComponentType = "SIGN_PAGING_SIGNATURE"),
  invalid: (b) => void (approverOf(fx, b, "person").SignComponents[0].ComponentType = "SIGN_SEAL"),
}));
both("sign-component-type.combination-child", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.SignComponents[1].ComponentType`,
  code: "InvalidParameter.SignComponentType",
  valid: (b) =>
    approverOf(fx, b, "enterprise").SignComponents.push(
      component("SIGN_SELECTOR", { ComponentId: "审批意见" }),
      component("SIGN_VIRTUAL_COMBINATION", { ComponentExtra: JSON.stringify({ Children: ["审批意见"] }) }),
    ),
  invalid: (b) => void approverOf(fx, b, "enterprise").SignComponents.push(component("SIGN_SELECTOR", { ComponentId: "审批意见" })),
}));
both("fill-component-type.enum", (fx) => ({
  path: initiatorPath(fx, "ComponentType"),
  code: fx.edition === "ess" ? "OperationDenied.NoSupportComponentType" : "InvalidParameter.UnsupportedComponentType",
  valid: (b) => void (flowOf(fx, b, 0).Components = [component("DISTRICT")]),
  invalid: (b) => void (flowOf(fx, b, 0).Components = [component("SIGN_SEAL")]),
}));
both("watermark.initiator-only", (fx) => ({
  path: `${approverPath(fx, "person")}.Components[0].ComponentType`,
  code: fx.edition === "ess" ? "OperationDenied.NoSupportComponentType" : "InvalidParameter.UnsupportedComponentType",
  valid: (b) => void (flowOf(fx, b, 0).Components = [component("WATERMARK", { ComponentExtra: '{"SubType":"PERSON_INFO_WATERMARK"}' })]),
  invalid: (b) =>
    void (approverOf(fx, b, "person").Components = [component("WATERMARK", { ComponentExtra: '{"SubType":"PERSON_INFO_WATERMARK"}' })]),
}));
both("watermark.extra-required", (fx) => ({
  path: initiatorPath(fx, "ComponentExtra"),
  code: "MissingParameter.ComponentExtra",
  valid: (b) => void (flowOf(fx, b, 0).Components = [component("WATERMARK", { ComponentExtra: '{"SubType":"CUSTOM_WATERMARK"}' })]),
  invalid: (b) => void (flowOf(fx, b, 0).Components = [component("WATERMARK")]),
}));
both("generate-mode.enum", (fx) => ({
  path: enterpriseSignPath(fx, "GenerateMode"),
  code: "InvalidParameter.GenerateMode",
  valid: (b) => void (enterpriseSign(fx, b).GenerateMode = "NORMAL"),
  invalid: (b) => void (enterpriseSign(fx, b).GenerateMode = "ABSOLUTE"),
}));
both("generate-mode.no-field-for-sign", (fx) => ({
  path: enterpriseSignPath(fx, "GenerateMode"),
  code: "InvalidParameter.GenerateMode",
  valid: (b) => initiatorComponent(fx, b, { GenerateMode: "FIELD", ComponentName: "合同编号" }),
  invalid: (b) => Object.assign(enterpriseSign(fx, b), { GenerateMode: "FIELD", ComponentName: "乙方盖章" }),
}));
both("component-page.value", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentPage"),
  code: "InvalidParameter.ComponentPage",
  valid: (b) => void (enterpriseSign(fx, b).ComponentPage = -1),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentPage = 0),
}));
both("component-position.value", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentPosX"),
  code: "InvalidParameter.ComponentPosition",
  valid: (b) => void (enterpriseSign(fx, b).ComponentPosX = 0),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentPosX = -0.5),
}));
both("component-size.value", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentWidth"),
  code: "InvalidParameter.ComponentPosition",
  valid: (b) => void (enterpriseSign(fx, b).ComponentWidth = 0.5),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentWidth = 0),
}));
only("component-geometry.required", essbasic, {
  path: "FlowFileInfos[1].FlowApprovers[0].SignComponents[0].ComponentPosX",
  code: "MissingParameter.ComponentPosX",
  valid: (b) => {
    const c = b.FlowFileInfos[1].FlowApprovers[0].SignComponents[0];
    c.ComponentType = "SIGN_PAGING_SEAL";
    delete c.ComponentPosX;
    delete c.ComponentPage;
  },
  invalid: (b) => void delete b.FlowFileInfos[1].FlowApprovers[0].SignComponents[0].ComponentPosX,
});
both("file-index.zero", (fx) => ({
  path: enterpriseSignPath(fx, "FileIndex"),
  code: "InvalidParameter.ComponentFileIndex",
  valid: (b) => void (enterpriseSign(fx, b).FileIndex = 0),
  invalid: (b) => void (enterpriseSign(fx, b).FileIndex = 1),
}));
both("keyword.required", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentId"),
  code: "MissingParameter.KeyWord",
  valid: (b) => Object.assign(enterpriseSign(fx, b), { GenerateMode: "KEYWORD", ComponentId: "^乙方盖章^" }),
  invalid: (b) => void (enterpriseSign(fx, b).GenerateMode = "KEYWORD"),
}));
both("keyword-fields.keyword-only", (fx) => ({
  path: enterpriseSignPath(fx, "OffsetX"),
  code: "InvalidParameter.OffsetX",
  valid: (b) => Object.assign(enterpriseSign(fx, b), { GenerateMode: "KEYWORD", ComponentId: "乙方盖章", OffsetX: -10 }),
  invalid: (b) => void (enterpriseSign(fx, b).OffsetX = -10),
}));
both("form-field.name-required", (fx) => ({
  path: initiatorPath(fx, "ComponentName"),
  code: "MissingParameter.Field",
  valid: (b) => initiatorComponent(fx, b, { GenerateMode: "FIELD", ComponentName: "合同编号" }),
  invalid: (b) => initiatorComponent(fx, b, { GenerateMode: "FIELD" }),
}));
const keyword = (fx: Fixture, b: Body, more: Record<string, unknown>) =>
  Object.assign(enterpriseSign(fx, b), { GenerateMode: "KEYWORD", ComponentId: "乙方盖章", ...more });
both("keyword-order.enum", (fx) => ({
  path: enterpriseSignPath(fx, "KeywordOrder"),
  code: "InvalidParameter.KeywordOrder",
  valid: (b) => keyword(fx, b, { KeywordOrder: "Reverse" }),
  invalid: (b) => keyword(fx, b, { KeywordOrder: "Backward" }),
}));
both("relative-location.enum", (fx) => ({
  path: enterpriseSignPath(fx, "RelativeLocation"),
  code: "InvalidParameter.RelativeLocation",
  valid: (b) => keyword(fx, b, { RelativeLocation: "LowerRight" }),
  invalid: (b) => keyword(fx, b, { RelativeLocation: "Left" }),
}));
both("keyword-indexes.range", (fx) => ({
  path: enterpriseSignPath(fx, "KeywordIndexes[1]"),
  code: "InvalidParameter.KeywordIndexes",
  valid: (b) => keyword(fx, b, { KeywordIndexes: [0, 2] }),
  invalid: (b) => keyword(fx, b, { KeywordIndexes: [0, -1] }),
}));
both("keyword-page.range", (fx) => ({
  path: enterpriseSignPath(fx, "KeywordPage"),
  code: "InvalidParameter.KeywordPage",
  valid: (b) => keyword(fx, b, { KeywordPage: 3 }),
  invalid: (b) => keyword(fx, b, { KeywordPage: -1 }),
}));
both("component-id.format", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentId"),
  code: "InvalidParameter.ComponentId",
  valid: (b) => void (enterpriseSign(fx, b).ComponentId = chars(30, "章")),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentId = "乙方-盖章"),
}));
both("component-name.format", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentName"),
  code: "InvalidParameter.ComponentName",
  valid: (b) => void (enterpriseSign(fx, b).ComponentName = chars(20, "章")),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentName = chars(21, "章")),
}));
both("component-extra.json", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => void (enterpriseSign(fx, b).ComponentExtra = '{"UseSealSize":true}'),
  invalid: (b) => void (enterpriseSign(fx, b).ComponentExtra = "{UseSealSize:true}"),
}));
both("component-extra.font-size", (fx) => ({
  path: initiatorPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"FontSize":72}' }),
  invalid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"FontSize":73}' }),
}));
both("component-extra.font", (fx) => ({
  path: initiatorPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"Font":"仿宋"}' }),
  invalid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"Font":"楷体"}' }),
}));
both("component-extra.font-align", (fx) => ({
  path: initiatorPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"FontAlign":"Center"}' }),
  invalid: (b) => initiatorComponent(fx, b, { ComponentExtra: '{"FontAlign":"Middle"}' }),
}));
both("component-extra.opacity", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => setExtra(enterpriseSign(fx, b), { Opacity: 0.6 }),
  invalid: (b) => setExtra(enterpriseSign(fx, b), { Opacity: 0.5 }),
}));
both("component-extra.type-limit", (fx) => ({
  path: enterpriseSignPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => setExtra(enterpriseSign(fx, b), { ComponentTypeLimit: ["PERSONNEL", "FINANCE"] }),
  invalid: (b) => setExtra(enterpriseSign(fx, b), { ComponentTypeLimit: ["HANDWRITE"] }),
}));
both("component-extra.children-max", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.SignComponents[1].ComponentExtra`,
  code: "InvalidParameter.ComponentExtra",
  valid: (b) =>
    void approverOf(fx, b, "enterprise").SignComponents.push(
      component("SIGN_VIRTUAL_COMBINATION", { ComponentExtra: JSON.stringify({ Children: ["a", "b", "c", "d"] }) }),
    ),
  invalid: (b) =>
    void approverOf(fx, b, "enterprise").SignComponents.push(
      component("SIGN_VIRTUAL_COMBINATION", { ComponentExtra: JSON.stringify({ Children: ["a", "b", "c", "d", "e"] }) }),
    ),
}));
both("component-extra.watermark", (fx) => ({
  path: initiatorPath(fx, "ComponentExtra"),
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => void (flowOf(fx, b, 0).Components = [component("WATERMARK", { ComponentExtra: '{"Density":3,"Rotate":359}' })]),
  invalid: (b) => void (flowOf(fx, b, 0).Components = [component("WATERMARK", { ComponentExtra: '{"Density":4}' })]),
}));
only("component-extra.rotate", essbasic, {
  path: "FlowFileInfos[1].FlowApprovers[0].SignComponents[0].ComponentExtra",
  code: "InvalidParameter.ComponentExtra",
  valid: (b) => setExtra(b.FlowFileInfos[1].FlowApprovers[0].SignComponents[0], { Rotate: -360 }),
  invalid: (b) => setExtra(b.FlowFileInfos[1].FlowApprovers[0].SignComponents[0], { Rotate: 361 }),
});
both("component-extra.date-format", (fx) => ({
  path: `${approverPath(fx, "enterprise")}.SignComponents[1].ComponentExtra`,
  code: "InvalidParameter.ComponentExtra",
  valid: (b) =>
    void approverOf(fx, b, "enterprise").SignComponents.push(component("SIGN_DATE", { ComponentExtra: '{"Format":"yyyy年m月d日"}' })),
  invalid: (b) =>
    void approverOf(fx, b, "enterprise").SignComponents.push(component("SIGN_DATE", { ComponentExtra: '{"Format":"dd/mm/yyyy"}' })),
}));
const initiatorOf = (fx: Fixture, b: Body, type: string, value: string) =>
  void (flowOf(fx, b, 0).Components = [component(type, { ComponentValue: value })]);
both("component-value.check-box", (fx) => ({
  path: initiatorPath(fx, "ComponentValue"),
  code: "InvalidParameter.ComponentTypeNoMatchValue",
  valid: (b) => initiatorOf(fx, b, "CHECK_BOX", "false"),
  invalid: (b) => initiatorOf(fx, b, "CHECK_BOX", "yes"),
}));
both("component-value.date", (fx) => ({
  path: initiatorPath(fx, "ComponentValue"),
  code: "InvalidParameter.ComponentTypeNoMatchValue",
  valid: (b) => initiatorOf(fx, b, "DATE", "2024年05月28日"),
  invalid: (b) => initiatorOf(fx, b, "DATE", "2024-05-28"),
}));
both("component-value.dynamic-table", (fx) => ({
  path: initiatorPath(fx, "ComponentValue"),
  code: "InvalidParameter.ComponentTypeNoMatchValue",
  valid: (b) => initiatorOf(fx, b, "DYNAMIC_TABLE", '{"headers":[{"content":"品名"}],"rowCount":1}'),
  invalid: (b) => initiatorOf(fx, b, "DYNAMIC_TABLE", '{"headers":['),
}));
both("component-value.attachment", (fx) => ({
  path: initiatorPath(fx, "ComponentValue"),
  code: "InvalidParameter.ComponentTypeNoMatchValue",
  valid: (b) => initiatorOf(fx, b, "ATTACHMENT", "a1,a2,a3,a4,a5,a6"),
  invalid: (b) => initiatorOf(fx, b, "ATTACHMENT", "a1,a2,a3,a4,a5,a6,a7"),
}));

/** Every rule case, in catalogue order of writing. */
export const RULE_CASES: readonly RuleCase[] = rows;
