/**
 * `npm run counts [-- REV …]`: the house figures of issue 14 for the working tree and for each git
 * revision named (read from `git archive`, nothing checked out): inline `new AppError(` outside
 * shared/errors, small helpers defined identically in more than one file, pairs the `duplicates`
 * tool finds (when it is installed), lines over 140 characters, import circles, and conditional
 * spreads `...(x ? { … } : {})`. Figures, not a verdict: it always exits 0 unless it cannot read.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importCircles, importEdges, sourceFiles } from "./import-graph";

const FOLDERS = ["functions", "shared", "local", "scripts", "bench", "bundle-shims", "test"];
/** Production and tool code: where a duplicated helper or an inline error counts. */
const CODE_FOLDERS = ["functions", "shared", "local", "scripts", "bench", "bundle-shims"];
const MAX_LINE = 140;

/** `...(cond ? { … } : {})` and `...(cond ? {} : { … })`, over one line or several. */
const CONDITIONAL_SPREAD = /\.\.\.\(\s*[^()]*?\?\s*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*:\s*\{\s*\}|\{\s*\}\s*:\s*\{[^{}]*\})\s*\)/g;
const FUNCTION = /^(?:export\s+)?function\s+(\w+)\s*(?:<[^>]*>)?\(([^)]*)\)[^{]*\{\n?([\s\S]*?)\n\}/gm;
/** At most this many body lines makes a function a "small helper". */
const SMALL = 12;

interface Counts {
  appErrorOutsideErrors: number;
  duplicatedHelpers: string[];
  duplicatesToolPairs: number | undefined;
  /** In functions/ and shared/ (the deployed code), and in every folder. */
  longLines: [number, number];
  importCircles: number;
  conditionalSpreads: [number, number];
}

const deployed = (file: string) => file.startsWith("functions/") || file.startsWith("shared/");

function count(root: string): Counts {
  const read = (file: string) => readFileSync(path.join(root, file), "utf8");
  const all = sourceFiles(root, FOLDERS);
  const code = sourceFiles(root, CODE_FOLDERS);
  let appError = 0;
  for (const file of code) {
    // This script names the pattern it counts.
    if (file.startsWith("shared/errors/") || file.startsWith("scripts/house/")) continue;
    appError += read(file).match(/new AppError\s*\(/g)?.length ?? 0;
  }
  // Small functions whose whole text (name, parameters, body; white space folded) stands in two files or more.
  const seen = new Map<string, Set<string>>();
  for (const file of code) {
    for (const match of read(file).matchAll(FUNCTION)) {
      const body = match[3]!;
      if (body.split("\n").length > SMALL) continue;
      const key = `${match[1]}(${match[2]}){${body}}`.replace(/\s+/g, " ").replace(/: ?[\w<>[\]|. ]+?(?=[,)])/g, "");
      seen.set(key, (seen.get(key) ?? new Set()).add(file));
    }
  }
  // The emulator may not import product code (test/architecture): its copy of one of our helpers is its own.
  const world = (file: string) => (file.startsWith("local/ess-emulator/") ? "emulator" : "ours");
  const duplicatedHelpers: string[] = [];
  for (const [key, files] of seen) {
    for (const side of ["ours", "emulator"]) {
      const within = [...files].filter((file) => world(file) === side);
      if (within.length > 1)
        duplicatedHelpers.push(`${key.slice(0, key.indexOf("("))} ×${within.length}${side === "emulator" ? " (emulator)" : ""}`);
    }
  }
  const longLines: [number, number] = [0, 0];
  const spreads: [number, number] = [0, 0];
  for (const file of all) {
    const text = read(file);
    const long = text.split("\n").filter((line) => line.length > MAX_LINE).length;
    const spread = text.match(CONDITIONAL_SPREAD)?.length ?? 0;
    longLines[1] += long;
    spreads[1] += spread;
    if (deployed(file)) {
      longLines[0] += long;
      spreads[0] += spread;
    }
  }
  return {
    appErrorOutsideErrors: appError,
    duplicatedHelpers: duplicatedHelpers.sort(),
    duplicatesToolPairs: duplicatesPairs(root),
    longLines,
    importCircles: importCircles(importEdges(root, FOLDERS)).length,
    conditionalSpreads: spreads,
  };
}

/** The pair count of the `duplicates` tool (the tool library's), or undefined where it is not installed. */
function duplicatesPairs(root: string): number | undefined {
  const run = spawnSync("duplicates", ["--repo", root, "--most", "1", "--seconds", "60"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return undefined;
  const first = run.stdout.split("\n")[0] ?? "";
  if (/no duplicates/.test(first)) return 0;
  const pairs = /(\d+)\s+pairs?/.exec(first);
  return pairs ? Number(pairs[1]) : undefined;
}

function atRevision(rev: string): Counts {
  const dir = mkdtempSync(path.join(tmpdir(), "house-counts-"));
  try {
    const archive = execFileSync("git", ["archive", rev], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    return count(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const columns: Array<[string, Counts]> = [];
for (const rev of process.argv.slice(2)) columns.push([rev, atRevision(rev)]);
columns.push(["working tree", count(process.cwd())]);

const rows: Array<[string, (c: Counts) => string]> = [
  ["new AppError( outside shared/errors", (c) => String(c.appErrorOutsideErrors)],
  ["small helpers defined identically in 2+ files", (c) => String(c.duplicatedHelpers.length)],
  ["duplicates tool: pairs sharing ≥ 6 lines", (c) => (c.duplicatesToolPairs === undefined ? "n/a" : String(c.duplicatesToolPairs))],
  [`lines over ${MAX_LINE} characters: functions/ + shared/`, (c) => String(c.longLines[0])],
  [`lines over ${MAX_LINE} characters: all folders`, (c) => String(c.longLines[1])],
  ["import circles", (c) => String(c.importCircles)],
  ["conditional spreads ...(x ? {…} : {}): functions/ + shared/", (c) => String(c.conditionalSpreads[0])],
  ["conditional spreads: all folders", (c) => String(c.conditionalSpreads[1])],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${"".padEnd(width)}  ${columns.map(([name]) => name.padStart(14)).join("")}`);
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${columns.map(([, c]) => value(c).padStart(14)).join("")}`);
for (const [name, c] of columns) if (c.duplicatedHelpers.length > 0) console.log(`\n${name}: ${c.duplicatedHelpers.join(", ")}`);
