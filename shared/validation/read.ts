/**
 * Defensive readers for the cross-field pass, which walks the raw body even when the schema found
 * type errors: a value of the wrong type reads as absent here (the schema already reported it).
 */

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** A JSON object (shared/lang/objects.ts, under the name the validators use). */
export { isObject as isObj } from "../lang/objects";

/** A non-empty string ("" means "not set" to ESS). */
export function filled(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/** `value` if it is an array, else an empty one. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

/**
 * `value` if it is an array of at most `max` elements, else an empty one: the cross-field pass does
 * not walk an array the schema already refused for its count.
 */
export function within(value: unknown, max: number): readonly unknown[] {
  return Array.isArray(value) && value.length <= max ? value : EMPTY;
}

const EMPTY: readonly unknown[] = Object.freeze([]);
