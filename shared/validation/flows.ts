import { fail, NAME_CHARSET, type Check } from "./common";
import { type Findings, join } from "./issues";
import { isObj, type Obj } from "./read";
import type { RuleId } from "./rules";
import { EMBEDDED_ONLY, SIGN_BEAN_TAG_ONLY } from "./approvers";

/** Flow- and group-level rules shared by both editions. */

/** "只能由中文、字母、数字和下划线组成" — a warning: the spec's own examples use `-`, `(`, `)`. */
export function checkNameCharset(f: Findings, value: unknown, path: string, rule: RuleId): void {
  // Too long to check (undefined): the length rule reports it.
  if (typeof value === "string" && value !== "" && NAME_CHARSET.match(value) === false) {
    f.report(
      rule,
      path,
      "should contain only Chinese, letters, digits and underscore (只能由中文、字母、数字和下划线组成); ESS accepted other characters in its own examples",
    );
  }
}

export const deadlineInteger: Check<number> = (p) => {
  if (!Number.isInteger(p.value) || p.value < 0) {
    fail(p, "deadline.integer", "must be a Unix timestamp in whole seconds (0 means not set)");
  }
};

/** Deadline must be later than `nowSeconds`; 0 keeps ESS's default (one year after creation). */
export function checkDeadlineFuture(f: Findings, flow: Obj, path: string, nowSeconds: number): void {
  const deadline = flow["Deadline"];
  if (typeof deadline === "number" && Number.isInteger(deadline) && deadline > 0 && deadline <= nowSeconds) {
    f.report("deadline.future", join(path, "Deadline"), "must be in the future (0 leaves ESS's default of one year)");
  }
}

/** FlowGroupOptions.SignComponentConfig is for the embedded creation page only. */
export function checkFlowGroupOptions(f: Findings, options: unknown): void {
  if (!isObj(options) || options["SignComponentConfig"] === undefined) return;
  const path = "FlowGroupOptions.SignComponentConfig";
  f.report("embedded-only-field", path, EMBEDDED_ONLY);
  const config = options["SignComponentConfig"];
  if (isObj(config) && config["AddSignComponentUseSealSize"] !== undefined) {
    f.report("sign-bean-tag-only-field", join(path, "AddSignComponentUseSealSize"), SIGN_BEAN_TAG_ONLY);
  }
}
