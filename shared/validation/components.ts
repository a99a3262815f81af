import * as z from "zod/mini";
import type { Edition } from "../ess/edition";
import {
  type Check,
  fail,
  intIn,
  isTooLong,
  lazy,
  NAME_CHARSET,
  num,
  oneOfMessage,
  optBool,
  optNumber,
  optString,
  requiredText,
  stringOneOf,
  text,
} from "./common";
import { strict } from "./compile";
import { checkExtra, COMBINATION_TYPES, parseExtra } from "./component-extra";
import { type Findings, join } from "./issues";
import { filled, isObj, type Obj } from "./read";
import type { RuleId } from "./rules";
import { DATE_VALUE } from "../text/input-patterns";

/**
 * Components (控件): the sign components of an approver, the fill components of an approver, and
 * the initiator's fill components of a flow. One schema factory for both editions, and the
 * cross-field checks that depend on the component's type and positioning mode.
 */

/** Where a component list sits; decides which ComponentType values are allowed. */
export type ComponentKind = "sign" | "approverFill" | "initiatorFill";

const SIGN_TYPES = [
  "SIGN_SEAL",
  "SIGN_DATE",
  "SIGN_SIGNATURE",
  "SIGN_PAGING_SIGNATURE",
  "SIGN_PAGING_SEAL",
  "SIGN_OPINION",
  "SIGN_VIRTUAL_COMBINATION",
  "SIGN_MULTI_LINE_TEXT",
  "SIGN_SELECTOR",
  "SIGN_LEGAL_PERSON_SEAL",
] as const;

const APPROVER_FILL_TYPES = [
  "TEXT",
  "MULTI_LINE_TEXT",
  "CHECK_BOX",
  "FILL_IMAGE",
  "DYNAMIC_TABLE",
  "ATTACHMENT",
  "SELECTOR",
  "DATE",
  "DISTRICT",
  "VIRTUAL_COMBINATION",
] as const;

/** WATERMARK "只能分配给发起方". */
const INITIATOR_FILL_TYPES = [...APPROVER_FILL_TYPES, "WATERMARK"] as const;

/** Seal-like sign types a person cannot use (listed under "企业方" only). */
const ENTERPRISE_ONLY_SIGN_TYPES = new Set(["SIGN_SEAL", "SIGN_PAGING_SEAL", "SIGN_LEGAL_PERSON_SEAL"]);
const SIGNATURE_TYPES = new Set(["SIGN_SIGNATURE", "SIGN_PAGING_SIGNATURE"]);
const PAGING_TYPES = new Set(["SIGN_PAGING_SEAL", "SIGN_PAGING_SIGNATURE"]);
/** "仅可用在签批控件内部作为组合控件，单独无法使用". */
const COMBINATION_ONLY_TYPES = new Set(["SIGN_MULTI_LINE_TEXT", "SIGN_SELECTOR"]);

const GENERATE_MODES = ["NORMAL", "FIELD", "KEYWORD"] as const;
const KEYWORD_ORDERS = ["Positive", "Reverse"] as const;
const RELATIVE_LOCATIONS = ["Middle", "Below", "Right", "LowerRight", "UpperRight"] as const;
type Note = readonly [RuleId, string];
const KEYWORD_ONLY: Note = ["keyword-fields.keyword-only", "only applies when GenerateMode is KEYWORD; ESS ignores it here"];
const NOT_YET_USED: Note = ["not-yet-used-field", "is not used yet by ESS (【暂未使用】); it is ignored"];
const OUTPUT_ONLY: Note = ["output-only-field", "is an output field; leave it out when creating (发起合同时候不要填写此字段)"];
const EMBEDDED_ONLY: Note = ["embedded-only-field", "only applies to embedded (web) creation; ESS ignores it here"];

function notes(entries: Record<string, Note>): ReadonlyMap<string, Note> {
  return new Map(Object.entries(entries));
}

const COMMON_NOTES: Record<string, Note> = {
  OffsetX: KEYWORD_ONLY,
  OffsetY: KEYWORD_ONLY,
  KeywordOrder: KEYWORD_ONLY,
  KeywordPage: KEYWORD_ONLY,
  RelativeLocation: KEYWORD_ONLY,
  KeywordIndexes: KEYWORD_ONLY,
  ComponentDateFontSize: NOT_YET_USED,
  ChannelComponentId: NOT_YET_USED,
  ComponentRecipientId: OUTPUT_ONLY,
  LockComponentValue: EMBEDDED_ONLY,
  ForbidMoveAndDelete: EMBEDDED_ONLY,
};

/** Fields whose mere presence earns a warning, per edition. */
const FIELD_NOTES: Record<Edition, ReadonlyMap<string, Note>> = {
  ess: notes({ ...COMMON_NOTES, ChannelComponentSource: NOT_YET_USED, IsFormType: OUTPUT_ONLY }),
  essbasic: notes({ ...COMMON_NOTES, DocumentId: NOT_YET_USED, ComponentDescription: NOT_YET_USED }),
};

function componentTypeCheck(kind: ComponentKind): Check<string> {
  if (kind === "sign") return stringOneOf("sign-component-type.enum", SIGN_TYPES);
  const allowed = new Set<string>(kind === "initiatorFill" ? INITIATOR_FILL_TYPES : APPROVER_FILL_TYPES);
  const message = oneOfMessage(kind === "initiatorFill" ? INITIATOR_FILL_TYPES : APPROVER_FILL_TYPES);
  return (p) => {
    if (p.value === "" || allowed.has(p.value)) return;
    if (p.value === "WATERMARK") {
      fail(p, "watermark.initiator-only", "WATERMARK can only be given to the initiator (flow Components), not to an approver");
    } else {
      fail(p, "fill-component-type.enum", message);
    }
  };
}

const fileIndexZero: Check<number> = (p) => {
  if (p.value !== 0) fail(p, "file-index.zero", "must be 0: a flow has exactly one file, so FileIndex is always 0");
};

/** Fields both editions' Component share (ComponentType aside), built once. */
const commonComponentFields = lazy(() => ({
  GenerateMode: z.optional(text(stringOneOf("generate-mode.enum", GENERATE_MODES))),
  ComponentId: optString(),
  ComponentName: optString(),
  ComponentRequired: optBool(),
  ComponentRecipientId: optString(),
  ComponentExtra: optString(),
  ComponentValue: optString(),
  OffsetX: optNumber(),
  OffsetY: optNumber(),
  KeywordOrder: z.optional(text(stringOneOf("keyword-order.enum", KEYWORD_ORDERS))),
  KeywordPage: z.optional(num(intIn("keyword-page.range", 1, Number.MAX_SAFE_INTEGER, true))),
  RelativeLocation: z.optional(text(stringOneOf("relative-location.enum", RELATIVE_LOCATIONS))),
  KeywordIndexes: z.optional(z.array(num(intIn("keyword-indexes.range", 0, Number.MAX_SAFE_INTEGER)))),
  LockComponentValue: optBool(),
  ForbidMoveAndDelete: optBool(),
  ComponentDateFontSize: optNumber(),
  ChannelComponentId: optString(),
}));

const fileIndex = lazy(() => num(fileIndexZero));
const number = lazy(() => num());

/**
 * The ess Component schema for a list of `kind`. The SDK model makes the type, the geometry and
 * FileIndex required, whatever the positioning mode.
 */
export function essComponentSchema(kind: ComponentKind) {
  return strict({
    ComponentType: requiredText(componentTypeCheck(kind)),
    ...commonComponentFields(),
    ComponentHeight: number(),
    ComponentWidth: number(),
    ComponentPage: number(),
    ComponentPosX: number(),
    ComponentPosY: number(),
    FileIndex: fileIndex(),
    IsFormType: optBool(),
    ChannelComponentSource: optNumber(),
  });
}

/**
 * The essbasic Component schema for a list of `kind`. The model makes everything optional; the
 * geometry a positioning mode needs is checked by {@link checkComponentList}. ComponentType is
 * required anyway: without it a component of a file-based flow means nothing.
 */
export function essbasicComponentSchema(kind: ComponentKind) {
  return strict({
    ComponentType: requiredText(componentTypeCheck(kind)),
    ...commonComponentFields(),
    ComponentHeight: optNumber(),
    ComponentWidth: optNumber(),
    ComponentPage: optNumber(),
    ComponentPosX: optNumber(),
    ComponentPosY: optNumber(),
    FileIndex: z.optional(fileIndex()),
    DocumentId: optString(),
    ComponentDescription: optString(),
    Placeholder: optString(),
  });
}

// ---- cross-field checks ---------------------------------------------------------------------

/** Who owns a component list, as far as the component rules care. */
export interface ComponentOwner {
  kind: ComponentKind;
  /** Person or enterprise approver; undefined for the initiator or an unknown ApproverType. */
  party?: "person" | "enterprise";
  /** An enterprise auto-sign (ess 3 / ENTERPRISESERVER) approver. */
  enterpriseAutoSign?: boolean;
}

/** Checks every component of `parent[key]` (a raw, possibly ill-typed value). */
export function checkComponentList(f: Findings, parent: Obj, parentPath: string, key: string, owner: ComponentOwner): void {
  const list = parent[key];
  if (!Array.isArray(list) || list.length === 0) return;
  const path = join(parentPath, key);
  const extras: (Obj | undefined)[] = new Array(list.length);
  let children: Set<unknown> | undefined;
  for (let i = 0; i < list.length && !f.full; i++) {
    const c: unknown = list[i];
    if (!isObj(c) || !filled(c["ComponentExtra"])) continue;
    const extra = parseExtra(f, c["ComponentExtra"], `${path}[${i}]`);
    extras[i] = extra;
    const ids = extra?.["Children"];
    if (typeof c["ComponentType"] === "string" && COMBINATION_TYPES.has(c["ComponentType"]) && Array.isArray(ids)) {
      children ??= new Set();
      for (const id of ids) children.add(id);
    }
  }
  for (let i = 0; i < list.length && !f.full; i++) {
    const c: unknown = list[i];
    if (isObj(c)) checkComponent(f, c, `${path}[${i}]`, owner, extras[i], children);
  }
}

function checkComponent(
  f: Findings,
  c: Obj,
  path: string,
  owner: ComponentOwner,
  extra: Obj | undefined,
  children: Set<unknown> | undefined,
): void {
  const type = typeof c["ComponentType"] === "string" ? c["ComponentType"] : "";
  const mode = filled(c["GenerateMode"]) ? c["GenerateMode"] : "NORMAL";
  checkPositioning(f, c, path, owner, type, mode);
  checkFieldWarnings(f, c, path, mode);
  if (owner.kind === "sign") checkSignType(f, c, path, owner, type, children);
  checkValue(f, c, path, owner, type);
  if (extra) checkExtra(f, extra, path, type);
  else if (type === "WATERMARK" && owner.kind === "initiatorFill" && !filled(c["ComponentExtra"])) {
    f.report("watermark.extra-required", join(path, "ComponentExtra"), "is required for a WATERMARK component (必须设置ComponentExtra)");
  }
}

const SIZE = ["ComponentWidth", "ComponentHeight"];
const ABSOLUTE_POSITION = ["ComponentPosX", "ComponentPosY"];
const PAGING_POSITION = ["ComponentPosY"];
const ABSOLUTE_GEOMETRY = ["ComponentPage", ...ABSOLUTE_POSITION, ...SIZE];
/** "若文件发起，需要对应填充ComponentPosY、ComponentWidth、ComponentHeight". */
const PAGING_GEOMETRY = [...PAGING_POSITION, ...SIZE];

function checkPositioning(f: Findings, c: Obj, path: string, owner: ComponentOwner, type: string, mode: string): void {
  if (owner.kind === "sign" && mode === "FIELD") {
    f.report(
      "generate-mode.no-field-for-sign",
      join(path, "GenerateMode"),
      "cannot be FIELD for a sign component (表单域的控件不能作为印章和签名控件)",
    );
  }
  if (mode === "NORMAL") {
    const paging = PAGING_TYPES.has(type);
    requireGeometry(f, c, path, paging ? PAGING_GEOMETRY : ABSOLUTE_GEOMETRY, "an absolutely positioned component (GenerateMode NORMAL)");
    if (!paging) checkPage(f, c, path);
    checkPosition(f, c, path, paging ? PAGING_POSITION : ABSOLUTE_POSITION);
    checkSize(f, c, path);
    checkIdentifier(f, c, path, "ComponentId", 30, "component-id.format");
    checkIdentifier(f, c, path, "ComponentName", 20, "component-name.format");
  } else if (mode === "KEYWORD") {
    requireGeometry(f, c, path, SIZE, "a keyword-positioned component");
    checkSize(f, c, path);
    if (!filled(c["ComponentId"])) {
      f.report(
        "keyword.required",
        join(path, "ComponentId"),
        "is required with GenerateMode KEYWORD: it is the keyword searched in the PDF",
      );
    }
  } else if (mode === "FIELD" && !filled(c["ComponentName"])) {
    f.report("form-field.name-required", join(path, "ComponentName"), "is required with GenerateMode FIELD: it is the PDF form field name");
  }
}

/** Only essbasic leaves geometry optional in the model; ess reports absence through the schema. */
function requireGeometry(f: Findings, c: Obj, path: string, fields: readonly string[], what: string): void {
  if (f.edition !== "essbasic") return;
  for (const field of fields) {
    if (c[field] === undefined) f.report("component-geometry.required", join(path, field), `is required for ${what}`);
  }
}

function checkPage(f: Findings, c: Obj, path: string): void {
  const page = c["ComponentPage"];
  if (typeof page === "number" && (!Number.isInteger(page) || page === 0)) {
    f.report(
      "component-page.value",
      join(path, "ComponentPage"),
      "must be a non-zero integer: pages count from 1, negative values count from the last page",
    );
  }
}

function checkPosition(f: Findings, c: Obj, path: string, fields: readonly string[]): void {
  for (const field of fields) {
    const v = c[field];
    if (typeof v === "number" && v < 0)
      f.report("component-position.value", join(path, field), "must be 0 or more (pt from the page origin)");
  }
}

function checkSize(f: Findings, c: Obj, path: string): void {
  for (const field of SIZE) {
    const v = c[field];
    if (typeof v === "number" && v <= 0) f.report("component-size.value", join(path, field), "must be greater than 0 (pt)");
  }
}

function checkIdentifier(f: Findings, c: Obj, path: string, field: string, max: number, rule: RuleId): void {
  const v = c[field];
  if (filled(v) && (isTooLong(v, max) || !NAME_CHARSET.test(v))) {
    f.report(
      rule,
      join(path, field),
      `must be at most ${max} characters of Chinese, letters, digits and underscore (长度不能超过${max}，只能由中文、字母、数字和下划线组成)`,
    );
  }
}

function checkFieldWarnings(f: Findings, c: Obj, path: string, mode: string): void {
  const fieldNotes = FIELD_NOTES[f.edition];
  for (const field in c) {
    const note = fieldNotes.get(field);
    if (note !== undefined && (note !== KEYWORD_ONLY || mode !== "KEYWORD")) f.report(note[0], join(path, field), note[1]);
  }
}

function checkSignType(f: Findings, c: Obj, path: string, owner: ComponentOwner, type: string, children: Set<unknown> | undefined): void {
  if (owner.party === "person" && ENTERPRISE_ONLY_SIGN_TYPES.has(type)) {
    f.report(
      "sign-component-type.person",
      join(path, "ComponentType"),
      "is an enterprise sign component; a person approver can use " +
        "SIGN_SIGNATURE, SIGN_DATE, SIGN_PAGING_SIGNATURE, SIGN_OPINION or SIGN_VIRTUAL_COMBINATION",
    );
  }
  if (COMBINATION_ONLY_TYPES.has(type) && !(filled(c["ComponentId"]) && children?.has(c["ComponentId"]))) {
    f.report(
      "sign-component-type.combination-child",
      join(path, "ComponentType"),
      "can only be used inside a SIGN_VIRTUAL_COMBINATION: give it a ComponentId listed in that component's ComponentExtra Children",
    );
  }
  if (owner.enterpriseAutoSign && SIGNATURE_TYPES.has(type)) {
    f.report(
      "auto-sign.no-signature",
      join(path, "ComponentType"),
      "cannot be a signature for an auto-sign approver: “授权签”仅进行盖章操作，不能“授权签”名",
    );
  }
}

function checkValue(f: Findings, c: Obj, path: string, owner: ComponentOwner, type: string): void {
  const value = c["ComponentValue"];
  if (filled(value)) {
    if (type === "CHECK_BOX" && value !== "true" && value !== "false") {
      f.report("component-value.check-box", join(path, "ComponentValue"), 'must be "true" or "false" for a CHECK_BOX');
    } else if (type === "DATE" && !DATE_VALUE.test(value)) {
      f.report("component-value.date", join(path, "ComponentValue"), "must be a date written xxxx年xx月xx日 for a DATE component");
    } else if (type === "DYNAMIC_TABLE" && !isJson(value)) {
      f.report("component-value.dynamic-table", join(path, "ComponentValue"), "must be the table as JSON for a DYNAMIC_TABLE component");
    } else if (type === "ATTACHMENT" && !isAttachmentList(value)) {
      f.report(
        "component-value.attachment",
        join(path, "ComponentValue"),
        "must be 1 to 6 comma-separated file resource ids for an ATTACHMENT component",
      );
    }
  } else if (owner.kind === "initiatorFill" && c["ComponentRequired"] === true && type !== "VIRTUAL_COMBINATION") {
    f.report(
      "initiator-component.value-required",
      join(path, "ComponentValue"),
      "is required: the initiator's required fill components are filled when the flow is created (需要在发起的时候进行填充)",
    );
  }
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function isAttachmentList(value: string): boolean {
  const ids = value.split(",");
  return ids.length <= 6 && ids.every((id) => id.trim() !== "");
}
