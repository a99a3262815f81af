/**
 * The repository's import graph, read from the source text: every `import … from`, `export … from`,
 * `import("…")` and `require("…")` with a literal specifier, type-only imports included (a type
 * import is a dependency of the design even where the bundle drops it). Relative specifiers are
 * resolved to the file they name (`x.ts`, `x/index.ts`); package specifiers are kept as written.
 * Used by the dependency rules test and by the house figures (import circles).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** One import: the file that writes it, the file (repo-relative) or package it names, and whether it is type-only. */
export interface ImportEdge {
  from: string;
  to: string;
  /** A package name (`zod/mini`, `node:fs`) rather than a file of the repo. */
  external: boolean;
  typeOnly: boolean;
}

const SOURCE = /\.(?:ts|mts|cts)$/;
const SKIP = new Set(["node_modules", "dist", "dist-naive", ".git", ".data", "fixtures"]);

/** Every TypeScript source file under `folders` (repo-relative paths with forward slashes). */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(rel);
    }
  };
  for (const folder of folders) if (existsSync(path.join(root, folder)) && statSync(path.join(root, folder)).isDirectory()) walk(folder);
  return files.sort();
}

const IMPORT = /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?["']([^"']+)["']/g;
const DYNAMIC = /(?:\bimport|\brequire)\(\s*["']([^"']+)["']\s*\)/g;

/** Strips comments (and nothing else) so commented-out imports do not count. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}/index.ts`];
  return candidates.find((candidate) => SOURCE.test(candidate) && existsSync(path.join(root, candidate)));
}

/** The imports each file under `folders` makes. */
export function importEdges(root: string, folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root, folders)) {
    const text = withoutComments(readFileSync(path.join(root, file), "utf8"));
    const add = (specifier: string, typeOnly: boolean) => {
      if (specifier.startsWith(".")) {
        const to = resolveRelative(root, file, specifier);
        if (to) edges.push({ from: file, to, external: false, typeOnly });
      } else {
        edges.push({ from: file, to: specifier, external: true, typeOnly });
      }
    };
    for (const match of text.matchAll(IMPORT)) add(match[3]!, match[2] !== undefined);
    for (const match of text.matchAll(DYNAMIC)) add(match[1]!, false);
  }
  return edges;
}

/** The import circles among repo files: each strongly connected group of two or more files (or a file importing itself). */
export function importCircles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.external) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
    if (!next.has(edge.to)) next.set(edge.to, []);
  }
  // Tarjan's strongly connected components, iteratively (deep chains would overflow recursion).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = next.get(frame.node)!;
      if (frame.i < targets.length) {
        const target = targets[frame.i++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = next.get(frame.node)!.includes(frame.node);
        if (component.length > 1 || selfLoop) circles.push(component.sort());
      }
    }
  }
  return circles;
}
