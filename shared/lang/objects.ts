/**
 * Small helpers on plain values, in one place: look here (and in shared/json/) before writing one.
 */

/** A plain object (what a JSON object parses to): not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
