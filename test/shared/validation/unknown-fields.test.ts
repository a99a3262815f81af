import { describe, expect, it } from "vitest";
import type { $ZodType } from "zod/v4/core";
import type { Edition } from "../../../shared/ess/edition";
import { strictShapeOf } from "../../../shared/validation/compile";
import { essCreateFlowGroupSchema } from "../../../shared/validation/ess-create-flow-group";
import { essbasicCreateFlowGroupSchema } from "../../../shared/validation/essbasic-create-flow-group";
import { type Body, seed, show, validate } from "./fixtures";

/**
 * One unknown-field row per strict object at every nesting level, generated from the schemas
 * themselves (audit finding 9: 15 of 27 strict schemas could be turned loose without a test
 * noticing). A new structure, or a new place for one, gets its row without anyone writing it.
 */

type Segment = string | 0;

interface SchemaNode {
  _zod: { def: { type: string; innerType?: unknown; element?: unknown; in?: unknown; out?: unknown; options?: unknown[] } };
}

/** Every path (object keys, and 0 for array elements) at which the schema expects a strict object. */
function strictObjectPaths(schema: unknown, path: Segment[] = [], out: Segment[][] = [], depth = 0): Segment[][] {
  if (depth > 20) throw new Error(`schema nests deeper than expected at ${path.join(".")}`);
  const shape = strictShapeOf(schema);
  if (shape !== undefined) {
    out.push(path);
    for (const [key, field] of Object.entries(shape)) strictObjectPaths(field, [...path, key], out, depth + 1);
    return out;
  }
  const def = (schema as SchemaNode)._zod.def;
  if (def.type === "optional" || def.type === "nullable" || def.type === "default") strictObjectPaths(def.innerType, path, out, depth + 1);
  else if (def.type === "array") strictObjectPaths(def.element, [...path, 0], out, depth + 1);
  else if (def.type === "pipe") strictObjectPaths(def.in, path, out, depth + 1);
  else if (def.type === "union") for (const option of def.options ?? []) strictObjectPaths(option, path, out, depth + 1);
  return out;
}

/** `body` with an object at `path` (created as needed) holding one unknown field. */
function withUnknownField(body: Body, path: Segment[], field: string): Body {
  const copy = structuredClone(body);
  let node = copy;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = path[i + 1];
    const missing = node[key] === undefined || node[key] === null || typeof node[key] !== "object";
    if (missing) node[key] = next === 0 ? [] : {};
    node = node[key];
  }
  node[field] = "x";
  return copy;
}

const format = (path: Segment[]) =>
  path
    .map((s) => (s === 0 ? "[0]" : `.${s}`))
    .join("")
    .replace(/^\./, "");

const SCHEMAS: Record<Edition, () => unknown> = { ess: essCreateFlowGroupSchema, essbasic: essbasicCreateFlowGroupSchema };
const BASES: Record<Edition, () => Body> = { ess: () => seed("ess-example-1"), essbasic: () => seed("essbasic-example-1") };

describe.each<Edition>(["ess", "essbasic"])("%s: every strict object names an unknown field", (edition) => {
  const paths = strictObjectPaths(SCHEMAS[edition]() as $ZodType);

  it("finds the strict objects at every level (root, flows, approvers, components, options …)", () => {
    expect(paths.length).toBeGreaterThanOrEqual(edition === "ess" ? 15 : 17);
    expect(Math.max(...paths.map((p) => p.length))).toBeGreaterThanOrEqual(5);
  });

  it.each(paths.map((path) => [format(path) || "(root)", path] as const))("%s", (_name, path) => {
    const field = "NotAnEssField";
    const outcome = validate(edition, withUnknownField(BASES[edition](), path, field));
    const expected = `UnknownParameter @ ${format([...path, field])}`;
    expect(outcome.ok ? [] : outcome.issues.map(show)).toContain(expected);
  });
});
