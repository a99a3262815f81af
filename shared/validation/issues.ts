import type { Issue } from "../errors/app-error";
import type { Edition } from "../ess/edition";
import type { RawIssue } from "./compile";
import { RULES, type RuleEntry, type RuleId } from "./rules";

/**
 * Turning findings into ESS-style issues: exact paths, codes from the rule catalogue (with the
 * field-name aliases the spec pages use), and unknown keys named with a "did you mean" hint.
 */

/** `a.b[0].c` from zod's path segments (no leading `$`, indices in brackets). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out === "" ? String(s) : `.${String(s)}`;
  }
  return out;
}

/** `path.key`, or `key` at the root. */
export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** The last named segment of a path: `FileIds` for `FlowFileInfos[0].FileIds[0]`. */
export function lastField(path: string): string | undefined {
  let end = path.length;
  while (end > 0 && path[end - 1] === "]") end = path.lastIndexOf("[", end - 1);
  const start = path.lastIndexOf(".", end - 1) + 1;
  return end > start ? path.slice(start, end) : undefined;
}

const COMMON_INVALID_ALIASES: Record<string, string> = {
  Deadline: "FlowDeadLine",
  CallbackUrl: "FlowCallbackUrl",
  FileIds: "FlowFileIds",
  ComponentPosX: "ComponentPosition",
  ComponentPosY: "ComponentPosition",
  ComponentWidth: "ComponentPosition",
  ComponentHeight: "ComponentPosition",
  FileIndex: "ComponentFileIndex",
  ApproverIdCardType: "CardType",
  IdCardType: "CardType",
  ApproverIdCardNumber: "CardNumber",
  IdCardNumber: "CardNumber",
};

/** Field name → the suffix of the code each spec page uses for it (`InvalidParameter.<suffix>`). */
const INVALID_ALIASES: Record<Edition, Record<string, string>> = {
  ess: { ...COMMON_INVALID_ALIASES, ApproverMobile: "Mobile", ApproverName: "Name", UserData: "FlowUserData" },
  essbasic: { ...COMMON_INVALID_ALIASES, Mobile: "NonsupportMobile" },
};

/** Same for `MissingParameter.<suffix>`. */
const MISSING_ALIASES: Record<Edition, Record<string, string>> = {
  ess: { FileIds: "ResourceId", Approvers: "FlowApprover" },
  essbasic: {},
};

/** The ESS code a finding of `rule` at `path` carries in `edition`. */
export function codeFor(rule: RuleId, edition: Edition, path: string): string {
  const spec = (RULES[rule] as RuleEntry)[edition];
  if (!spec) throw new Error(`validation rule ${rule} is not defined for ${edition}`);
  const template = spec.code;
  if (!template.endsWith(".*")) return template;
  const prefix = template.slice(0, -2);
  const field = lastField(path);
  if (field === undefined) return prefix;
  const aliases = prefix === "MissingParameter" ? MISSING_ALIASES[edition] : INVALID_ALIASES[edition];
  return `${prefix}.${Object.hasOwn(aliases, field) ? aliases[field] : field}`;
}

/** At most this many errors (and as many warnings) are kept for one request; then checking stops. */
export const MAX_FINDINGS = 100;

/**
 * Collects errors and warnings for one request; every finding names a catalogued rule. Past
 * `MAX_FINDINGS` errors it is `full`: further findings are dropped and the walks stop.
 */
export class Findings {
  readonly issues: Issue[] = [];
  readonly warnings: Issue[] = [];
  /** Some findings were dropped (or not looked for) because the collector was full. */
  truncated = false;

  constructor(readonly edition: Edition) {}

  get full(): boolean {
    return this.issues.length >= MAX_FINDINGS;
  }

  report(rule: RuleId, path: string, message: string): void {
    const spec = (RULES[rule] as RuleEntry)[this.edition];
    const into = spec?.level === "warning" ? this.warnings : this.issues;
    if (into.length >= MAX_FINDINGS) {
      this.truncated = true;
      return;
    }
    into.push({ Path: path, Code: codeFor(rule, this.edition, path), Message: message });
  }
}

// ---- zod issues ----------------------------------------------------------------------------

const EXPECTED: Record<string, string> = {
  string: "must be a string",
  number: "must be a number",
  boolean: "must be a boolean (true or false)",
  array: "must be an array",
  object: "must be a JSON object",
};

function typeMessage(issue: RawIssue): string {
  if (issue.code === "invalid_type" && issue.expected !== undefined) {
    return EXPECTED[issue.expected] ?? `must be of type ${issue.expected}`;
  }
  return "has the wrong type";
}

/** Whether the value at `segments` is absent from `body` (its parent exists, the key does not). */
function isAbsent(body: unknown, segments: readonly PropertyKey[]): boolean {
  let node: unknown = body;
  for (let i = 0; i < segments.length; i++) {
    if (typeof node !== "object" || node === null) return false;
    const value = (node as Record<PropertyKey, unknown>)[segments[i]!];
    if (i === segments.length - 1) return value === undefined;
    node = value;
  }
  return body === undefined;
}

/** Adds the issues of a schema run (compiled or zod's own) to `findings`. */
export function addSchemaIssues(findings: Findings, issues: readonly RawIssue[], body: unknown): void {
  for (const issue of issues) {
    if (findings.full) {
      findings.truncated = true;
      return;
    }
    const segments = issue.path ?? [];
    const path = formatPath(segments);
    const rule = issue.code === "custom" ? (issue.params?.["rule"] as RuleId | undefined) : undefined;
    if (rule === "unknown-field") {
      const known = (issue.params?.["known"] as readonly string[] | undefined) ?? [];
      findings.report(rule, path, unknownKeyMessage(String(segments[segments.length - 1]), known));
    } else if (rule !== undefined) {
      findings.report(rule, path, issue.message ?? "is invalid");
    } else if (isAbsent(body, segments)) {
      findings.report("required-field", path, "is required");
    } else {
      findings.report("field-type", path, typeMessage(issue));
    }
  }
}

// ---- unknown keys ----------------------------------------------------------------------------

/** Names the two editions give the same thing; a caller mixing them gets pointed across. */
const SYNONYMS = new Map<string, readonly string[]>(
  Object.entries({
    Mobile: ["ApproverMobile"],
    ApproverMobile: ["Mobile"],
    Name: ["ApproverName"],
    ApproverName: ["Name"],
    IdCardType: ["ApproverIdCardType"],
    ApproverIdCardType: ["IdCardType"],
    IdCardNumber: ["ApproverIdCardNumber"],
    ApproverIdCardNumber: ["IdCardNumber"],
    Approvers: ["FlowApprovers"],
    FlowApprovers: ["Approvers"],
    FlowGroupInfos: ["FlowFileInfos"],
    FlowFileInfos: ["FlowGroupInfos"],
    UserData: ["CustomerData"],
    CustomerData: ["UserData"],
    UserId: ["OpenId"],
    OpenId: ["UserId"],
  }),
);

/** Optimal-string-alignment distance (edits, with adjacent transpositions), case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/** The known field closest to `key`, if one is near enough to be a plausible typo or mix-up. */
export function suggestField(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const maxEdits = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestScore = Infinity;
  const consider = (candidate: string, score: number) => {
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  };
  for (const candidate of known) {
    const cl = candidate.toLowerCase();
    if (cl === lower) consider(candidate, 0);
    else if (SYNONYMS.get(key)?.includes(candidate)) consider(candidate, 0.5);
    else {
      const d = editDistance(key, candidate);
      if (d <= maxEdits) consider(candidate, d);
      else if (Math.min(lower.length, cl.length) >= 4 && (cl.includes(lower) || lower.includes(cl))) {
        consider(candidate, maxEdits + 1);
      }
    }
  }
  return best;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = suggestField(key, known);
  const base = "is not a parameter of this structure (ESS would silently ignore it)";
  return hint === undefined ? base : `${base}; did you mean ${hint}?`;
}
