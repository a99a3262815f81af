import type { Edition } from "../ess/edition";

/**
 * The catalogue of every validation rule, by id. Each finding names one of these ids, so no check
 * can exist without an entry here; `docs/validation.md` has one row per id (with the spec sentence
 * it comes from) and the test suite has one table row per id and edition.
 *
 * `code` is either a literal ESS code or a template: `InvalidParameter.*` / `MissingParameter.*`
 * is completed with the field name at the end of the path (after the aliases in `issues.ts`).
 */
export type Level = "error" | "warning";

export interface RuleSpec {
  readonly code: string;
  readonly level: Level;
}

export type RuleEntry = Readonly<Partial<Record<Edition, RuleSpec>>>;

const ERROR: Level = "error";
const WARNING: Level = "warning";

const both = (code: string, level: Level = ERROR): RuleEntry => ({
  ess: { code, level },
  essbasic: { code, level },
});
const essOnly = (code: string, level: Level = ERROR): RuleEntry => ({ ess: { code, level } });
const basicOnly = (code: string, level: Level = ERROR): RuleEntry => ({ essbasic: { code, level } });
const perEdition = (ess: RuleSpec, essbasic: RuleSpec): RuleEntry => ({ ess, essbasic });

const INVALID = "InvalidParameter.*";
const MISSING = "MissingParameter.*";

export const RULES = {
  // Generic rules, applied to every field of both requests.
  "unknown-field": both("UnknownParameter"),
  "required-field": both(MISSING),
  "field-type": both(INVALID),
  "deprecated-field": both(INVALID, WARNING),
  "embedded-only-field": both(INVALID, WARNING),
  "sign-bean-tag-only-field": both(INVALID, WARNING),
  "not-yet-used-field": both(INVALID, WARNING),
  "output-only-field": both(INVALID, WARNING),

  // Request level.
  "flow-group-name.length": both("InvalidParameter.FlowGroupName"),
  "flow-group-name.charset": both("InvalidParameter.FlowGroupName", WARNING),
  "flows.count": both(INVALID),
  "agent.proxy-organization-id.required": essOnly("MissingParameter.ProxyOrganizationId"),
  "agent.proxy-organization-open-id.length": basicOnly(INVALID),
  "agent.proxy-operator-open-id.length": basicOnly(INVALID),
  "approver-verify-type.enum": both("InvalidParameter.ApproverVerifyType"),
  "flow-group-options.notify-type.enum": essOnly("InvalidParameter.NotifyType"),
  "seal-size-policy.enum": both(INVALID),
  "user-flow-type.overrides-flow-type": essOnly("InvalidParameter.FlowType", WARNING),

  // Flow (sub-contract) level.
  "flow-name.length": both("InvalidParameter.FlowName"),
  "flow-name.charset": essOnly("InvalidParameter.FlowName", WARNING),
  "file-ids.single": both("InvalidParameter.FlowFileIds"),
  "file-id.length": essOnly("InvalidParameter.FlowFileIds"),
  "template-id.length": essOnly(INVALID),
  "flow-type.length": both("InvalidParameter.FlowType"),
  "flow-description.length": both("InvalidParameter.FlowDescription"),
  "deadline.integer": both("InvalidParameter.FlowDeadLine"),
  "deadline.future": both("InvalidParameter.FlowDeadLine"),
  "deadline.max": basicOnly("InvalidParameter.FlowDeadLine"),
  "deadline.seconds": essOnly("InvalidParameter.FlowDeadLine"),
  "user-data.base64": essOnly("InvalidParameter.FlowUserData"),
  "user-data.length": essOnly("InvalidParameter.FlowUserData"),
  "customer-data.length": basicOnly("InvalidParameter.CustomerData"),
  "auto-sign-scene.enum": essOnly(INVALID),
  "auto-sign-scene.required": essOnly("InvalidParameter.PersonAutoSignTag"),
  "flow-display-type.enum": both(INVALID),
  "cc.forbidden": essOnly("OperationDenied.CcForbid"),
  "approvers.non-empty": perEdition(
    { code: "MissingParameter.FlowApprover", level: ERROR },
    { code: "InvalidParameter.FlowApprovers", level: ERROR },
  ),
  "approvers.max": perEdition(
    { code: "InvalidParameter.Approvers", level: ERROR },
    { code: "InvalidParameter.FlowApprovers", level: ERROR },
  ),
  "custom-show-map.placeholders": basicOnly("InvalidParameter.CustomShowMap"),
  "initiator-component.value-required": both("InvalidParameter.MissingRequiredComponentValue"),

  // Approver level.
  "approver-type.enum": both("InvalidParameter.ApproverType"),
  "organization-name.required": essOnly("MissingParameter.ApproverOrganizationInfo"),
  "organization-name.parentheses": both("InvalidParameter.OrganizationName"),
  "person.no-organization-name": essOnly("OperationDenied.ErrNoSupportIndividualHasOrganizationName"),
  "approver-name.required": both("MissingParameter.ApproverName"),
  "approver-mobile.required": both("MissingParameter.ApproverMobile"),
  "mobile.format": perEdition(
    { code: "InvalidParameter.Mobile", level: ERROR },
    { code: "InvalidParameter.NonsupportMobile", level: ERROR },
  ),
  "id-card-type.enum": both("InvalidParameter.CardType"),
  "id-card-number.format": both("InvalidParameter.CardNumber"),
  "notify-type.enum": both("InvalidParameter.NotifyType"),
  "notify-type.not-channel-only": basicOnly("InvalidParameter.NotifyType", WARNING),
  "not-channel-organization.organization-only": basicOnly(INVALID, WARNING),
  "approver-role.enum": essOnly(INVALID),
  "approver-role-name.length": both(INVALID),
  "approver-role-name.charset": both(INVALID),
  "pre-read-time.range": both("InvalidParameter.PreReadTime"),
  "approver-source.enum": essOnly(INVALID),
  "custom-approver-tag.length": essOnly(INVALID),
  "approver-verify-types.enum": both(INVALID),
  "approver-verify-types.overridden": both(INVALID, WARNING),
  "approver-sign-types.enum": both(INVALID),
  "approver-sign-types.not-only-device": both(INVALID),
  "sign-instruction.length": essOnly(INVALID),
  "approver-deadline.unsupported": both("InvalidParameter.Deadline", WARNING),
  "sign-endpoints.enum": both(INVALID),
  "approver-email.format": both(INVALID),
  "open-id.format": basicOnly(INVALID),
  "organization-open-id.length": basicOnly(INVALID),
  "component-limit-type.enum": basicOnly(INVALID),
  "sign-type-selector.enum": basicOnly(INVALID),
  "intention-type.enum": basicOnly(INVALID),
  "intention-questions.count": basicOnly(INVALID),
  "intention-question.length": basicOnly(INVALID),
  "intention-actions.count": basicOnly(INVALID),
  "intention-action-text.length": basicOnly(INVALID),
  "intention-speed.enum": basicOnly(INVALID),
  "fill-type.enum": both(INVALID),
  "flow-read-limit.enum": both(INVALID),
  "approver-mobile-mode.enum": both(INVALID),
  "component-limit.type.enum": both(INVALID),
  "component-limit.value.enum": both(INVALID),
  "component-limit.legal-person-value": both(INVALID, WARNING),
  "register-info.authorization-types.enum": essOnly(INVALID),
  "register-info.authorization-methods.enum": essOnly(INVALID),
  "register-info.id-card-type.enum": essOnly(INVALID),
  "register-info-option.needs-value": essOnly(INVALID),
  "approver.repeat": perEdition(
    { code: "OperationDenied.ApproverRepeat", level: ERROR },
    { code: "InvalidParameter.BizApproverAlreadyExists", level: ERROR },
  ),

  // Auto-sign ("授权签" / 静默签) approvers.
  "auto-sign.seal-id": both("MissingParameter.ServerSignSealId"),
  "auto-sign.no-dynamic": perEdition(
    { code: "InvalidParameter.FillType", level: ERROR },
    // essbasic example 2 has a dynamic ENTERPRISESERVER approver and ESS accepted it.
    { code: "InvalidParameter.FillType", level: WARNING },
  ),
  "auto-sign.no-fill-components": both("OperationDenied.ServerSignNoAllowComponent"),
  "auto-sign.no-signature": both("OperationDenied.ServerSignNoSupportSignature"),

  // Components.
  "sign-component-type.enum": both("InvalidParameter.SignComponentType"),
  "sign-component-type.person": both("InvalidParameter.SignComponentType"),
  "sign-component-type.combination-child": both("InvalidParameter.SignComponentType"),
  "fill-component-type.enum": perEdition(
    { code: "OperationDenied.NoSupportComponentType", level: ERROR },
    { code: "InvalidParameter.UnsupportedComponentType", level: ERROR },
  ),
  "watermark.initiator-only": perEdition(
    { code: "OperationDenied.NoSupportComponentType", level: ERROR },
    { code: "InvalidParameter.UnsupportedComponentType", level: ERROR },
  ),
  "watermark.extra-required": both("MissingParameter.ComponentExtra"),
  "generate-mode.enum": both(INVALID),
  "generate-mode.no-field-for-sign": both(INVALID),
  "component-page.value": both("InvalidParameter.ComponentPage"),
  "component-position.value": both("InvalidParameter.ComponentPosition"),
  "component-size.value": both("InvalidParameter.ComponentPosition"),
  "component-geometry.required": basicOnly(MISSING),
  "file-index.zero": both("InvalidParameter.ComponentFileIndex"),
  "keyword.required": both("MissingParameter.KeyWord"),
  "keyword-fields.keyword-only": both(INVALID, WARNING),
  "form-field.name-required": both("MissingParameter.Field"),
  "keyword-order.enum": both(INVALID),
  "relative-location.enum": both(INVALID),
  "keyword-indexes.range": both(INVALID),
  "keyword-page.range": both(INVALID),
  "component-id.format": both(INVALID),
  "component-name.format": both(INVALID),
  "component-extra.json": both(INVALID),
  "component-extra.font-size": both(INVALID),
  "component-extra.font": both(INVALID),
  "component-extra.font-align": both(INVALID),
  "component-extra.opacity": both(INVALID),
  "component-extra.type-limit": both(INVALID),
  "component-extra.children-max": both(INVALID),
  "component-extra.watermark": both(INVALID),
  "component-extra.rotate": basicOnly(INVALID),
  "component-extra.date-format": both(INVALID, WARNING),
  "component-value.check-box": both("InvalidParameter.ComponentTypeNoMatchValue"),
  "component-value.date": both("InvalidParameter.ComponentTypeNoMatchValue"),
  "component-value.dynamic-table": both("InvalidParameter.ComponentTypeNoMatchValue"),
  "component-value.attachment": both("InvalidParameter.ComponentTypeNoMatchValue"),
} as const satisfies Record<string, RuleEntry>;

/** Id of a rule in {@link RULES}. */
export type RuleId = keyof typeof RULES;
