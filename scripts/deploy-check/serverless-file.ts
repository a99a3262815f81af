import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * serverless.yml as the multi-scf component reads it (facts with their source lines in
 * scripts/deploy-check/README.md): a function's environment comes only from
 * `environments: [{ key, value }]`.
 */

/** One entry of a function's `environments`. */
export interface Binding {
  name: string;
  /** As written: `${env:NAME}` or a literal. */
  value: string;
  /** Written in the `environment.variables` form, which the component drops. */
  dropped?: boolean;
}

export const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function readServerlessFile(file = "serverless.yml"): { text: string; doc: unknown } {
  const text = readFileSync(file, "utf8");
  return { text, doc: parse(text) };
}

interface RawFunction {
  environments?: unknown;
  environment?: unknown;
}

/** The functions' keys, in file order. */
export function functionKeys(doc: unknown): string[] {
  return Object.keys(((doc as { inputs?: { functions?: Record<string, unknown> } })?.inputs?.functions ?? {}) as object);
}

/**
 * Each function's intended environment — its `environments`, and the `environment.variables` map
 * the component drops (marked) — with the problems that make the component drop or mangle them.
 */
export function functionBindings(doc: unknown): { bindings: Record<string, Binding[]>; problems: string[] } {
  const functions = ((doc as { inputs?: { functions?: Record<string, RawFunction> } })?.inputs?.functions ?? {}) as Record<
    string,
    RawFunction
  >;
  const bindings: Record<string, Binding[]> = {};
  const problems: string[] = [];
  for (const [key, fn] of Object.entries(functions)) {
    bindings[key] = [];
    if (fn?.environment !== undefined) {
      const variables = (fn.environment as { variables?: Record<string, unknown> } | null)?.variables ?? {};
      for (const [name, value] of Object.entries(variables)) bindings[key]!.push({ name, value: String(value), dropped: true });
      problems.push(
        `function ${key}: \`environment\` is ignored by multi-scf, which builds the environment only from ` +
          "`environments: [{ key, value }]` (formatter.ts formatFaasInputs): every variable would be dropped",
      );
    }
    if (fn?.environments === undefined) continue;
    if (!Array.isArray(fn.environments)) {
      problems.push(`function ${key}: environments must be a list of { key, value }`);
      continue;
    }
    for (const [i, entry] of (fn.environments as unknown[]).entries()) {
      const { key: name, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
      if (
        typeof name !== "string" ||
        !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ||
        (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      ) {
        problems.push(`function ${key}: environments[${i}] must be { key: NAME, value: <text> }`);
        continue;
      }
      if (bindings[key]!.some((b) => b.name === name)) problems.push(`function ${key}: ${name} is listed twice in environments`);
      bindings[key]!.push({ name, value: String(value) });
    }
  }
  return { bindings, problems };
}

/** Every `${env:X}` in the file's values (comments do not count). */
export function envReferences(doc: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") for (const m of value.matchAll(ENV_REFERENCE)) found.add(m[1]!);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(doc);
  return [...found];
}
