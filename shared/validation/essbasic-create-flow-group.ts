import * as z from "zod/mini";
import {
  approverOptionSchema,
  checkApproverOption,
  checkAutoSignNoFill,
  checkAutoSignSeal,
  checkComponentLimits,
  checkIdCardNumber,
  componentLimitSchema,
  DEPRECATED,
  ID_CARD_TYPES,
  isDynamic,
  RepeatTracker,
  sharedApproverFields,
  SIGN_BEAN_TAG_ONLY,
  signComponentConfigSchema,
  warnField,
  warnFields,
} from "./approvers";
import {
  arrayCheck,
  type Check,
  countIn,
  fail,
  intIn,
  intOneOf,
  lazy,
  MAINLAND_MOBILE,
  matches,
  MAX_FLOWS,
  maxChars,
  num,
  optBool,
  optString,
  requiredText,
  stringOneOf,
  text,
} from "./common";
import { capped, strict } from "./compile";
import { checkComponentList, essbasicComponentSchema } from "./components";
import { checkDeadlineFuture, checkFlowGroupOptions, checkNameCharset, deadlineInteger } from "./flows";
import { type Findings, join } from "./issues";
import { filled, isObj, type Obj, within } from "./read";
import { OPEN_ID, SHOW_MAP_APPROVER } from "../text/input-patterns";

/**
 * ChannelCreateFlowGroupByFiles (essbasic, 2021-05-26): the zod schema of the request body and the
 * cross-field rules that a schema of single fields cannot express.
 */

// ---- schema ---------------------------------------------------------------------------------

const APPROVER_TYPES = ["PERSON", "PERSON_AUTO_SIGN", "ORGANIZATION", "ENTERPRISESERVER"] as const;
const SIGNATURE_KINDS = ["HANDWRITE", "HANDWRITTEN_ESIGN", "OCR_ESIGN", "ESIGN", "IMG_ESIGN", "SYSTEM_ESIGN"];

const intention = () =>
  strict({
    IntentionType: z.optional(num(intOneOf("intention-type.enum", [1, 2], true))),
    IntentionQuestions: z.optional(
      z
        .array(
          strict({
            Question: z.optional(text(maxChars("intention-question.length", 250))),
            Answers: z.optional(z.array(z.string())),
          }),
        )
        .check(countIn("intention-questions.count", 0, 10, "can hold at most 10 rounds (最多支持10轮)")),
    ),
    IntentionActions: z.optional(
      z
        .array(strict({ Text: z.optional(text(maxChars("intention-action-text.length", 150))) }))
        .check(countIn("intention-actions.count", 0, 10, "can hold at most 10 rounds (最多支持10轮)")),
    ),
    RuleIdConfig: z.optional(strict({ Speed: z.optional(num(intIn("intention-speed.enum", 0, 3))) })),
  });

const approver = () =>
  strict({
    ...sharedApproverFields(),
    Name: optString(),
    IdCardType: z.optional(text(stringOneOf("id-card-type.enum", ID_CARD_TYPES))),
    IdCardNumber: optString(),
    Mobile: z.optional(
      text(matches("mobile.format", MAINLAND_MOBILE, "an 11-digit mainland mobile number (支持国内手机号11位数字, 不支持海外手机号)")),
    ),
    NotChannelOrganization: optBool(),
    OpenId: z.optional(
      text(maxChars("open-id.format", 64), matches("open-id.format", OPEN_ID, "letters and digits only (只能由字母和数字组成)")),
    ),
    OrganizationOpenId: z.optional(text(maxChars("organization-open-id.length", 64))),
    ApproverType: requiredText(stringOneOf("approver-type.enum", APPROVER_TYPES)),
    RecipientId: optString(),
    CallbackUrl: optString(),
    SignComponents: z.optional(z.array(essbasicComponentSchema("sign"))),
    ComponentLimitType: z.optional(z.array(text(stringOneOf("component-limit-type.enum", SIGNATURE_KINDS)))),
    JumpUrl: optString(),
    ApproverOption: z.optional(approverOptionSchema("essbasic")),
    SignId: optString(),
    AddSignComponentsLimits: z.optional(z.array(componentLimitSchema())),
    SignTypeSelector: z.optional(num(intOneOf("sign-type-selector.enum", [0, 1]))),
    Components: z.optional(z.array(essbasicComponentSchema("approverFill"))),
    Intention: z.optional(intention()),
  });

/** Approvers per flow ("最多不超过5个参与方"). */
export const ESSBASIC_MAX_APPROVERS = 5;

const approversCount: Check<unknown[]> = (p) => {
  if (p.value.length === 0) fail(p, "approvers.non-empty", "must list at least one approver (参与者数量不能为空)");
  else if (p.value.length > ESSBASIC_MAX_APPROVERS) fail(p, "approvers.max", "must list at most 5 approvers (最多不超过5个参与方)");
};

const MAX_DEADLINE = 33162419560;
const deadlineMax: Check<number> = (p) => {
  if (p.value > MAX_DEADLINE)
    fail(p, "deadline.max", `must be at most ${MAX_DEADLINE} (a ten-digit Unix timestamp in seconds; 最大值为33162419560)`);
};

const flow = () =>
  strict({
    FileIds: z
      .array(z.string())
      .check(countIn("file-ids.single", 1, 1, "must contain exactly one file id: only a single file is supported (目前仅支持单个文件)")),
    FlowName: requiredText(maxChars("flow-name.length", 200)),
    FlowApprovers: z.array(approver()).check(capped(arrayCheck(approversCount), ESSBASIC_MAX_APPROVERS)),
    Deadline: z.optional(num(deadlineInteger, deadlineMax)),
    FlowDescription: z.optional(text(maxChars("flow-description.length", 1000))),
    FlowType: z.optional(text(maxChars("flow-type.length", 255))),
    CallbackUrl: optString(),
    CustomerData: z.optional(text(maxChars("customer-data.length", 1000))),
    Unordered: optBool(),
    Components: z.optional(z.array(essbasicComponentSchema("initiatorFill"))),
    CustomShowMap: optString(),
    NeedSignReview: optBool(),
    FlowDisplayType: z.optional(num(intIn("flow-display-type.enum", 0, 3))),
  });

/**
 * The ChannelCreateFlowGroupByFilesRequest body, strict at every level. Built on the first call
 * (the first essbasic validation), not at import: see `lazy` in common.ts.
 */
export const essbasicCreateFlowGroupSchema = lazy(() => {
  const userInfoFields = {
    Channel: optString(),
    CustomUserId: optString(),
    ClientIp: optString(),
    ProxyIp: optString(),
  };
  return strict({
    FlowFileInfos: z
      .array(flow())
      .check(countIn("flows.count", 2, MAX_FLOWS, "must contain 2 to 50 flows (最少包含2个合同，不能超过50个合同)")),
    FlowGroupName: requiredText(maxChars("flow-group-name.length", 200)),
    Agent: strict({
      AppId: requiredText(),
      ProxyOrganizationOpenId: requiredText(maxChars("agent.proxy-organization-open-id.length", 64)),
      ProxyOperator: strict({
        OpenId: requiredText(maxChars("agent.proxy-operator-open-id.length", 64)),
        ...userInfoFields,
      }),
      ProxyAppId: optString(),
      ProxyOrganizationId: optString(),
    }),
    ApproverVerifyType: z.optional(text(stringOneOf("approver-verify-type.enum", ["VerifyCheck", "MobileCheck"]))),
    FlowGroupOptions: z.optional(
      strict({
        SelfOrganizationApproverSignEach: optBool(),
        OtherApproverSignEach: optBool(),
        NoEditFlowName: optBool(),
        NoEditFlowType: optBool(),
        NoEditDeadline: optBool(),
        SignComponentConfig: z.optional(signComponentConfigSchema()),
        ForbidEditWatermark: optBool(),
        HideSignCodeAfterStart: optBool(),
        SignAfterStart: optBool(),
        PreviewAfterStart: optBool(),
      }),
    ),
    Operator: z.optional(strict({ OpenId: optString(), ...userInfoFields })),
  });
});

// ---- cross-field rules ------------------------------------------------------------------------

interface GroupContext {
  nowSeconds: number;
  groupVerifyType: boolean;
  /** The initiator's organisation, so an approver naming it counts as "the initiator" too. */
  initiatorOrg: string | undefined;
}

/** Runs every rule the schema cannot express on the raw `body`; ill-typed parts are skipped. */
export function checkEssbasicCreateFlowGroup(f: Findings, body: unknown, nowSeconds: number): void {
  if (!isObj(body)) return;
  checkNameCharset(f, body["FlowGroupName"], "FlowGroupName", "flow-group-name.charset");
  if (body["Operator"] !== undefined)
    f.report("deprecated-field", "Operator", "is deprecated and must not be sent (此参数不用传); Agent identifies the caller");
  const agent = body["Agent"];
  let initiatorOrg: string | undefined;
  if (isObj(agent)) {
    initiatorOrg = filled(agent["ProxyOrganizationOpenId"]) ? agent["ProxyOrganizationOpenId"] : undefined;
    warnField(f, agent, "Agent", "ProxyOrganizationId", "deprecated-field", DEPRECATED);
    warnField(f, agent, "Agent", "ProxyAppId", "output-only-field", "is generated by ESS (不用填写); leave it out");
    const operator = agent["ProxyOperator"];
    if (isObj(operator)) {
      warnFields(f, operator, "Agent.ProxyOperator", ["Channel", "CustomUserId", "ClientIp", "ProxyIp"], "deprecated-field", DEPRECATED);
    }
  }
  checkFlowGroupOptions(f, body["FlowGroupOptions"]);
  const ctx: GroupContext = { nowSeconds, groupVerifyType: filled(body["ApproverVerifyType"]), initiatorOrg };
  within(body["FlowFileInfos"], MAX_FLOWS).forEach((flowBody, i) => {
    if (isObj(flowBody)) checkFlow(f, flowBody, `FlowFileInfos[${i}]`, ctx);
  });
}

function checkFlow(f: Findings, flowBody: Obj, path: string, ctx: GroupContext): void {
  if (f.full) return;
  checkDeadlineFuture(f, flowBody, path, ctx.nowSeconds);
  warnField(
    f,
    flowBody,
    path,
    "CallbackUrl",
    "deprecated-field",
    "is deprecated (已废弃); callbacks go to the address configured for the app",
  );
  const approvers = within(flowBody["FlowApprovers"], ESSBASIC_MAX_APPROVERS);
  checkCustomShowMap(f, flowBody["CustomShowMap"], join(path, "CustomShowMap"), approvers.length);
  checkComponentList(f, flowBody, path, "Components", { kind: "initiatorFill" });
  const tracker = new RepeatTracker(f);
  const approversPath = join(path, "FlowApprovers");
  approvers.forEach((a, j) => {
    if (isObj(a)) checkApprover(f, a, `${approversPath}[${j}]`, ctx, tracker);
  });
}

const SHOW_MAP_FIXED = new Set(["合同名称", "发起方企业", "发起方姓名"]);

/** "只支持{合同名称}, {发起方企业}, {发起方姓名}, {签署方N企业}, {签署方N姓名}，且N不能超过签署人的数量". */
function checkCustomShowMap(f: Findings, value: unknown, path: string, approverCount: number): void {
  if (!filled(value)) return;
  for (const token of placeholders(value)) {
    if (SHOW_MAP_FIXED.has(token)) continue;
    const n = SHOW_MAP_APPROVER.exec(token)?.[1];
    if (n !== undefined && Number(n) >= 1 && Number(n) <= approverCount) continue;
    f.report(
      "custom-show-map.placeholders",
      path,
      `supports only {合同名称}, {发起方企业}, {发起方姓名}, {签署方N企业}, {签署方N姓名} with N from 1 to the number of approvers (${approverCount})`,
    );
    return;
  }
}

/** The texts between `{` and `}` (innermost pairs), found in one pass without a regex. */
function* placeholders(value: string): Generator<string> {
  let open = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "{") open = i;
    else if (c === "}" && open >= 0) {
      yield value.slice(open + 1, i);
      open = -1;
    }
  }
}

function checkApprover(f: Findings, a: Obj, path: string, ctx: GroupContext, tracker: RepeatTracker): void {
  if (f.full) return;
  const type = typeof a["ApproverType"] === "string" ? a["ApproverType"] : "";
  const dynamic = isDynamic(a);
  const person = type === "PERSON" || type === "PERSON_AUTO_SIGN";
  const enterprise = type === "ORGANIZATION" || type === "ENTERPRISESERVER";
  const party = person ? "person" : enterprise ? "enterprise" : undefined;
  if (person && !dynamic) {
    if (!filled(a["Name"]))
      f.report("approver-name.required", join(path, "Name"), "is required for a person approver unless it is dynamic (FillType 1)");
    if (!filled(a["Mobile"]))
      f.report("approver-mobile.required", join(path, "Mobile"), "is required for a person approver unless it is dynamic (FillType 1)");
  }
  checkIdCardNumber(f, a, path, "IdCardType", "IdCardNumber");
  if (type === "ENTERPRISESERVER") {
    checkAutoSignSeal(f, a, path, "ENTERPRISESERVER");
    if (dynamic)
      f.report(
        "auto-sign.no-dynamic",
        join(path, "ApproverOption.FillType"),
        "should not be 1 for an auto-sign approver (企业“授权签”不支持动态补充), although ESS accepted it in its own example",
      );
  }
  if (type === "ENTERPRISESERVER" || type === "PERSON_AUTO_SIGN") checkAutoSignNoFill(f, a, path);
  checkComponentList(f, a, path, "SignComponents", {
    kind: "sign",
    party,
    enterpriseAutoSign: type === "ENTERPRISESERVER",
  });
  checkComponentList(f, a, path, "Components", { kind: "approverFill", party });
  checkComponentLimits(f, a, path);
  checkApproverWarnings(f, a, path, type, ctx);
  const identity = dynamic ? undefined : approverIdentity(a, type, ctx.initiatorOrg);
  tracker.see(identity?.[0], path, identity?.[1] ?? "");
}

function checkApproverWarnings(f: Findings, a: Obj, path: string, type: string, ctx: GroupContext): void {
  if (filled(a["NotifyType"]) && a["NotChannelOrganization"] !== true) {
    f.report(
      "notify-type.not-channel-only",
      join(path, "NotifyType"),
      "only applies with NotChannelOrganization true (仅在指定NotChannelOrganization=true时有效); ESS ignores it here",
    );
  }
  if (a["NotChannelOrganization"] === true && type !== "" && type !== "ORGANIZATION") {
    f.report(
      "not-channel-organization.organization-only",
      join(path, "NotChannelOrganization"),
      "only applies to an ORGANIZATION approver (在ApproverType为ORGANIZATION时指定)",
    );
  }
  warnField(
    f,
    a,
    path,
    "Deadline",
    "approver-deadline.unsupported",
    "is not supported for flows in a group (此参数暂不支持合同组子合同); the flow's Deadline applies",
  );
  warnField(f, a, path, "CallbackUrl", "deprecated-field", DEPRECATED);
  warnField(f, a, path, "SignId", "output-only-field", "is filled in by ESS when the flow starts (发起流程时系统自动补充); leave it out");
  warnField(f, a, path, "AddSignComponentsLimits", "sign-bean-tag-only-field", SIGN_BEAN_TAG_ONLY);
  checkApproverOption(f, a, path);
  if (ctx.groupVerifyType && a["ApproverVerifyTypes"] !== undefined) {
    f.report(
      "approver-verify-types.overridden",
      join(path, "ApproverVerifyTypes"),
      "is ignored because the group's ApproverVerifyType is set (会覆盖合同组中单个合同和合同签署方认证方式的限制配置)",
    );
  }
}

/** See {@link RepeatTracker} for what "the same approver" means. */
function approverIdentity(a: Obj, type: string, initiatorOrg: string | undefined): [string, string] | undefined {
  const mobile = a["Mobile"];
  if (type === "PERSON" || type === "PERSON_AUTO_SIGN") {
    return filled(mobile) ? [`person|${mobile}`, "the same person: same Mobile"] : undefined;
  }
  const orgOpenId = a["OrganizationOpenId"];
  const org =
    filled(orgOpenId) && orgOpenId !== initiatorOrg
      ? `open:${orgOpenId}`
      : filled(orgOpenId) || !filled(a["OrganizationName"])
        ? "initiator"
        : `name:${a["OrganizationName"]}`;
  if (type === "ENTERPRISESERVER") return [`auto|${org}`, "the same organisation auto-signing twice"];
  if (type !== "ORGANIZATION") return undefined;
  const openId = a["OpenId"];
  const who = filled(openId) ? `o|${openId}` : filled(mobile) ? `m|${mobile}` : undefined;
  return who === undefined ? undefined : [`org|${org}|${who}`, "the same employee of the same organisation"];
}
