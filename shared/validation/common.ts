// zod's functional "mini" build, as in every module of this folder: the chainable API put ~90 KB
// of zod into the create-group bundle (mini: ~20 KB) and ~20 ms into its cold start. Core types
// come from "zod/v4/core", not through `z.core`, a namespace that makes bundlers keep all of core.
import * as z from "zod/mini";
import type { $ZodCheck, ParsePayload } from "zod/v4/core";
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

/**
 * Han characters, ASCII letters, digits and underscore: "只能由中文、字母、数字和下划线组成". Built on
 * first use, from a string: V8 checks a `\p{Script=…}` regex *literal* when it parses the file,
 * which loads ICU's script data (~0.5–0.8 ms of every cold start) even if nothing ever uses it.
 */
export const nameCharset = lazy(() => new RegExp("^[\\p{Script=Han}A-Za-z0-9_]+$", "u"));
/** Mainland mobile: 11 digits in the 13–19 ranges ("13,14,15,16,17,18,19号段长度11位"). */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
/** Something@domain.tld: enough to catch a name or a mobile typed into the e-mail field. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

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

/** Standard base64 with padding ("以base64方式编码"). */
export function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64.test(value);
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

/** Matches `pattern` (described as `what` in the message); "" means not set. */
export function matches(rule: RuleId, pattern: RegExp, what: string): Check<string> {
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

/** An array of `min` to `max` elements. */
export function countIn(rule: RuleId, min: number, max: number, message: string): $ZodCheck<unknown[]> {
  return arrayCheck((p) => {
    const n = p.value.length;
    if (n < min || n > max) fail(p, rule, message);
  });
}

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
