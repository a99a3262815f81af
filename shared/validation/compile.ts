import * as z from "zod/mini";
import { isObject } from "../lang/objects";
import type { $strict, $ZodType, ParseContextInternal, ParsePayload } from "zod/v4/core";

/**
 * Strict objects, and a compiled runner for the schemas of this folder.
 *
 * Why: zod parses field by field with a fresh payload and issue array per field; on a maximal
 * request (50 flows × 10 approvers, ~2,500 objects, ~20,000 fields) that cost 3–4 ms, against a
 * budget of 2 ms for the whole validation. The schemas stay zod schemas, and `schema.safeParse`
 * stays the reference behaviour (a test runs both on the same inputs and compares the findings).
 * `compile` walks a schema once and returns a runner that does the same work without per-field
 * allocations: it understands strings, numbers, booleans, arrays, optionals and the strict objects
 * built by {@link strict}, runs their zod checks in zod's order, and hands anything else to zod.
 */

/** An issue as zod checks raise it; paths are relative to the value being checked. */
export interface RawIssue {
  code: string;
  path?: PropertyKey[];
  expected?: string;
  message?: string;
  params?: Record<string, unknown>;
  continue?: boolean;
  input?: unknown;
}

/** Checks `value`, appends issues to `issues`, returns the output value (the input when unchanged). */
export type Runner = (value: unknown, issues: RawIssue[]) => unknown;

type Payload = ParsePayload;

interface CheckLike {
  _zod: { check(payload: Payload): unknown; def: { when?: ((payload: Payload) => boolean) | undefined } };
}

interface SchemaLike {
  _zod: {
    def: { type: string; checks?: CheckLike[]; innerType?: SchemaLike; element?: SchemaLike };
    optin?: unknown;
    run(payload: Payload, ctx: ParseContextInternal): Payload | Promise<Payload>;
  };
}

type Shape = Record<string, $ZodType>;

const RUN_CONTEXT: ParseContextInternal = { async: false };

/**
 * The runner stops walking once this many raw issues are collected: a body of 100,000 bad elements
 * must not build 100,000 issues (the findings keep at most `MAX_FINDINGS` anyway).
 */
export const MAX_SCHEMA_ISSUES = 200;

/** Array checks that carry a maximum element count (see {@link capped}). */
const CAPS = new WeakMap<object, number>();

/**
 * Marks `check` as the count rule of an array with at most `max` elements: the compiled runner
 * checks the count first and does not walk the elements of a longer array (its count issue is
 * enough, and walking 100,000 elements past a limit of 50 is work a caller should not buy).
 */
export function capped<C extends object>(check: C, max: number): C {
  CAPS.set(check, max);
  return check;
}

function capOf(checks: CheckLike[] | undefined): number | undefined {
  let cap: number | undefined;
  for (const check of checks ?? []) {
    const max = CAPS.get(check);
    if (max !== undefined && (cap === undefined || max < cap)) cap = max;
  }
  return cap;
}
const SHAPES = new WeakMap<object, Shape>();
const RUNNERS = new WeakMap<object, Runner>();
const NATIVE = new WeakMap<object, Runner>();

const asSchema = (s: unknown) => s as SchemaLike;

function prefix(issues: RawIssue[], from: number, key: PropertyKey): void {
  for (let i = from; i < issues.length; i++) {
    const issue = issues[i]!;
    issue.path = issue.path && issue.path.length > 0 ? [key, ...issue.path] : [key];
  }
}

function unknownKey(key: string, known: readonly string[]): RawIssue {
  return { code: "custom", message: "unknown field", path: [key], params: { rule: "unknown-field", known } };
}

/**
 * A strict object: every key must be declared in `shape`, and each unknown key is reported by name
 * (rule `unknown-field`, with the declared keys for a "did you mean" hint). Only the keys present
 * are visited, so ESS structures of 25–35 mostly absent fields stay cheap. Unchanged children are
 * shared with the input; an object is copied only when a field's schema changed its value.
 */
export function strict<S extends Shape>(shape: S): z.ZodMiniType<z.output<z.ZodMiniObject<S, $strict>>> {
  const known = Object.keys(shape);
  const required = known.filter((k) => asSchema(shape[k])._zod.optin === undefined);
  // The reference behaviour, used by `schema.safeParse`; `compile` reimplements it without allocations.
  const schema = z.custom<z.output<z.ZodMiniObject<S, $strict>>>().check((p) => {
    const input: unknown = p.value;
    if (!isObject(input)) {
      p.issues.push({ code: "invalid_type", expected: "object", input });
      return;
    }
    let output: Record<string, unknown> | undefined;
    for (const key in input) {
      if (!Object.hasOwn(shape, key)) {
        p.issues.push({ ...unknownKey(key, known), code: "custom", input: input[key] });
        continue;
      }
      const value = input[key];
      if (value === undefined) continue;
      const result = asSchema(shape[key])._zod.run({ value, issues: [] }, RUN_CONTEXT) as Payload;
      for (const issue of result.issues) {
        (issue as { path: PropertyKey[] }).path = [key, ...(issue.path ?? [])];
        p.issues.push(issue);
      }
      if (result.value !== value) (output ??= { ...input })[key] = result.value;
    }
    for (const key of required) {
      if (input[key] === undefined) p.issues.push({ code: "invalid_type", expected: "nonoptional", input: undefined, path: [key] });
    }
    if (output !== undefined) (p as Payload).value = output;
  });
  SHAPES.set(schema, shape);
  return schema;
}

/** The declared fields of a schema built by {@link strict}; undefined for any other schema. */
export function strictShapeOf(schema: unknown): Readonly<Shape> | undefined {
  return typeof schema === "object" && schema !== null ? SHAPES.get(schema) : undefined;
}

/**
 * Gives `schema` a hand-written runner with the same behaviour, for schemas zod runs slowly (a
 * union piped into a transform allocates several payloads per value). Returns `schema`.
 */
export function withRunner<T extends $ZodType>(schema: T, runner: Runner): T {
  NATIVE.set(schema, runner);
  return schema;
}

/** The runner of `schema` (built once per schema object, then cached). */
export function compile(schema: $ZodType): Runner {
  let runner = RUNNERS.get(schema);
  if (runner === undefined) {
    runner = build(schema);
    RUNNERS.set(schema, runner);
  }
  return runner;
}

function build(schema: $ZodType): Runner {
  const native = NATIVE.get(schema);
  if (native !== undefined) return native;
  const shape = SHAPES.get(schema);
  if (shape !== undefined) return strictRunner(shape);
  const def = asSchema(schema)._zod.def;
  const checks = def.checks !== undefined && def.checks.length > 0 ? def.checks : undefined;
  switch (def.type) {
    case "string":
      return leaf("string", (v) => typeof v === "string", checks);
    case "number":
      return leaf("number", (v) => typeof v === "number" && Number.isFinite(v), checks);
    case "boolean":
      return leaf("boolean", (v) => typeof v === "boolean", checks);
    case "optional":
      return checks ? delegate(schema) : optional(compile(def.innerType as unknown as $ZodType));
    case "array":
      return arrayRunner(compile(def.element as unknown as $ZodType), checks);
    default:
      return delegate(schema);
  }
}

/** Anything this runner does not model is run by zod itself. */
function delegate(schema: $ZodType): Runner {
  const s = asSchema(schema);
  return (value, issues) => {
    const result = s._zod.run({ value, issues: [] }, RUN_CONTEXT) as Payload;
    for (const issue of result.issues) issues.push(issue as RawIssue);
    return result.value;
  };
}

// One payload for every check: checks run synchronously and none keeps the payload.
const scratch: { value: unknown; issues: RawIssue[] } = { value: undefined, issues: [] };

/** zod's order: a check without `when` is skipped once an aborting issue exists; one with `when` asks. */
function runChecks(checks: CheckLike[], value: unknown, issues: RawIssue[], aborted: boolean): void {
  for (const check of checks) {
    scratch.value = value;
    scratch.issues = issues;
    const when = check._zod.def.when;
    if (when !== undefined) {
      if (!when(scratch as Payload)) continue;
    } else if (aborted) continue;
    const before = issues.length;
    check._zod.check(scratch as Payload);
    if (!aborted) aborted = abortsFrom(issues, before);
  }
}

function abortsFrom(issues: RawIssue[], from: number): boolean {
  for (let i = from; i < issues.length; i++) if (issues[i]!.continue !== true) return true;
  return false;
}

function leaf(expected: string, accepts: (v: unknown) => boolean, checks: CheckLike[] | undefined): Runner {
  return (value, issues) => {
    if (!accepts(value)) issues.push({ code: "invalid_type", expected, path: [] });
    else if (checks !== undefined) runChecks(checks, value, issues, false);
    return value;
  };
}

function optional(inner: Runner): Runner {
  return (value, issues) => (value === undefined ? value : inner(value, issues));
}

function arrayRunner(element: Runner, checks: CheckLike[] | undefined): Runner {
  const cap = capOf(checks);
  return (value, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ code: "invalid_type", expected: "array", path: [] });
      return value;
    }
    if (cap !== undefined && value.length > cap) {
      // Counts first: over its limit, the array's count issue is all that is reported.
      runChecks(checks!, value, issues, false);
      return value;
    }
    const start = issues.length;
    let output: unknown[] | undefined;
    for (let i = 0; i < value.length && issues.length < MAX_SCHEMA_ISSUES; i++) {
      const before = issues.length;
      const item: unknown = value[i];
      const result = element(item, issues);
      if (issues.length > before) prefix(issues, before, i);
      if (result !== item) (output ??= value.slice())[i] = result;
    }
    if (checks !== undefined) runChecks(checks, output ?? value, issues, abortsFrom(issues, start));
    return output ?? value;
  };
}

/** How a strict object runs one field: a plain leaf is checked inline, anything else by its runner. */
interface FieldPlan {
  /** `typeof` a valid value, when the field is an optional or required leaf; else undefined. */
  leafType: "string" | "number" | "boolean" | undefined;
  checks: CheckLike[] | undefined;
  run: Runner;
}

function planField(schema: $ZodType): FieldPlan {
  const run = compile(schema);
  let s = asSchema(schema);
  if (!NATIVE.has(schema) && s._zod.def.type === "optional" && !s._zod.def.checks?.length) s = s._zod.def.innerType!;
  const def = s._zod.def;
  const leafType = NATIVE.has(s)
    ? undefined
    : def.type === "string" || def.type === "number" || def.type === "boolean"
      ? def.type
      : undefined;
  return { leafType, checks: def.checks !== undefined && def.checks.length > 0 ? def.checks : undefined, run };
}

function strictRunner(shape: Shape): Runner {
  const fields = new Map<string, FieldPlan>();
  for (const key of Object.keys(shape)) fields.set(key, planField(shape[key]!));
  const known = Object.keys(shape);
  const required = known.filter((k) => asSchema(shape[k])._zod.optin === undefined);
  return (value, issues) => {
    if (!isObject(value)) {
      issues.push({ code: "invalid_type", expected: "object", path: [] });
      return value;
    }
    let output: Record<string, unknown> | undefined;
    for (const key in value) {
      if (issues.length >= MAX_SCHEMA_ISSUES) break;
      const plan = fields.get(key);
      if (plan === undefined) {
        issues.push(unknownKey(key, known));
        continue;
      }
      const item = value[key];
      // An explicit undefined is absence (only JS callers can send it); required keys are checked below.
      if (item === undefined) continue;
      if (plan.leafType !== undefined) {
        // Inline fast path for leaves: same behaviour as `leaf`, without the call.
        if (typeof item !== plan.leafType || (plan.leafType === "number" && !Number.isFinite(item))) {
          issues.push({ code: "invalid_type", expected: plan.leafType, path: [key] });
        } else if (plan.checks !== undefined) {
          const before = issues.length;
          runChecks(plan.checks, item, issues, false);
          if (issues.length > before) prefix(issues, before, key);
        }
        continue;
      }
      const before = issues.length;
      const result = plan.run(item, issues);
      if (issues.length > before) prefix(issues, before, key);
      if (result !== item) (output ??= { ...value })[key] = result;
    }
    for (const key of required) {
      if (value[key] === undefined) issues.push({ code: "invalid_type", expected: "nonoptional", path: [key] });
    }
    return output ?? value;
  };
}
