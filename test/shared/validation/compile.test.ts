import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import type { ParsePayload } from "zod/v4/core";
import type { Edition } from "../../../shared/ess/edition";
import { arrayCheck, fail } from "../../../shared/validation/common";
import { compile, type RawIssue, strict } from "../../../shared/validation/compile";
import { essCreateFlowGroupSchema } from "../../../shared/validation/ess-create-flow-group";
import { essbasicCreateFlowGroupSchema } from "../../../shared/validation/essbasic-create-flow-group";
import { addSchemaIssues, Findings } from "../../../shared/validation/issues";
import { maximalEssbasicRequest, maximalEssRequest } from "../../../bench/validate/maximal-requests";
import { type Body, editionOf, NOW, SEED_NAMES, seed, show } from "./fixtures";

/**
 * The compiled runner must behave exactly like zod running the same schema: same findings, same
 * output. zod is the reference; the runner exists for speed (see compile.ts).
 */

const SCHEMAS: Record<Edition, () => z.ZodMiniType> = { ess: essCreateFlowGroupSchema, essbasic: essbasicCreateFlowGroupSchema };

function findingsOf(edition: Edition, issues: readonly RawIssue[], body: unknown): string[] {
  const f = new Findings(edition);
  addSchemaIssues(f, issues, body);
  return [...f.issues, ...f.warnings].map((i) => `${show(i)} | ${i.Message}`).sort();
}

function both(edition: Edition, body: unknown) {
  const schema = SCHEMAS[edition]();
  const reference = z.safeParse(schema, structuredClone(body));
  const issues: RawIssue[] = [];
  const output = compile(schema)(body, issues);
  return {
    compiled: { findings: findingsOf(edition, issues, body), output: issues.length === 0 ? output : undefined },
    zod: {
      findings: findingsOf(edition, reference.success ? [] : (reference.error.issues as RawIssue[]), body),
      output: reference.success ? reference.data : undefined,
    },
  };
}

/** Every path to a value inside `v`. */
function pathsOf(v: unknown, at: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, item] of Object.entries(v)) pathsOf(item, [...at, k], out);
  return out;
}

type Mutation = { pick: number; action: "replace" | "delete" | "add"; value: unknown; key: string };

function mutate(body: Body, m: Mutation): void {
  const paths = pathsOf(body).filter((p) => p.length > 0);
  const path = paths[m.pick % paths.length]!;
  const parent = path.slice(0, -1).reduce((node: Body, k) => node[k as string], body);
  const last = path[path.length - 1]!;
  if (m.action === "replace") parent[last as string] = m.value;
  else if (m.action === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
  } else {
    const target = parent[last as string];
    if (target && typeof target === "object" && !Array.isArray(target)) target[m.key] = m.value;
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  action: fc.constantFrom("replace", "delete", "add"),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom("", "1", "3", 0, 1, 3, 7, -1, 1.5, "SIGN_SEAL", "SIGN_SIGNATURE", "13900000001", '{"FontSize":99}'),
  ),
  key: fc.constantFrom("Foo", "ApproverMobil", "FlowName", "ComponentType", "Deadline", "ApproverOption"),
});

/** Small schemas that exercise zod's check order: a failed check stops later ones, `when` overrides. */
const first = (p: ParsePayload<string>) => fail(p, "flow-name.length", "first");
const second = (p: ParsePayload<string>) => fail(p, "flow-name.charset", "second");
const count = arrayCheck<unknown>((p) => {
  if (p.value.length > 1) fail(p, "flows.count", "too many");
});
const small = strict({
  a: z.optional(z.string().check(first, second)),
  b: z.optional(z.array(z.number()).check(count)),
  c: z.optional(z.array(strict({ d: z.boolean() }))),
});
const outline = (issues: readonly RawIssue[]) =>
  issues.map((i) => `${i.code}:${(i.path ?? []).join(".")}:${String(i.params?.["rule"] ?? i.expected ?? "")}`).sort();

describe("compiled runner follows zod's check semantics", () => {
  it.each([
    [{ a: "x" }],
    [{ a: 1 }],
    [{ b: [1, "2", 3] }],
    [{ b: [1, 2] }],
    [{ c: [{ d: true }, { d: "no" }, { e: 1 }, {}] }],
    [{ z: 1, a: "x", b: "no" }],
    [[]],
  ])("on %j", (input) => {
    const issues: RawIssue[] = [];
    compile(small)(input, issues);
    const reference = z.safeParse(small, input);
    expect(outline(issues)).toEqual(outline(reference.success ? [] : (reference.error.issues as RawIssue[])));
    expect(issues.length).toBeGreaterThan(0);
  });
});

describe("compiled runner ≡ zod", () => {
  it.each(SEED_NAMES)("agrees on seed %s", (name) => {
    const r = both(editionOf(name), seed(name));
    expect(r.compiled).toEqual(r.zod);
  });

  it.each([
    ["ess", maximalEssRequest(NOW)],
    ["essbasic", maximalEssbasicRequest(NOW)],
  ] as const)("agrees on the maximal %s request", (edition, body) => {
    const r = both(edition, body);
    expect(r.compiled).toEqual(r.zod);
  });

  it("agrees on randomly broken seed examples", () => {
    fc.assert(
      fc.property(fc.nat(SEED_NAMES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, mutations) => {
        const name = SEED_NAMES[i]!;
        const body = seed(name);
        for (const m of mutations) mutate(body, m);
        const r = both(editionOf(name), body);
        expect(r.compiled).toEqual(r.zod);
      }),
      { numRuns: 300, seed: 20240101 },
    );
  });

  it("agrees on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.constantFrom<Edition>("ess", "essbasic"), fc.jsonValue({ maxDepth: 4 }), (edition, body) => {
        const r = both(edition, body);
        expect(r.compiled).toEqual(r.zod);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
