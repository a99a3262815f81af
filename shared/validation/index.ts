import type * as z from "zod/mini";
import type { CreateFlowGroupByFilesRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type { ChannelCreateFlowGroupByFilesRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { Issue } from "../errors/app-error";
import type { Edition } from "../ess/edition";
import { checkEssCreateFlowGroup, essCreateFlowGroupSchema } from "./ess-create-flow-group";
import { checkEssbasicCreateFlowGroup, essbasicCreateFlowGroupSchema } from "./essbasic-create-flow-group";
import { lazy } from "./common";
import { compile, MAX_SCHEMA_ISSUES, type RawIssue, type Runner } from "./compile";
import { addSchemaIssues, Findings } from "./issues";

/**
 * Pre-flight validation of the two create-group requests, run before ESS is called (each flow of a
 * group costs a contract quota). Reports every violation at once, with exact paths and ESS codes.
 */

/** The result of validating a request body. */
export type ValidationOutcome<T> =
  | { ok: true; request: T; warnings: Issue[] }
  | {
      ok: false;
      issues: Issue[];
      warnings: Issue[];
      /** Checking stopped at `MAX_FINDINGS` errors (or `MAX_SCHEMA_ISSUES` schema issues): there may be more. */
      truncated?: true;
    };

export interface ValidateOptions {
  /** The clock deadlines are checked against. */
  now: Date;
}

type CrossCheck = (findings: Findings, body: unknown, nowSeconds: number) => void;

// Each edition's schema and runner are built on its first validation (a few ms), not at import: a
// deployment usually serves one edition, and importing this module is on every cold start.
const runEss = lazy(() => compile(essCreateFlowGroupSchema()));
const runEssbasic = lazy(() => compile(essbasicCreateFlowGroupSchema()));

function validate<T>(edition: Edition, run: Runner, crossCheck: CrossCheck, body: unknown, options: ValidateOptions): ValidationOutcome<T> {
  const findings = new Findings(edition);
  const schemaIssues: RawIssue[] = [];
  const request = run(body, schemaIssues);
  if (schemaIssues.length > 0) addSchemaIssues(findings, schemaIssues, body);
  if (schemaIssues.length >= MAX_SCHEMA_ISSUES) findings.truncated = true;
  // The cross-field pass is skipped once the collector is full: more findings would be dropped.
  if (!findings.full) crossCheck(findings, body, Math.floor(options.now.getTime() / 1000));
  // Full means the walks stopped there: there may be more.
  if (findings.full) findings.truncated = true;
  const warnings = unique(findings.warnings);
  if (findings.issues.length > 0) {
    const issues = unique(findings.issues);
    return findings.truncated ? { ok: false, issues, warnings, truncated: true } : { ok: false, issues, warnings };
  }
  return { ok: true, request: request as T, warnings };
}

/** Drops a finding repeated at the same path with the same code (two rules can meet on one field). */
function unique(issues: Issue[]): Issue[] {
  if (issues.length < 2) return issues;
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.Path}\n${i.Code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates a CreateFlowGroupByFiles (ess) body. On success `request` is the body to send through
 * the SDK: the same fields, with `ApproverType` given as a numeric string turned into a number.
 */
export function validateEssCreateFlowGroup(body: unknown, options: ValidateOptions): ValidationOutcome<CreateFlowGroupByFilesRequest> {
  return validate("ess", runEss(), checkEssCreateFlowGroup, body, options);
}

/** Validates a ChannelCreateFlowGroupByFiles (essbasic) body; `request` is the body unchanged. */
export function validateEssbasicCreateFlowGroup(
  body: unknown,
  options: ValidateOptions,
): ValidationOutcome<ChannelCreateFlowGroupByFilesRequest> {
  return validate("essbasic", runEssbasic(), checkEssbasicCreateFlowGroup, body, options);
}

// Compile-time guarantee that what the schemas produce is what the SDK accepts.
type Assignable<T, U extends T> = U;
// biome-ignore lint/correctness/noUnusedVariables: a type that compiles only while the schema fits the SDK
type EssSchemaFitsSdk = Assignable<CreateFlowGroupByFilesRequest, z.output<ReturnType<typeof essCreateFlowGroupSchema>>>;
// biome-ignore lint/correctness/noUnusedVariables: a type that compiles only while the schema fits the SDK
type EssbasicSchemaFitsSdk = Assignable<ChannelCreateFlowGroupByFilesRequest, z.output<ReturnType<typeof essbasicCreateFlowGroupSchema>>>;
