/**
 * The part of zod's functional API (`zod/mini`) that config.ts uses to declare the environment,
 * implemented for environment variables only: `object`, `optional`, `string`, `enum`, `pipe`,
 * `transform`, `refine`, `superRefine`, `.check`, `safeParse`, `NEVER`, with zod's semantics for
 * them (issues with a path and a code; a pipe stops at its first failing step; an object's checks
 * run only when its properties parsed). config.ts reads `import * as z from "./env-schema"`: the
 * schemas read as zod schemas; anything else of zod is deliberately not here.
 *
 * Why not zod itself: config.ts loads on every cold start of every function, and loading zod/mini
 * and building these schemas cost about 3.5 ms of CPU per cold start (bench/cold-start, measured
 * with the same bundles with and without it) — over a tenth of the callback function's whole
 * budget. Request validation (shared/validation) keeps real zod.
 */

export interface Issue {
  code: string;
  message: string;
  path: PropertyKey[];
  input?: unknown;
  minimum?: number;
}

interface Context {
  issues: Issue[];
  path: PropertyKey[];
}

/** A schema: parses an input (of type In, for pipes) into T, or adds issues and returns NEVER. */
export interface ZodMiniType<T = unknown, In = unknown> {
  readonly _output?: T;
  /** Type-only: the input a pipe hands this schema (a method, so that it compares bivariantly). */
  _input?(value: In): void;
  _parse(input: unknown, ctx: Context): T | typeof NEVER;
  check(...checks: Array<Check<T>>): ZodMiniType<T, In>;
}

export type output<S> = S extends { readonly _output?: infer T } ? T : never;

/** Returned by a transform to abort (after it pushed an issue). */
export const NEVER = Symbol("env-schema.never") as unknown as never;

type Check<T> = (value: T, ctx: Context) => void;

function schema<T, In = unknown>(parse: (input: unknown, ctx: Context) => T | typeof NEVER): ZodMiniType<T, In> {
  const self: ZodMiniType<T, In> = {
    _parse: parse,
    check(...checks) {
      return schema<T, In>((input, ctx) => {
        const before = ctx.issues.length;
        const value = parse(input, ctx);
        if (value === NEVER || ctx.issues.length > before) return NEVER;
        for (const check of checks) check(value as T, ctx);
        return ctx.issues.length > before ? NEVER : value;
      });
    },
  };
  return self;
}

export function string(params: { error?: string } = {}): ZodMiniType<string> {
  return schema((input, ctx) => {
    if (typeof input === "string") return input;
    ctx.issues.push({ code: "invalid_type", message: params.error ?? "Invalid input: expected string", path: [...ctx.path], input });
    return NEVER;
  });
}

export function optional<T, In>(inner: ZodMiniType<T, In>): ZodMiniType<T | undefined, In | undefined> {
  return schema((input, ctx) => (input === undefined ? undefined : inner._parse(input, ctx)));
}

function enum_<const T extends readonly [string, ...string[]]>(values: T, params: { error?: string } = {}): ZodMiniType<T[number]> {
  return schema((input, ctx) => {
    if (typeof input === "string" && (values as readonly string[]).includes(input)) return input as T[number];
    ctx.issues.push({
      code: "invalid_value",
      message: params.error ?? `Invalid option: expected one of ${values.join("|")}`,
      path: [...ctx.path],
      input,
    });
    return NEVER;
  });
}
export { enum_ as enum };

export function pipe<A, B, In>(first: ZodMiniType<A, In>, second: ZodMiniType<B, A>): ZodMiniType<B, In> {
  return schema((input, ctx) => {
    const before = ctx.issues.length;
    const middle = first._parse(input, ctx);
    if (middle === NEVER || ctx.issues.length > before) return NEVER;
    return second._parse(middle, ctx);
  });
}

/** The transform's context: push issues (zod's `ctx.issues.push`) with the current path. */
interface TransformContext {
  issues: { push(issue: Omit<Issue, "path"> & { path?: PropertyKey[] }): void };
}

export function transform<I, O>(fn: (value: I, ctx: TransformContext) => O): ZodMiniType<O, I> {
  return schema<O, I>((input, ctx) => {
    const before = ctx.issues.length;
    const out = fn(input as I, { issues: { push: (issue) => ctx.issues.push({ ...issue, path: issue.path ?? [...ctx.path] }) } });
    return out === NEVER || ctx.issues.length > before ? NEVER : out;
  });
}

export function object<const Shape extends Record<string, ZodMiniType<unknown, never>>>(
  shape: Shape,
): ZodMiniType<{ [K in keyof Shape]: output<Shape[K]> }> {
  return schema((input, ctx) => {
    if (typeof input !== "object" || input === null) {
      ctx.issues.push({ code: "invalid_type", message: "Invalid input: expected object", path: [...ctx.path], input });
      return NEVER;
    }
    const out: Record<string, unknown> = {};
    const before = ctx.issues.length;
    for (const [key, field] of Object.entries(shape)) {
      const value = field._parse((input as Record<string, unknown>)[key], { issues: ctx.issues, path: [...ctx.path, key] });
      if (value !== NEVER) out[key] = value;
    }
    return ctx.issues.length > before ? NEVER : (out as { [K in keyof Shape]: output<Shape[K]> });
  });
}

/** `.check(z.refine(predicate, message))`: one issue when the predicate is false. */
export function refine<T>(predicate: (value: T) => boolean, message: string): Check<T> {
  return (value, ctx) => {
    if (!predicate(value)) ctx.issues.push({ code: "custom", message, path: [...ctx.path], input: value });
  };
}

/** `.check(z.superRefine((value, ctx) => ctx.addIssue(…)))`. */
export function superRefine<T>(
  fn: (value: T, ctx: { addIssue(issue: Omit<Issue, "path"> & { path?: PropertyKey[] }): void }) => void,
): Check<T> {
  return (value, ctx) => fn(value, { addIssue: (issue) => ctx.issues.push({ ...issue, path: [...ctx.path, ...(issue.path ?? [])] }) });
}

export function safeParse<S extends ZodMiniType<unknown, never>>(
  s: S,
  input: unknown,
): { success: true; data: output<S> } | { success: false; error: { issues: Issue[] } } {
  const ctx: Context = { issues: [], path: [] };
  const data = s._parse(input, ctx);
  if (data === NEVER || ctx.issues.length > 0) return { success: false, error: { issues: ctx.issues } };
  return { success: true, data: data as output<S> };
}
