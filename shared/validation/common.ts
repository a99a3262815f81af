import * as z from "zod";
// Imported from zod's core directly: reaching it through `z.core` makes bundlers keep all of zod.
import { _check } from "zod/v4/core";
import type { RuleId } from "./rules";

/**
 * Field-level building blocks shared by both editions' schemas.
 *
 * Every check reports a `custom` zod issue carrying the id of the rule it enforces, so the issue
 * mapper (`issues.ts`) can give it the rule's ESS code. Zero values ("" and, where documented
 * values exclude it, 0) mean "not set": ESS's backend cannot tell them from an absent field, and the
 * spec's own examples send `Deadline: 0`, `CallbackUrl: ""` and `ComponentValue: ""`.
 */

type Payload<T> = z.core.ParsePayload<T>;
/** A zod check function over a value of type `T`. */
export type Check<T> = (payload: Payload<T>) => void;

/** Records a violation of `rule` on the value being checked (its path is added by the parent). */
export function fail<T>(payload: Payload<T>, rule: RuleId, message: string): void {
  payload.issues.push({ code: "custom", message, input: payload.value, params: { rule } });
}

/** Han characters, ASCII letters, digits and underscore: "只能由中文、字母、数字和下划线组成". */
export const NAME_CHARSET = /^[\p{Script=Han}A-Za-z0-9_]+$/u;
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
export function arrayCheck<T>(check: Check<T[]>): z.core.$ZodCheck<T[]> {
  return _check<T[]>(check, { when: (p) => Array.isArray(p.value) });
}

/** An array of `min` to `max` elements. */
export function countIn(rule: RuleId, min: number, max: number, message: string): z.core.$ZodCheck<unknown[]> {
  return arrayCheck((p) => {
    const n = p.value.length;
    if (n < min || n > max) fail(p, rule, message);
  });
}

const nonEmpty: Check<string> = (p) => {
  if (p.value === "") fail(p, "required-field", "is required and must not be empty");
};

// ---- schemas --------------------------------------------------------------------------------

/** A string with the given checks (the caller adds `.optional()` where the field is optional). */
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

const bool = z.boolean();

// Shared instances: zod schemas are immutable, and building one costs tens of microseconds at
// cold start, so the plain optional fields (most of the ~250) reuse these three.
export const optString = z.string().optional();
export const optNumber = z.number().optional();
export const optBool = bool.optional();

/** An array of strings. */
export const stringList = z.array(z.string());
