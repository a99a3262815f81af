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
  exactLength,
  fail,
  intIn,
  intOneOf,
  isBase64,
  lazy,
  MAINLAND_MOBILE,
  matches,
  MAX_FLOWS,
  maxChars,
  num,
  optBool,
  optNumber,
  optString,
  requiredText,
  stringList,
  stringOneOf,
  text,
} from "./common";
import { capped, strict, withRunner } from "./compile";
import { checkComponentList, essComponentSchema } from "./components";
import { checkDeadlineFuture, checkFlowGroupOptions, checkNameCharset, deadlineInteger } from "./flows";
import { type Findings, join } from "./issues";
import { filled, isObj, type Obj, within } from "./read";

/**
 * CreateFlowGroupByFiles (ess, 2020-11-11): the zod schema of the request body and the cross-field
 * rules that a schema of single fields cannot express.
 */

// ---- schema ---------------------------------------------------------------------------------

const APPROVER_TYPES = new Map<unknown, number>([
  [0, 0],
  [1, 1],
  [3, 3],
  [7, 7],
  ["0", 0],
  ["1", 1],
  ["3", 3],
  ["7", 7],
]);

/**
 * ApproverType 0/1/3/7. The spec's examples send `"1"` as a string and ESS accepted it; the SDK
 * model types it as a number, so a numeric string of a valid value is normalised to that number.
 */
const APPROVER_TYPE_MESSAGE = "must be one of: 0 (enterprise), 1 (person), 3 (enterprise auto-sign), 7 (person auto-sign)";
const approverType = () =>
  withRunner(
    z.pipe(
      z.union([z.number(), z.string()]).check((p) => {
        if (!APPROVER_TYPES.has(p.value)) fail(p, "approver-type.enum", APPROVER_TYPE_MESSAGE);
      }),
      z.transform((v: number | string) => APPROVER_TYPES.get(v) ?? Number(v)),
    ),
    (value, issues) => {
      const normalised = APPROVER_TYPES.get(value);
      if (normalised !== undefined) return normalised;
      if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
        issues.push({ code: "custom", message: APPROVER_TYPE_MESSAGE, path: [], params: { rule: "approver-type.enum" } });
      } else {
        issues.push({ code: "invalid_union", path: [] });
      }
      return value;
    },
  );

const registerInfo = () =>
  strict({
    LegalName: requiredText(),
    Uscc: optString(),
    UnifiedSocialCreditCode: optString(),
    OrganizationAddress: optString(),
    AuthorizationTypes: z.optional(z.array(num(intOneOf("register-info.authorization-types.enum", [2, 5])))),
    AuthorizationType: optNumber(),
    AuthorizationMethods: z.optional(z.array(num(intOneOf("register-info.authorization-methods.enum", [1, 2, 3])))),
    OrganizationIdCardType: z.optional(
      text(stringOneOf("register-info.id-card-type.enum", ["USCC", "PRACTICELICENSEOFMEDICALINSTITUTION", "CLINICFILLINGCERTIFICATE"])),
    ),
    RegisterInfoOption: z.optional(
      strict({
        LegalNameSame: optBool(),
        UnifiedSocialCreditCodeCNameSame: optBool(),
        OrganizationIdCardTypeSame: optBool(),
        UnifiedSocialCreditCodeSame: optBool(),
      }),
    ),
  });

const approver = () =>
  strict({
    ...sharedApproverFields(),
    ApproverType: approverType(),
    ApproverName: optString(),
    ApproverMobile: z.optional(
      text(matches("mobile.format", MAINLAND_MOBILE, "an 11-digit mainland mobile number (支持中国大陆手机号11位数字)")),
    ),
    SignComponents: z.optional(z.array(essComponentSchema("sign"))),
    ApproverIdCardType: z.optional(text(stringOneOf("id-card-type.enum", ID_CARD_TYPES))),
    ApproverIdCardNumber: optString(),
    ApproverRole: z.optional(num(intOneOf("approver-role.enum", [1, 2, 3], true))),
    VerifyChannel: z.optional(stringList()),
    UserId: optString(),
    ApproverSource: z.optional(text(stringOneOf("approver-source.enum", ["WEWORKAPP"]))),
    CustomApproverTag: z.optional(text(maxChars("custom-approver-tag.length", 64))),
    ApproverOption: z.optional(approverOptionSchema("ess")),
    AddSignComponentsLimits: z.optional(z.array(componentLimitSchema())),
    SignInstructionContent: z.optional(text(maxChars("sign-instruction.length", 500))),
    Components: z.optional(z.array(essComponentSchema("approverFill"))),
    RegisterInfo: z.optional(registerInfo()),
    NotSaveContact: optBool(),
  });

/** Approvers per flow ("最大限制50方"). */
export const ESS_MAX_APPROVERS = 50;

const approversCount: Check<unknown[]> = (p) => {
  if (p.value.length === 0) fail(p, "approvers.non-empty", "must list at least one approver");
  else if (p.value.length > ESS_MAX_APPROVERS) fail(p, "approvers.max", "must list at most 50 approvers (最大限制50方)");
};

const noCc: Check<unknown[]> = (p) => {
  if (p.value.length > 0) fail(p, "cc.forbidden", "must be empty: a flow group cannot have CC recipients (合同组暂不支持抄送功能)");
};

const userData: Check<string> = (p) => {
  // Too long to check (undefined): the length rule reports it.
  if (isBase64(p.value) === false) fail(p, "user-data.base64", "must be base64-encoded (以base64方式编码)");
};

const deadlineSeconds: Check<number> = (p) => {
  if (p.value >= 1e12) fail(p, "deadline.seconds", "looks like milliseconds; it must be a Unix timestamp in seconds (精确到秒)");
};

const ccInfo = () =>
  strict({
    Mobile: optString(),
    Name: optString(),
    CcType: optNumber(),
    CcPermission: optNumber(),
    NotifyType: optString(),
    OrganizationName: optString(),
  });

const flow = () =>
  strict({
    FlowName: requiredText(maxChars("flow-name.length", 200)),
    Approvers: z.array(approver()).check(capped(arrayCheck(approversCount), ESS_MAX_APPROVERS)),
    FileIds: z
      .array(text(exactLength("file-id.length", 32, false)))
      .check(countIn("file-ids.single", 1, 1, "must contain exactly one file id: only a single file is supported (仅支持单个文件)")),
    TemplateId: z.optional(text(exactLength("template-id.length", 32, true))),
    FlowType: z.optional(text(maxChars("flow-type.length", 200))),
    FlowDescription: z.optional(text(maxChars("flow-description.length", 1000))),
    Deadline: z.optional(num(deadlineInteger, deadlineSeconds)),
    CallbackUrl: optString(),
    UserData: z.optional(text(maxChars("user-data.length", 20480), userData)),
    Unordered: optBool(),
    Components: z.optional(z.array(essComponentSchema("initiatorFill"))),
    NeedSignReview: optBool(),
    AutoSignScene: z.optional(text(stringOneOf("auto-sign-scene.enum", ["E_PRESCRIPTION_AUTO_SIGN"]))),
    FlowDisplayType: z.optional(num(intIn("flow-display-type.enum", 0, 3))),
    CcInfos: z.optional(z.array(ccInfo()).check(arrayCheck(noCc))),
  });

const NOTIFY = ["sms", "none"];

/**
 * The CreateFlowGroupByFilesRequest body, strict at every level. Built on the first call (the
 * first ess validation), not at import: see `lazy` in common.ts.
 */
export const essCreateFlowGroupSchema = lazy(() =>
  strict({
    Operator: strict({
      UserId: requiredText(),
      Channel: optString(),
      OpenId: optString(),
      ClientIp: optString(),
      ProxyIp: optString(),
    }),
    FlowGroupName: requiredText(maxChars("flow-group-name.length", 200)),
    FlowGroupInfos: z.array(flow()).check(countIn("flows.count", 2, MAX_FLOWS, "must contain 2 to 50 flows (支持2-50个子合同)")),
    Agent: z.optional(
      strict({
        AppId: optString(),
        ProxyAppId: optString(),
        ProxyOrganizationId: optString(),
        ProxyOperator: optString(),
      }),
    ),
    FlowGroupOptions: z.optional(
      strict({
        ApproverVerifyType: z.optional(text(stringOneOf("approver-verify-type.enum", ["VerifyCheck", "MobileCheck"]))),
        SelfOrganizationApproverNotifyType: z.optional(text(stringOneOf("flow-group-options.notify-type.enum", NOTIFY))),
        OtherApproverNotifyType: z.optional(text(stringOneOf("flow-group-options.notify-type.enum", NOTIFY))),
        FlowGroupNeedWorkflow: optBool(),
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
    UserFlowType: z.optional(
      strict({
        UserFlowTypeId: optString(),
        Name: optString(),
        Description: optString(),
      }),
    ),
  }),
);

// ---- cross-field rules ------------------------------------------------------------------------

interface GroupContext {
  nowSeconds: number;
  userFlowType: boolean;
  groupVerifyType: boolean;
}

/** Runs every rule the schema cannot express on the raw `body`; ill-typed parts are skipped. */
export function checkEssCreateFlowGroup(f: Findings, body: unknown, nowSeconds: number): void {
  if (!isObj(body)) return;
  checkNameCharset(f, body["FlowGroupName"], "FlowGroupName", "flow-group-name.charset");
  const operator = body["Operator"];
  if (isObj(operator)) warnFields(f, operator, "Operator", ["Channel", "OpenId", "ClientIp", "ProxyIp"], "deprecated-field", DEPRECATED);
  const agent = body["Agent"];
  if (isObj(agent)) {
    if (!filled(agent["ProxyOrganizationId"])) {
      f.report("agent.proxy-organization-id.required", "Agent.ProxyOrganizationId", "is required when Agent is given (集团代理下场景必传)");
    }
    warnFields(f, agent, "Agent", ["AppId", "ProxyAppId", "ProxyOperator"], "deprecated-field", DEPRECATED);
  }
  const options = body["FlowGroupOptions"];
  checkFlowGroupOptions(f, options);
  const ctx: GroupContext = {
    nowSeconds,
    userFlowType: isObj(body["UserFlowType"]),
    groupVerifyType: isObj(options) && filled(options["ApproverVerifyType"]),
  };
  within(body["FlowGroupInfos"], MAX_FLOWS).forEach((flowBody, i) => {
    if (isObj(flowBody)) checkFlow(f, flowBody, `FlowGroupInfos[${i}]`, ctx);
  });
}

function checkFlow(f: Findings, flowBody: Obj, path: string, ctx: GroupContext): void {
  if (f.full) return;
  checkNameCharset(f, flowBody["FlowName"], join(path, "FlowName"), "flow-name.charset");
  checkDeadlineFuture(f, flowBody, path, ctx.nowSeconds);
  warnField(f, flowBody, path, "CallbackUrl", "deprecated-field", DEPRECATED);
  if (ctx.userFlowType && filled(flowBody["FlowType"])) {
    f.report(
      "user-flow-type.overrides-flow-type",
      join(path, "FlowType"),
      "is ignored because UserFlowType is set for the whole group (以最外层定义的为准)",
    );
  }
  checkComponentList(f, flowBody, path, "Components", { kind: "initiatorFill" });
  const tracker = new RepeatTracker(f);
  let personAutoSign = false;
  const approversPath = join(path, "Approvers");
  within(flowBody["Approvers"], ESS_MAX_APPROVERS).forEach((a, j) => {
    if (!isObj(a)) return;
    const type = checkApprover(f, a, `${approversPath}[${j}]`, ctx, tracker);
    if (type === 7) personAutoSign = true;
  });
  if (personAutoSign && !filled(flowBody["AutoSignScene"])) {
    f.report(
      "auto-sign-scene.required",
      join(path, "AutoSignScene"),
      "is required when an approver has ApproverType 7 (发起“授权签”时，需设置对应“授权签”场景)",
    );
  }
}

function checkApprover(f: Findings, a: Obj, path: string, ctx: GroupContext, tracker: RepeatTracker): number | undefined {
  if (f.full) return undefined;
  const type = APPROVER_TYPES.get(a["ApproverType"]);
  const dynamic = isDynamic(a);
  const party = type === 1 || type === 7 ? "person" : type === 0 || type === 3 ? "enterprise" : undefined;
  if (party === "enterprise" && !dynamic && !filled(a["OrganizationName"])) {
    f.report(
      "organization-name.required",
      join(path, "OrganizationName"),
      "is required for an enterprise approver (approverType = 0 或者 approverType = 3， 则企业名称必填)",
    );
  }
  if (party === "person" && filled(a["OrganizationName"])) {
    f.report(
      "person.no-organization-name",
      join(path, "OrganizationName"),
      "must not be set for a person approver (个人签署方不支持设置企业名称)",
    );
  }
  if (!dynamic && (party === "person" || (type === 0 && !filled(a["UserId"])))) {
    if (!filled(a["ApproverName"]))
      f.report(
        "approver-name.required",
        join(path, "ApproverName"),
        "is required unless the approver is dynamic (FillType 1) or an employee given by UserId",
      );
    if (!filled(a["ApproverMobile"]))
      f.report(
        "approver-mobile.required",
        join(path, "ApproverMobile"),
        "is required unless the approver is dynamic (FillType 1) or an employee given by UserId",
      );
  }
  checkIdCardNumber(f, a, path, "ApproverIdCardType", "ApproverIdCardNumber");
  if (type === 3) {
    checkAutoSignSeal(f, a, path, "ApproverType 3");
    if (dynamic)
      f.report(
        "auto-sign.no-dynamic",
        join(path, "ApproverOption.FillType"),
        "cannot be 1 for an auto-sign approver (企业“授权签”不支持动态补充)",
      );
  }
  if (type === 3 || type === 7) checkAutoSignNoFill(f, a, path);
  checkComponentList(f, a, path, "SignComponents", { kind: "sign", party, enterpriseAutoSign: type === 3 });
  checkComponentList(f, a, path, "Components", { kind: "approverFill", party });
  checkComponentLimits(f, a, path);
  checkApproverWarnings(f, a, path, ctx);
  checkRegisterInfo(f, a["RegisterInfo"], join(path, "RegisterInfo"));
  const identity = dynamic ? undefined : approverIdentity(a, type);
  tracker.see(identity?.[0], path, identity?.[1] ?? "");
  return type;
}

function checkApproverWarnings(f: Findings, a: Obj, path: string, ctx: GroupContext): void {
  warnField(f, a, path, "VerifyChannel", "deprecated-field", "is no longer used (【已不再使用】); use ApproverSignTypes");
  warnField(
    f,
    a,
    path,
    "Deadline",
    "approver-deadline.unsupported",
    "is not supported for flows in a group (此参数暂不支持合同组子合同); the flow's Deadline applies",
  );
  warnField(f, a, path, "AddSignComponentsLimits", "sign-bean-tag-only-field", SIGN_BEAN_TAG_ONLY);
  checkApproverOption(f, a, path);
  if (ctx.groupVerifyType && a["ApproverVerifyTypes"] !== undefined) {
    f.report(
      "approver-verify-types.overridden",
      join(path, "ApproverVerifyTypes"),
      "is ignored because FlowGroupOptions.ApproverVerifyType is set (则忽略此签署人的查看合同的校验方式)",
    );
  }
}

function checkRegisterInfo(f: Findings, info: unknown, path: string): void {
  if (!isObj(info)) return;
  warnFields(f, info, path, ["Uscc", "AuthorizationType"], "deprecated-field", DEPRECATED);
  const option = info["RegisterInfoOption"];
  if (!isObj(option)) return;
  const optionPath = join(path, "RegisterInfoOption");
  warnField(f, option, optionPath, "UnifiedSocialCreditCodeCNameSame", "deprecated-field", DEPRECATED);
  const locks: [string, string][] = [
    ["LegalNameSame", "LegalName"],
    ["UnifiedSocialCreditCodeSame", "UnifiedSocialCreditCode"],
    ["OrganizationIdCardTypeSame", "OrganizationIdCardType"],
  ];
  for (const [lock, field] of locks) {
    if (option[lock] === true && !filled(info[field])) {
      f.report(
        "register-info-option.needs-value",
        join(optionPath, lock),
        `can be true only when RegisterInfo.${field} is set (值不为空的时候，才可设置为不可编辑)`,
      );
    }
  }
}

/** See {@link RepeatTracker} for what "the same approver" means. */
function approverIdentity(a: Obj, type: number | undefined): [string, string] | undefined {
  const mobile = a["ApproverMobile"];
  if (type === 1 || type === 7) return filled(mobile) ? [`person|${mobile}`, "the same person: same ApproverMobile"] : undefined;
  const org = a["OrganizationName"];
  if (!filled(org)) return undefined;
  if (type === 3) return [`auto|${org}`, "the same organisation auto-signing twice"];
  if (type !== 0) return undefined;
  const userId = a["UserId"];
  const who = filled(userId) ? `u|${userId}` : filled(mobile) ? `m|${mobile}` : undefined;
  return who === undefined ? undefined : [`org|${org}|${who}`, "the same employee of the same organisation"];
}
