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

/**
 * Personal data inside free text. Each pattern matches a bounded length from where it starts, so a
 * global search is linear (recheck's automaton analysis of each, lookarounds aside, in
 * `test/shared/log/mask.test.ts`); the lookarounds only test one character. E-mail addresses have
 * no bounded length and are found by a scan instead (`maskEmails`).
 */
const TEXT_PATTERNS = {
  /** Mainland mobiles, with +86 / 0086 / 86 in front or not, digits grouped by spaces, dots or dashes. */
  mobile: /(?<![\d+])((?:\+|00)?86[ .-]?)?(1[3-9]\d(?:[ .-]?\d){8})(?![\d])/g,
  /** 18-character ID numbers. */
  idCard18: /(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])/g,
  /** 15-digit (first-generation) ID numbers. */
  idCard15: /(?<![\dA-Za-z])(\d{4})\d{7}(\d{4})(?![\dA-Za-z])/g,
  /** Hong Kong / Macao travel permits. */
  hkMacaoPass: /(?<![\dA-Za-z])([HM])\d{6}(\d{2,4})(?![\dA-Za-z])/g,
  /** Passports: ordinary (E, EA…, G + 8), official, service and diplomatic (P, S, D + 7). */
  passport: /(?<![\dA-Za-z])([EGPSD])(?:[A-Z]\d{7}|\d{7,8})(?![\dA-Za-z])/g,
};

/** The text patterns, for the linearity test. */
export const TEXT_MASK_PATTERNS: readonly RegExp[] = Object.values(TEXT_PATTERNS);

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

/**
 * Masks personal data found inside free text (ESS messages, exception texts): mobiles in any of
 * their written forms, 18- and 15-digit ID numbers, travel permits, passports, e-mail addresses.
 */
export function maskText(text: string): string {
  const masked = text
    .replace(TEXT_PATTERNS.mobile, (_match, prefix: string | undefined, number: string) => {
      const digits = number.replace(/\D/g, "");
      return `${prefix ?? ""}${digits.slice(0, 3)}****${digits.slice(-4)}`;
    })
    .replace(TEXT_PATTERNS.idCard18, "$1**********$2")
    .replace(TEXT_PATTERNS.idCard15, "$1*******$2")
    .replace(TEXT_PATTERNS.hkMacaoPass, "$1******$2")
    .replace(TEXT_PATTERNS.passport, "$1********");
  return masked.includes("@") ? maskEmails(masked) : masked;
}

const isLocalChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f ||
  c === 0x2e ||
  c === 0x25 ||
  c === 0x2b ||
  c === 0x2d;
const isDomainChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e;

/**
 * Masks e-mail addresses (`local@label.label…`) as `l***@domain`, in one scan: from each `@`, the
 * local part is read leftwards and the domain rightwards, each character at most a fixed number of
 * times (`steps`, when given, counts them: the tests check that it stays linear).
 */
export function maskEmails(text: string, steps?: { count: number }): string {
  let out = "";
  let copied = 0;
  let leftLimit = 0;
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > leftLimit && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    if (steps) steps.count += at - start + (end - at) + 1;
    leftLimit = at + 1;
    const domain = validDomain(text.slice(at + 1, end));
    if (start === at || domain === undefined) continue;
    out += `${text.slice(copied, start)}${text[start]}***@${domain}`;
    copied = at + 1 + domain.length;
    leftLimit = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The longest prefix of `run` made of two or more non-empty labels joined by dots, if any. */
function validDomain(run: string): string | undefined {
  const labels: string[] = [];
  for (const label of run.split(".")) {
    if (label === "") break;
    labels.push(label);
  }
  return labels.length >= 2 ? labels.join(".") : undefined;
}

function maskPersonal(key: string, value: string): string {
  const k = key.toLowerCase();
  if (k.includes("mobile")) return maskMobile(value);
  if (k.includes("idcard") || k.includes("cardnumber")) return maskIdNumber(value);
  if (k.includes("email")) return value.replace(/^[^@]*/, (local) => maskName(local));
  return maskName(value);
}

/** Deeper than this, a value is replaced rather than walked (request bodies are refused past 32). */
const MAX_MASK_DEPTH = 64;

/**
 * Deep copy of `value` with personal fields masked, secret fields replaced by `***`, and
 * mobiles/ID numbers masked inside every other string. Cycles are cut.
 */
export function maskDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  if (depth > MAX_MASK_DEPTH) return "[Too deep]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, seen, depth + 1));
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
      out[key] = maskDeep(item, seen, depth + 1);
    }
  }
  return out;
}

/**
 * Fields of ESS messages that people type freely (a rejection reason, a message to the signers):
 * a name in them cannot be recognised, so `/events` leaves their text out.
 */
const FREE_TEXT_KEYS = new Set(["approvemessage", "flowmessage", "message", "rejectmessage", "reason", "remark", "comment"]);

/** Organisation names can be a person's name (个体工商户 trade under the owner's name). */
const ORGANIZATION_NAME_KEY = /organizationname$/i;

/** Replaces the free text of an ESS message. */
export const FREE_TEXT_OMITTED = "[free text omitted]";

/**
 * An ESS message (`MsgData`) as `/events` shows it: `maskDeep`, plus free-text fields left out and
 * organisation names masked like names.
 */
export function maskMessageData(value: unknown, depth = 0): unknown {
  if (depth > MAX_MASK_DEPTH) return "[Too deep]";
  if (Array.isArray(value)) return value.map((item) => maskMessageData(item, depth + 1));
  if (value === null || typeof value !== "object") return maskDeep(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string" && FREE_TEXT_KEYS.has(key.toLowerCase())) out[key] = item === "" ? "" : FREE_TEXT_OMITTED;
    else if (typeof item === "string" && ORGANIZATION_NAME_KEY.test(key)) out[key] = maskName(item);
    else if (item !== null && typeof item === "object") out[key] = maskMessageData(item, depth + 1);
    else out[key] = (maskDeep({ [key]: item }) as Record<string, unknown>)[key];
  }
  return out;
}
