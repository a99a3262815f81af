import { describe, expect, it } from "vitest";
import { RULES, type RuleEntry } from "../../../shared/validation/rules";
import { errorsOf, FIXTURES, show, validate } from "./fixtures";
import { RULE_CASES, type RuleCase } from "./rule-cases";

const levelOf = (c: RuleCase) => (RULES[c.rule] as RuleEntry)[c.edition]?.level;
const title = (c: RuleCase) => `${c.edition} ${c.rule} → ${c.code} @ ${c.path}`;
const cases = RULE_CASES.map((c) => [title(c), c] as const);

function run(c: RuleCase, change: (b: unknown) => void) {
  const fx = FIXTURES.find((f) => f.edition === c.edition)!;
  const body = fx.base();
  change(body);
  return validate(c.edition, body);
}

describe("each rule, on a base body that is otherwise valid", () => {
  it.each(FIXTURES.map((fx) => [fx.edition, fx] as const))("the %s base body is valid", (_, fx) => {
    const outcome = validate(fx.edition, fx.base());
    expect(errorsOf(outcome).map(show)).toEqual([]);
  });

  it.each(cases)("valid: %s", (_, c) => {
    const outcome = run(c, c.valid);
    expect(errorsOf(outcome).map(show)).toEqual([]);
    if (levelOf(c) === "warning") expect(outcome.warnings.map(show)).not.toContain(`${c.code} @ ${c.path}`);
  });

  it.each(cases)("invalid: %s", (_, c) => {
    const outcome = run(c, c.invalid);
    if (levelOf(c) === "warning") {
      expect(errorsOf(outcome).map(show)).toEqual([]);
      expect(outcome.warnings.map(show)).toContain(`${c.code} @ ${c.path}`);
    } else {
      expect(outcome.ok).toBe(false);
      expect(errorsOf(outcome).map(show)).toEqual([`${c.code} @ ${c.path}`]);
    }
  });
});
