import { ApiError, invalid, missing, wrongType } from "./api-error";

/**
 * Small readers for request parameters. ESS's gateway accepts numbers sent as numeric strings
 * (the documentation's own examples send `"ApproverType": "1"`), so integer readers do too.
 * Each reader throws the first problem as an `ApiError` naming the exact path.
 */

export type Json = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Constraints of `readString`. */
export interface StringRule {
  required?: boolean;
  /** Code for a missing value; defaults to `MissingParameter`. */
  missingCode?: string;
  maxLength?: number;
  /** Code for a value that breaks `maxLength` or `pattern`. */
  invalidCode?: string;
  pattern?: RegExp;
}

/** A string parameter; absent, null and (when required) empty values count as missing. */
export function readString(value: unknown, path: string, rule: StringRule = {}): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required) throw missing(path, rule.missingCode);
    return undefined;
  }
  if (typeof value !== "string") throw wrongType(path, "string");
  if (rule.required && value.trim() === "") throw missing(path, rule.missingCode);
  if (rule.maxLength !== undefined && Array.from(value).length > rule.maxLength)
    throw invalid(path, `is longer than ${rule.maxLength} characters`, rule.invalidCode);
  if (rule.pattern && value !== "" && !rule.pattern.test(value)) throw invalid(path, "has an invalid format", rule.invalidCode);
  return value;
}

/** An integer parameter, given as a JSON number or a string of digits. */
export function readInteger(value: unknown, path: string, invalidCode = "InvalidParameter"): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw new ApiError(invalidCode, `The value type of parameter \`${path}\` is not valid: expected integer.`);
}

/** A number parameter (JSON number or numeric string). */
export function readNumber(value: unknown, path: string, invalidCode = "InvalidParameter"): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new ApiError(invalidCode, `The value type of parameter \`${path}\` is not valid: expected number.`);
}

/** A boolean parameter (JSON booleans only). */
export function readBoolean(value: unknown, path: string, invalidCode = "InvalidParameter"): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  throw new ApiError(invalidCode, `The value type of parameter \`${path}\` is not valid: expected boolean.`);
}

/** An object parameter. */
export function readObject(value: unknown, path: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw wrongType(path, "object");
  return value;
}

/** An array parameter. */
export function readArray(value: unknown, path: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(path, "array");
  return value;
}

/** A list of strings, each non-empty. */
export function readStringArray(value: unknown, path: string): string[] | undefined {
  const items = readArray(value, path);
  if (items === undefined) return undefined;
  return items.map((item, i) => readString(item, `${path}[${i}]`, { required: true })!);
}

/** Mainland China mobile: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
