/**
 * Test setup for `vitest.shims.config.mts`: the SDK and adapter tests run a second time with the
 * bundles' shims in place of the modules they replace, so each shim is held to the behaviour the
 * existing tests already expect of the real module (signature-checking COS server, ESS stand-in,
 * ESS emulator).
 *
 * The SDKs are plain CommonJS loaded by Node itself (vitest does not transform node_modules), so
 * the substitution happens where Node resolves a `require` from inside an SDK package, with the same
 * table (`substitutions.ts`) and the same esbuild transform of each shim as the deployed bundles.
 * After the tests, a check fails the file if any replaced original was loaded all the same.
 */
import { buildSync } from "esbuild";
import { mkdtempSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { SUBSTITUTIONS, shimPath, substitutionFor, type Substitution } from "../../bundle-shims/substitutions";

type Resolve = (request: string, parent: { filename?: string | null } | null | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };

const INSTALLED = Symbol.for("ess-flow-groups.shims-installed");
const state = globalThis as typeof globalThis & { [INSTALLED]?: { originals: Map<Substitution, Set<string>> } };

if (!state[INSTALLED]) {
  const outDir = mkdtempSync(path.join(tmpdir(), "bundle-shims-"));
  const compiled = new Map<Substitution, string>();
  /** Each shim as a CommonJS file, built the way scripts/build.ts bundles it. */
  const compiledShim = (substitution: Substitution): string => {
    let file = compiled.get(substitution);
    if (file) return file;
    file = path.join(outDir, `${compiled.size}-${path.basename(substitution.shim, ".ts")}.cjs`);
    const source = shimPath(substitution);
    buildSync({
      ...(substitution.defaultIsModule
        ? {
            stdin: {
              contents: `module.exports = require(${JSON.stringify(source)}).default;`,
              resolveDir: path.dirname(source),
              loader: "js" as const,
            },
          }
        : { entryPoints: [source] }),
      outfile: file,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node18",
      logLevel: "warning",
    });
    compiled.set(substitution, file);
    return file;
  };

  /** Where each original would have come from, per importing folder (to check it never loads). */
  const originals = new Map<Substitution, Set<string>>();
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveWithShims(request, parent, ...rest) {
    const importer = parent?.filename ? path.dirname(parent.filename) : undefined;
    const substitution = importer !== undefined ? substitutionFor(request, importer) : undefined;
    if (!substitution) return original.call(this, request, parent, ...rest);
    try {
      const real = original.call(this, request, parent, ...rest);
      originals.set(substitution, (originals.get(substitution) ?? new Set()).add(real));
    } catch {
      // The original is not installed: nothing to guard against.
    }
    return compiledShim(substitution);
  };
  state[INSTALLED] = { originals };
}

afterAll(() => {
  const { originals } = state[INSTALLED]!;
  const loaded = [...originals.values()].flatMap((files) => [...files]).filter((file) => loader._cache[file] !== undefined);
  if (loaded.length > 0) throw new Error(`modules that the bundles replace were loaded anyway: ${loaded.join(", ")}`);
  // An SDK that ran without any of its substitutions means the hook never engaged (nothing was tested).
  const cached = Object.keys(loader._cache);
  for (const name of new Set(SUBSTITUTIONS.map((s) => s.package))) {
    const sdkLoaded = cached.some((file) => file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`));
    if (sdkLoaded && !SUBSTITUTIONS.some((s) => s.package === name && originals.has(s))) {
      throw new Error(`${name} was loaded without its shims: the substitution hook did not engage`);
    }
  }
});

/** The substitutions made so far in this process (for a test that wants to see them happen). */
export function substitutionsSeen(): Substitution[] {
  return SUBSTITUTIONS.filter((s) => state[INSTALLED]!.originals.has(s));
}
