// zod's functional "mini" build, as in every module of this folder: the chainable API put ~90 KB
// of zod into the create-group bundle (mini: ~20 KB) and ~20 ms into its cold start. Core types
// come from "zod/v4/core", not through `z.core`, a namespace that makes bundlers keep all of core.
import * as z from "zod/mini";
import type { $ZodCheck, ParsePayload } from "zod/v4/core";
import { capped } from "./compile";
import type { BoundedPattern } from "../text/bounded-pattern";
import { BASE64_USER_DATA } from "../text/input-patterns";
import type { RuleId } from "./rules";

/**
 * Field-level building blocks shared by both editions' schemas.
 *
 * Every check reports a `custom` zod issue carrying the id of the rule it enforces, so the issue
 * mapper (`issues.ts`) can give it the rule's ESS code. Zero values ("" and, where documented
 * values exclude it, 0) mean "not set": ESS's backend cannot tell them from an absent field, and the
 * spec's own examples send `Deadline: 0`, `CallbackUrl: ""` and `ComponentValue: ""`.
 */

type Payload<T> = ParsePayload<T>;
/** A zod check function over a value of type `T`. */
export type Check<T> = (payload: Payload<T>) => void;

/**
 * `make()`, run on the first call and remembered. Schemas and other costly values of this folder
 * are built through it rather than at import: importing the folder is on every cold start of the
 * create-group function, building both editions' schemas there cost 15–20 ms, and a deployment
 * usually serves one edition only.
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/** Records a violation of `rule` on the value being checked (its path is added by the parent). */
export function fail<T>(payload: Payload<T>, rule: RuleId, message: string): void {
  payload.issues.push({ code: "custom", message, input: payload.value, params: { rule } });
}

// The patterns themselves (each linear, each with a length cap) live in shared/text/input-patterns.ts.
export { EMAIL, MAINLAND_MOBILE, NAME_CHARSET } from "../text/input-patterns";

/** Length in characters (code points), the unit of every "长度不能超过N" in the docs. */
function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Whether `value` has more than `max` characters. */
export function isTooLong(value: string, max: number): boolean {
  // Code units never undercount code points, so the slower count is needed only past the limit.
  return value.length > max && charLength(value) > max;
}

/**
 * Standard base64 with padding ("以base64方式编码"); undefined when the value is longer than any
 * `UserData` may be (its length rule reports that).
 */
export function isBase64(value: string): boolean | undefined {
  const matched = BASE64_USER_DATA.match(value);
  return matched === undefined ? undefined : value.length % 4 === 0 && matched;
}

/** `must be one of: A, B, C` with the documented values. */
export function oneOfMessage(values: readonly (string | number)[]): string {
  return `must be one of: ${values.join(", ")}`;
}

// ---- checks -------------------------------------------------------------------------------

/** At most `max` characters ("长度不能超过N"). */
export function maxChars(rule: RuleId, max: number): Check<string> {
  return (p) => {
    if (isTooLong(p.value, max)) fail(p, rule, `must be at most ${max} characters`);
  };
}

/** Exactly `length` characters (resource ids "为32位字符串"); "" passes only when `emptyUnset`. */
export function exactLength(rule: RuleId, length: number, emptyUnset: boolean): Check<string> {
  return (p) => {
    if (emptyUnset && p.value === "") return;
    if (p.value.length !== length) fail(p, rule, `must be a ${length}-character resource id (为${length}位字符串)`);
  };
}

/**
 * Matches `pattern` (described as `what` in the message); "" means not set. A value longer than
 * the pattern's cap does not match, and the regex does not run on it.
 */
export function matches(rule: RuleId, pattern: BoundedPattern, what: string): Check<string> {
  return (p) => {
    if (p.value !== "" && !pattern.test(p.value)) fail(p, rule, `must be ${what}`);
  };
}

/** One of the documented `values`; "" means not set. */
export function stringOneOf(rule: RuleId, values: readonly string[]): Check<string> {
  const allowed = new Set(values);
  const message = oneOfMessage(values);
  return (p) => {
    if (p.value !== "" && !allowed.has(p.value)) fail(p, rule, message);
  };
}

/** Integer in [min, max]; `zeroUnset` accepts 0 as "not set" when 0 is outside the range. */
export function intIn(rule: RuleId, min: number, max: number, zeroUnset = false): Check<number> {
  return (p) => {
    const v = p.value;
    if (zeroUnset && v === 0) return;
    if (!Number.isInteger(v) || v < min || v > max) fail(p, rule, `must be an integer from ${min} to ${max}`);
  };
}

/** One of the documented numeric `values`; `zeroUnset` accepts 0 as "not set". */
export function intOneOf(rule: RuleId, values: readonly number[], zeroUnset = false): Check<number> {
  const allowed = new Set(values);
  const message = oneOfMessage(values);
  return (p) => {
    if (zeroUnset && p.value === 0) return;
    if (!allowed.has(p.value)) fail(p, rule, message);
  };
}

/**
 * A check on an array that runs even when some elements failed (zod skips a schema's checks after
 * a nested failure by default), so a count rule is never hidden behind an element's error.
 */
export function arrayCheck<T>(check: Check<T[]>): $ZodCheck<T[]> {
  return z.check<T[]>(check, { when: (p) => Array.isArray(p.value) });
}

/** An array of `min` to `max` elements; a longer one is not walked (see `capped`). */
export function countIn(rule: RuleId, min: number, max: number, message: string): $ZodCheck<unknown[]> {
  return capped(
    arrayCheck((p) => {
      const n = p.value.length;
      if (n < min || n > max) fail(p, rule, message);
    }),
    max,
  );
}

/** Flows per group, in both editions ("支持2-50个子合同"). */
export const MAX_FLOWS = 50;

const nonEmpty: Check<string> = (p) => {
  if (p.value === "") fail(p, "required-field", "is required and must not be empty");
};

// ---- schemas --------------------------------------------------------------------------------
//
// Nothing here builds a schema at import (see `lazy`): each edition's schema is built on its first
// validation (index.ts), and the pieces both editions share by whichever edition comes first.

/** A string with the given checks (the caller wraps it in `z.optional` where the field is optional). */
export function text(...checks: Check<string>[]) {
  return checks.length === 0 ? z.string() : z.string().check(...checks);
}

/** A string that must be present and non-empty. */
export function requiredText(...checks: Check<string>[]) {
  return z.string().check(nonEmpty, ...checks);
}

/** A number with the given checks. */
export function num(...checks: Check<number>[]) {
  return checks.length === 0 ? z.number() : z.number().check(...checks);
}

// Shared instances: zod schemas are immutable, so the plain optional fields (most of the ~250)
// reuse these instead of each building its own.
export const optString = lazy(() => z.optional(z.string()));
export const optNumber = lazy(() => z.optional(z.number()));
export const optBool = lazy(() => z.optional(z.boolean()));

/** An array of strings. */
export const stringList = lazy(() => z.array(z.string()));
