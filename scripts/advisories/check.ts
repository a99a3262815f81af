import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";

/**
 * The dependency advisory check CI runs (`npm run check:advisories`, from .ci/run).
 *
 * 1. `npm audit` first: where the registry answers its advisory endpoint, its findings are printed.
 *    Where it cannot (this project's registry answers 405), the reason is printed and the check
 *    goes on with step 2 alone.
 * 2. Always: the pinned advisory list (`advisories.json`, from the GitHub Advisory Database, with
 *    the date it was reviewed) against every install in package-lock.json. A production install of
 *    a listed advisory fails the check; a development-only install fails unless `accepted.json`
 *    names the advisory with a reason, which is printed every run.
 * The pinned list knows only the advisories written into it: it is a floor, kept by hand.
 */

export interface Advisory {
  id: string;
  package: string;
  vulnerable: string;
  severity: string;
  summary: string;
}

export interface Finding {
  advisory: Advisory;
  /** `node_modules/...` path in the lockfile. */
  location: string;
  version: string;
  dev: boolean;
}

interface Lockfile {
  packages?: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }>;
}

/** Every install in `lock` that a listed advisory covers. */
export function findVulnerable(lock: Lockfile, advisories: readonly Advisory[]): Finding[] {
  const findings: Finding[] = [];
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === "" || entry.version === undefined) continue;
    const name = location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    for (const advisory of advisories) {
      if (advisory.package === name && semver.satisfies(entry.version, advisory.vulnerable, { includePrerelease: true })) {
        findings.push({ advisory, location, version: entry.version, dev: entry.dev === true || entry.devOptional === true });
      }
    }
  }
  return findings;
}

export interface Verdict {
  failures: Finding[];
  accepted: Array<Finding & { reason: string }>;
}

/** Production findings always fail; development findings fail unless accepted with a reason. */
export function judge(findings: readonly Finding[], accepted: ReadonlyArray<{ id: string; reason: string }>): Verdict {
  const reasons = new Map(accepted.map((a) => [a.id, a.reason]));
  const verdict: Verdict = { failures: [], accepted: [] };
  for (const finding of findings) {
    const reason = reasons.get(finding.advisory.id);
    if (finding.dev && reason !== undefined) verdict.accepted.push({ ...finding, reason });
    else verdict.failures.push(finding);
  }
  return verdict;
}

/** What the live `npm audit` said: its counts, or why it could not run. */
export type LiveAudit = { ran: true; counts: Record<string, number> } | { ran: false; reason: string };

/** Runs `npm audit --json` (bounded in time) and reads its answer. */
export function liveAudit(run: () => { status: number | null; stdout: string; stderr: string; error?: Error }): LiveAudit {
  const result = run();
  if (result.error) return { ran: false, reason: result.error.message };
  let parsed: { metadata?: { vulnerabilities?: Record<string, number> }; message?: string; error?: { summary?: string } };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    return { ran: false, reason: firstLine(result.stderr) || `npm audit exited ${result.status} without JSON` };
  }
  const counts = parsed.metadata?.vulnerabilities;
  if (counts !== undefined) return { ran: true, counts };
  return { ran: false, reason: parsed.message ?? parsed.error?.summary ?? (firstLine(result.stderr) || "npm audit gave no result") };
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}

/** The whole check; returns the exit code. */
export function main(root = process.cwd(), print: (line: string) => void = console.log): number {
  const live = liveAudit(() => {
    const r = spawnSync("npm", ["audit", "--json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(r.error ? { error: r.error } : {}) };
  });
  if (live.ran)
    print(
      `npm audit: ${Object.entries(live.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  else print(`npm audit could not run here (${live.reason}); checking the pinned advisory list only`);

  const dir = path.join(root, "scripts", "advisories");
  const list = JSON.parse(readFileSync(path.join(dir, "advisories.json"), "utf8")) as { reviewed: string; advisories: Advisory[] };
  const { accepted } = JSON.parse(readFileSync(path.join(dir, "accepted.json"), "utf8")) as {
    accepted: Array<{ id: string; reason: string }>;
  };
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as Lockfile;
  const verdict = judge(findVulnerable(lock, list.advisories), accepted);
  const installs = Object.keys(lock.packages ?? {}).length - 1;
  print(`pinned advisories: ${list.advisories.length} (reviewed ${list.reviewed}) against ${installs} installs in package-lock.json`);
  for (const f of verdict.accepted) print(`  accepted (development only) ${f.advisory.id} ${f.location}@${f.version}: ${f.reason}`);
  for (const f of verdict.failures) {
    print(
      `  VULNERABLE ${f.dev ? "(development)" : "(production)"} ${f.advisory.id} ${f.advisory.severity} ${f.location}@${f.version}: ${f.advisory.summary}`,
    );
  }
  print(
    verdict.failures.length === 0 ? "advisory check passed" : `advisory check failed: ${verdict.failures.length} vulnerable install(s)`,
  );
  return verdict.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && /advisories[\\/]check\.ts$/.test(process.argv[1])) process.exitCode = main();
