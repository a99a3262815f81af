import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { BoundedPattern } from "../../../shared/text/bounded-pattern";
import { EMAIL, INPUT_PATTERNS } from "../../../shared/text/input-patterns";

/**
 * Every regex applied to input is linear and capped (audit finding 4). V8 exposes no step counter,
 * so linearity is established by recheck's automaton analysis (the ReDoS checker that finds a
 * polynomial or exponential backtracking path when there is one, with an attack string); the caps
 * are established by counting how often the regex itself ran. No timing anywhere.
 */

/** The quadratic e-mail pattern the audit measured at 3.1 s for 40,000 characters. */
const AUDITED_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

describe("the ReDoS analysis catches what the audit found", () => {
  it("flags the old e-mail pattern as polynomial, with an attack string", () => {
    const result = checkSync(AUDITED_EMAIL.source, AUDITED_EMAIL.flags, { checker: "automaton" });
    expect(result.status).toBe("vulnerable");
    expect(result.status === "vulnerable" && result.complexity.type).toBe("polynomial");
  });
});

describe.each(INPUT_PATTERNS.map((pattern) => [pattern.name, pattern] as const))("%s", (_name, pattern) => {
  it("has no super-linear backtracking (recheck: safe)", () => {
    // The automaton analysis: deterministic (recheck's fuzzer, its fallback, is not).
    const result = checkSync(pattern.regex.source, pattern.regex.flags, { checker: "automaton", timeout: 20_000 });
    expect({ status: result.status, complexity: result.status === "safe" ? result.complexity.type : result.status }).toEqual({
      status: "safe",
      complexity: expect.stringMatching(/^(safe|linear)$/),
    });
  });

  it("runs once on each pathological value of its maximum length, and never on a longer one", () => {
    for (const value of pathological(pattern)) {
      expect(value.length).toBe(pattern.maxLength);
      const before = pattern.runs;
      expect(typeof pattern.match(value)).toBe("boolean");
      expect(pattern.runs).toBe(before + 1);
      const longer = `${value}a`;
      expect(pattern.match(longer)).toBeUndefined();
      expect(pattern.test(longer)).toBe(false);
      expect(pattern.exec(longer)).toBeUndefined();
      expect(pattern.runs).toBe(before + 1);
    }
  });
});

describe("the e-mail pattern still reads addresses", () => {
  it.each([
    ["a@b.cn", true],
    ["zhang.san@example.com.cn", true],
    ["a@b", false],
    ["13800138000", false],
    ["a@b..cn", false],
    ["a b@c.cn", false],
  ])("%s → %s", (value, expected) => {
    expect(EMAIL.test(value)).toBe(expected);
  });
});

it("a pattern that would keep lastIndex state is refused", () => {
  expect(() => new BoundedPattern("global", /a/g, 10).regex).toThrow(TypeError);
});

/** Values of exactly `maxLength` characters built from the characters attacks on these patterns use. */
function pathological(pattern: BoundedPattern): string[] {
  const n = pattern.maxLength;
  const fill = (unit: string, tail = "") => (unit.repeat(Math.ceil(n / unit.length)).slice(0, n - tail.length) + tail).slice(0, n);
  const units = ["a", "A", "0", "1", ".", "@", "=", "+", " ", "\t", "-", "{", "}", "X", "汉", "a.", "a@", "@.", "0 ", "1X", "签署方"];
  const values = new Set<string>();
  for (const unit of units) {
    values.add(fill(unit));
    values.add(fill(unit, "!"));
    values.add(fill(unit, "@"));
  }
  values.add(fill(".", "a@").split("").reverse().join(""));
  values.add(`a@${".".repeat(Math.max(0, n - 3))}@`.slice(0, n));
  values.add(`Bearer ${" ".repeat(n)}`.slice(0, n));
  return [...values].filter((v) => v.length === n);
}
