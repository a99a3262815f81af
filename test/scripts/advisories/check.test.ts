import { describe, expect, it } from "vitest";
import { findVulnerable, judge, liveAudit, main, type Advisory } from "../../../scripts/advisories/check";

/** The dependency advisory check CI runs (audit finding 8), on lockfiles made for each case and on the project's own. */
const formData: Advisory = {
  id: "GHSA-fjxv-7rqg-78g4",
  package: "form-data",
  vulnerable: "<2.5.4 || >=3.0.0 <3.0.4 || >=4.0.0 <4.0.4",
  severity: "critical",
  summary: "unsafe boundary",
};

const lock = (entries: Record<string, { version: string; dev?: boolean }>) => ({ packages: { "": {}, ...entries } });

describe("findVulnerable", () => {
  it.each([
    ["2.3.3", true],
    ["2.5.3", true],
    ["2.5.4", false],
    ["3.0.3", true],
    ["3.0.4", false],
    ["4.0.3", true],
    ["4.0.4", false],
  ])("form-data %s is vulnerable: %s", (version, vulnerable) => {
    expect(findVulnerable(lock({ "node_modules/form-data": { version } }), [formData]).length > 0).toBe(vulnerable);
  });

  it("finds nested copies by their own name, and not packages whose name only ends the same", () => {
    const found = findVulnerable(
      lock({
        "node_modules/request/node_modules/form-data": { version: "2.3.3", dev: true },
        "node_modules/@types/form-data": { version: "2.0.0" },
        "node_modules/my-form-data": { version: "1.0.0" },
      }),
      [formData],
    );
    expect(found.map((f) => [f.location, f.dev])).toEqual([["node_modules/request/node_modules/form-data", true]]);
  });
});

describe("judge", () => {
  const prod = findVulnerable(lock({ "node_modules/form-data": { version: "2.3.3" } }), [formData]);
  const dev = findVulnerable(lock({ "node_modules/form-data": { version: "2.3.3", dev: true } }), [formData]);
  const acceptance = [{ id: formData.id, reason: "deploy tooling only" }];

  it("a production install fails, even when the advisory is accepted", () => {
    expect(judge(prod, acceptance).failures).toHaveLength(1);
  });

  it("a development install fails unless accepted, and then carries its reason", () => {
    expect(judge(dev, []).failures).toHaveLength(1);
    expect(judge(dev, acceptance)).toEqual({ failures: [], accepted: [{ ...dev[0], reason: "deploy tooling only" }] });
  });
});

describe("liveAudit", () => {
  it("says why npm audit could not run (the registry here answers 405)", () => {
    const stdout = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    });
    expect(liveAudit(() => ({ status: 1, stdout, stderr: "" }))).toEqual({ ran: false, reason: expect.stringContaining("405") });
    expect(liveAudit(() => ({ status: null, stdout: "", stderr: "", error: new Error("spawnSync npm ETIMEDOUT") }))).toEqual({
      ran: false,
      reason: "spawnSync npm ETIMEDOUT",
    });
  });

  it("reads the counts where it can run", () => {
    const stdout = JSON.stringify({ metadata: { vulnerabilities: { low: 0, moderate: 2, high: 0, critical: 0 } } });
    expect(liveAudit(() => ({ status: 1, stdout, stderr: "" }))).toEqual({
      ran: true,
      counts: { low: 0, moderate: 2, high: 0, critical: 0 },
    });
  });
});

describe("the project's own lockfile", () => {
  it("passes, printing every accepted development finding with its reason", () => {
    const lines: string[] = [];
    expect(main(process.cwd(), (line) => lines.push(line))).toBe(0);
    expect(lines.some((l) => /npm audit/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes("accepted (development only)")).every((l) => /: \S/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe("advisory check passed");
  }, 90_000);
});
