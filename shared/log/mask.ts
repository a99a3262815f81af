/**
 * Masking of personal data and secrets. Applied to everything that leaves through a log line or an
 * error body, so a mistake elsewhere does not leak a signer's mobile or a SecretKey.
 */

/** Field names (any case) whose values are personal data. */
const PERSONAL_KEYS = new Set(
  [
    "approvername",
    "name",
    "approvermobile",
    "mobile",
    "approveridcardnumber",
    "idcardnumber",
    "cardnumber",
    "approveremail",
    "email",
    "username",
  ].map((k) => k.toLowerCase()),
);

/** Name fields of people under other names (ESS: OperatorName, ApproveName, CreatorName, …). */
const PERSON_NAME_KEY = /(approver|approve|operator|user|person|receiver|signer|creator|legal|proxyoperator|cc)name$/i;

/** Field names (any case, substring match) whose values are secrets. */
const SECRET_KEY_PATTERN = /(secret|token|password|authorization|api[-_]?key|signature|callback[-_]?key|credential)/i;

const MOBILE_IN_TEXT = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const ID_CARD_IN_TEXT = /(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])/g;
const HK_MACAO_PASS_IN_TEXT = /(?<![\dA-Za-z])([HM])\d{6}(\d{2,4})(?![\dA-Za-z])/g;

export function maskMobile(value: string): string {
  if (value.length < 7) return "*".repeat(value.length);
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}

export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 1) return "*";
  return chars[0] + "*".repeat(chars.length - 1);
}

export function maskIdNumber(value: string): string {
  if (value.length <= 6) return "*".repeat(value.length);
  return `${value.slice(0, 2)}${"*".repeat(value.length - 6)}${value.slice(-4)}`;
}

/** Masks mobiles and ID numbers found inside free text (ESS messages, exception texts). */
export function maskText(text: string): string {
  return text
    .replace(MOBILE_IN_TEXT, "$1****$2")
    .replace(ID_CARD_IN_TEXT, "$1**********$2")
    .replace(HK_MACAO_PASS_IN_TEXT, "$1******$2");
}

function maskPersonal(key: string, value: string): string {
  const k = key.toLowerCase();
  if (k.includes("mobile")) return maskMobile(value);
  if (k.includes("idcard") || k.includes("cardnumber")) return maskIdNumber(value);
  if (k.includes("email")) return value.replace(/^[^@]*/, (local) => maskName(local));
  return maskName(value);
}

/**
 * Deep copy of `value` with personal fields masked, secret fields replaced by `***`, and
 * mobiles/ID numbers masked inside every other string. Cycles are cut.
 */
export function maskDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return maskText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, seen));
  if (value instanceof Error) {
    return { name: value.name, message: maskText(value.message), code: (value as { code?: unknown }).code };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY_PATTERN.test(key)) {
      out[key] = item === undefined || item === null || item === "" ? item : "***";
    } else if ((PERSONAL_KEYS.has(key.toLowerCase()) || PERSON_NAME_KEY.test(key)) && typeof item === "string") {
      out[key] = maskPersonal(key, item);
    } else {
      out[key] = maskDeep(item, seen);
    }
  }
  return out;
}
