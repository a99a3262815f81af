import * as z from "zod/mini";
import type { Edition } from "../ess/edition";
import {
  arrayCheck,
  type Check,
  EMAIL,
  fail,
  intIn,
  intOneOf,
  lazy,
  matches,
  maxChars,
  NAME_CHARSET,
  num,
  optBool,
  optNumber,
  requiredText,
  stringOneOf,
  text,
} from "./common";
import { strict } from "./compile";
import { type Findings, join } from "./issues";
import { filled, isObj, list, type Obj } from "./read";
import { EIGHTEEN_CHAR_ID, HK_MACAO_PASS } from "../text/input-patterns";

/**
 * What ess ApproverInfo and essbasic FlowApproverInfo have in common: field schemas with the same
 * documented rules, and the cross-field checks both editions run on an approver.
 */

export const ID_CARD_TYPES = ["ID_CARD", "HONGKONG_AND_MACAO", "HONGKONG_MACAO_AND_TAIWAN"] as const;

const noAsciiParentheses: Check<string> = (p) => {
  if (p.value.includes("(") || p.value.includes(")"))
    fail(p, "organization-name.parentheses", "must be written with Chinese parentheses （） instead of ()");
};

const onlyDeviceSignTypes: Check<number[]> = (p) => {
  if (p.value.length > 0 && p.value.every((t) => t === 5 || t === 6)) {
    fail(
      p,
      "approver-sign-types.not-only-device",
      "cannot contain only 5 and 6: add at least one other method (校验方式不允许只包含设备指纹识别和设备面容识别)",
    );
  }
};

/** Field schemas shared by both approver structures (all optional), built once. */
export const sharedApproverFields = lazy(() => ({
  OrganizationName: z.optional(text(noAsciiParentheses)),
  NotifyType: z.optional(text(stringOneOf("notify-type.enum", ["SMS", "EMAIL", "ALL", "NONE", "sms"]))),
  ApproverRoleName: z.optional(
    text(
      maxChars("approver-role-name.length", 20),
      matches(
        "approver-role-name.charset",
        NAME_CHARSET,
        "Chinese, letters, digits and underscore only (只能由中文、字母、数字和下划线组成)",
      ),
    ),
  ),
  PreReadTime: z.optional(num(intIn("pre-read-time.range", 3, 300, true))),
  ApproverNeedSignReview: optBool(),
  ApproverVerifyTypes: z.optional(z.array(num(intOneOf("approver-verify-types.enum", [1, 2])))),
  ApproverSignTypes: z.optional(z.array(num(intOneOf("approver-sign-types.enum", [1, 2, 3, 5, 6]))).check(arrayCheck(onlyDeviceSignTypes))),
  Deadline: optNumber(),
  SignEndpoints: z.optional(z.array(text(stringOneOf("sign-endpoints.enum", ["link"])))),
  ApproverEmail: z.optional(text(matches("approver-email.format", EMAIL, "an e-mail address"))),
}));

const sealSizePolicy = lazy(() => z.optional(num(intIn("seal-size-policy.enum", 0, 3))));

/** ApproverOption of `edition`. */
export function approverOptionSchema(edition: Edition) {
  const common = {
    NoRefuse: optBool(),
    NoTransfer: optBool(),
    FillType: z.optional(num(intOneOf("fill-type.enum", [1], true))),
    FlowReadLimit: z.optional(
      text(stringOneOf("flow-read-limit.enum", ["LimitReadTimeAndBottom", "LimitReadTime", "LimitBottom", "NoReadTimeAndBottom"])),
    ),
    ForbidAddSignDate: optBool(),
    ApproverMobileMode: z.optional(text(stringOneOf("approver-mobile-mode.enum", ["REPLACE", "GIVEN", "VALIDATE"]))),
    AddSignComponentUseSealSize: sealSizePolicy(),
  };
  if (edition === "ess") {
    return strict({ ...common, CanEditApprover: optBool(), ForbidModifySealInfos: optBool() });
  }
  return strict({ ...common, HideOneKeySign: optBool() });
}

/** SignComponentConfig (FlowGroupOptions), the same in both editions. */
export const signComponentConfigSchema = lazy(() =>
  strict({
    HideDate: optBool(),
    AddSignComponentUseSealSize: sealSizePolicy(),
  }),
);

/** ComponentLimit, the same in both editions. */
export const componentLimitSchema = lazy(() =>
  strict({
    ComponentType: requiredText(
      stringOneOf("component-limit.type.enum", ["SIGN_SEAL", "SIGN_PAGING_SEAL", "SIGN_LEGAL_PERSON_SEAL", "SIGN_SIGNATURE"]),
    ),
    ComponentValue: z.optional(z.array(z.string())),
  }),
);

// ---- cross-field checks ---------------------------------------------------------------------

/** Whether the approver is a dynamic one (ApproverOption.FillType 1: details supplied later). */
export function isDynamic(approver: Obj): boolean {
  const option = approver["ApproverOption"];
  return isObj(option) && option["FillType"] === 1;
}

/** The ID number must match its ID type (ID_CARD is the default type). */
export function checkIdCardNumber(f: Findings, approver: Obj, approverPath: string, typeField: string, numberField: string): void {
  const value = approver[numberField];
  if (!filled(value)) return;
  const type = approver[typeField];
  const idType = filled(type) ? type : "ID_CARD";
  const path = join(approverPath, numberField);
  if (idType === "ID_CARD" || idType === "HONGKONG_MACAO_AND_TAIWAN") {
    if (!EIGHTEEN_CHAR_ID.test(value)) {
      f.report("id-card-number.format", path, "must be 18 characters: 17 digits then a digit or an uppercase X (由数字和大写字母X组成)");
    }
  } else if (idType === "HONGKONG_AND_MACAO" && !HK_MACAO_PASS.test(value)) {
    f.report("id-card-number.format", path, "must be H or M followed by 10 digits for a Hong Kong/Macao travel permit");
  }
}

/** An enterprise auto-sign approver stamps with a seal id given in each SIGN_SEAL's ComponentValue. */
export function checkAutoSignSeal(f: Findings, approver: Obj, path: string, typeLabel: string): void {
  const components = approver["SignComponents"];
  const listPath = join(path, "SignComponents");
  let seals = 0;
  if (Array.isArray(components)) {
    components.forEach((c: unknown, i) => {
      if (!isObj(c) || c["ComponentType"] !== "SIGN_SEAL") return;
      seals++;
      if (!filled(c["ComponentValue"])) {
        f.report(
          "auto-sign.seal-id",
          join(`${listPath}[${i}]`, "ComponentValue"),
          `must be the seal id to stamp with, for an auto-sign (${typeLabel}) approver`,
        );
      }
    });
  }
  if (seals === 0) {
    f.report(
      "auto-sign.seal-id",
      listPath,
      `must contain a SIGN_SEAL component whose ComponentValue is the seal id, for an auto-sign (${typeLabel}) approver`,
    );
  }
}

/** "静默(自动)签署不支持合同签署方存在填写功能": no fill components for an auto-sign approver. */
export function checkAutoSignNoFill(f: Findings, approver: Obj, path: string): void {
  if (list(approver["Components"]).length > 0) {
    f.report(
      "auto-sign.no-fill-components",
      join(path, "Components"),
      "must be empty for an auto-sign approver (静默(自动)签署不支持合同签署方存在填写功能)",
    );
  }
}

const SIGNATURE_LIMIT_VALUES = new Set(["HANDWRITE", "HANDWRITTEN_ESIGN", "OCR_ESIGN", "ESIGN", "SYSTEM_ESIGN"]);

/** AddSignComponentsLimits: values that depend on each limit's ComponentType. */
export function checkComponentLimits(f: Findings, approver: Obj, approverPath: string): void {
  list(approver["AddSignComponentsLimits"]).forEach((limit, i) => {
    if (!isObj(limit)) return;
    const path = join(approverPath, "AddSignComponentsLimits");
    const values = limit["ComponentValue"];
    const valuesPath = join(`${path}[${i}]`, "ComponentValue");
    if (limit["ComponentType"] === "SIGN_SIGNATURE") {
      list(values).forEach((v, k) => {
        if (typeof v === "string" && !SIGNATURE_LIMIT_VALUES.has(v)) {
          f.report(
            "component-limit.value.enum",
            `${valuesPath}[${k}]`,
            "must be one of: HANDWRITE, HANDWRITTEN_ESIGN, OCR_ESIGN, ESIGN, SYSTEM_ESIGN",
          );
        }
      });
    } else if (limit["ComponentType"] === "SIGN_LEGAL_PERSON_SEAL" && list(values).length > 0) {
      f.report(
        "component-limit.legal-person-value",
        valuesPath,
        "is not needed for SIGN_LEGAL_PERSON_SEAL (无需传递此参数) and is ignored",
      );
    }
  });
}

/**
 * Detects an approver given twice in one flow (ESS: OperationDenied.ApproverRepeat). Two approvers
 * are "the same" when they sign in the same capacity with the same identity: a person with the same
 * mobile; an enterprise employee of the same organisation with the same user id / OpenId / mobile;
 * an enterprise auto-sign of the same organisation. Dynamic approvers have no identity yet.
 */
export class RepeatTracker {
  private readonly seen = new Map<string, string>();

  constructor(private readonly f: Findings) {}

  see(identity: string | undefined, path: string, label: string): void {
    if (identity === undefined) return;
    const first = this.seen.get(identity);
    if (first === undefined) this.seen.set(identity, path);
    else this.f.report("approver.repeat", path, `repeats the approver at ${first} (${label}); an approver may appear only once per flow`);
  }
}

/** Warns when `field` is present on `o` at `path`. */
export function warnField(
  f: Findings,
  o: Obj,
  path: string,
  field: string,
  rule: Parameters<Findings["report"]>[0],
  message: string,
): void {
  if (o[field] !== undefined) f.report(rule, join(path, field), message);
}

/** Warns for each of `fields` present on `o` at `path`. */
export function warnFields(
  f: Findings,
  o: Obj,
  path: string,
  fields: readonly string[],
  rule: Parameters<Findings["report"]>[0],
  message: string,
): void {
  for (const field of fields) if (o[field] !== undefined) f.report(rule, join(path, field), message);
}

export const DEPRECATED = "is deprecated and ignored by ESS";
export const EMBEDDED_ONLY = "only applies to embedded (web) creation; ESS ignores it here";
export const SIGN_BEAN_TAG_ONLY = "only applies with SignBeanTag=1, which this API does not have; ESS ignores it";

const OPTION_EMBEDDED_ONLY = ["CanEditApprover", "ForbidModifySealInfos"];
const OPTION_SIGN_BEAN_TAG_ONLY = ["ForbidAddSignDate", "AddSignComponentUseSealSize"];

/** Warnings on an ApproverOption shared by both editions. */
export function checkApproverOption(f: Findings, approver: Obj, path: string): void {
  const option = approver["ApproverOption"];
  if (!isObj(option)) return;
  const optionPath = join(path, "ApproverOption");
  warnFields(f, option, optionPath, OPTION_EMBEDDED_ONLY, "embedded-only-field", EMBEDDED_ONLY);
  warnFields(f, option, optionPath, OPTION_SIGN_BEAN_TAG_ONLY, "sign-bean-tag-only-field", SIGN_BEAN_TAG_ONLY);
}
