import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFunctions } from "../../../scripts/build";
import { deployerEnvironment } from "../../../scripts/deploy/deployer-env";
import { preflight } from "../../../scripts/deploy/preflight";
import { SAMPLE_DEPLOYER_ENV } from "../../../scripts/deploy-check/run";

/**
 * `npm run deploy`'s preflight: the settings the CLI will read (shell, then .env), every problem in
 * one run, each bundle loaded with the environment it will get. Values are never printed.
 */
const root = path.resolve(__dirname, "../../..");
let work: string;
let dist: string;
const DEPLOYER = { TENCENT_SECRET_ID: "AKIDdeployer", TENCENT_SECRET_KEY: "deployerKey" };

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "preflight-"));
  dist = path.join(work, "dist");
  await buildFunctions({ outRoot: dist, quiet: true });
  // A checkout of our own, so a test .env never lands in the repo.
  for (const entry of ["serverless.yml", "functions", "shared"])
    cpSync(path.join(root, entry), path.join(work, "repo", entry), { recursive: true });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("deploy preflight", () => {
  it("passes with a complete deployment's settings and prints no value", async () => {
    const { lines, failed } = await preflight({
      stage: "dev",
      shell: { PATH: process.env.PATH, ...DEPLOYER, ...SAMPLE_DEPLOYER_ENV },
      rootDir: path.join(work, "repo"),
      distDir: dist,
    });
    expect(lines.filter((l) => l.startsWith("✗"))).toEqual([]);
    expect(failed).toBe(false);
    expect(lines.join("\n")).toMatch(/✓ create-group: configuration loads[\s\S]*✓ callback[\s\S]*✓ group-status/);
    for (const value of Object.values(SAMPLE_DEPLOYER_ENV)) expect(lines.join("\n")).not.toContain(value);
  }, 60_000);

  it("reports every problem in one run: credentials, required settings, empty values, each bundle's refusal", async () => {
    const shell = {
      PATH: process.env.PATH,
      ...SAMPLE_DEPLOYER_ENV,
      COS_BUCKET: undefined,
      ESS_CALLBACK_KEY: undefined,
      API_KEY_HASHES: undefined,
      COS_PREFIX: "",
      ESS_TIMEOUT_MS: "soon",
    };
    const { lines, failed } = await preflight({ stage: "dev", shell, rootDir: path.join(work, "repo"), distDir: dist });
    const problems = lines.filter((l) => l.startsWith("✗")).join("\n");
    expect(failed).toBe(true);
    for (const expected of [
      /TENCENT_SECRET_ID is not set/,
      /TENCENT_SECRET_KEY is not set/,
      /API_KEY_HASHES is required and not set/,
      /COS_BUCKET is required and not set/,
      /ESS_CALLBACK_KEY is required and not set/,
      /COS_PREFIX is set to an empty value, which the SCF API refuses/,
      /create-group: Invalid configuration: .*ESS_TIMEOUT_MS/,
      /callback: Invalid configuration: .*ESS_CALLBACK_KEY/,
    ])
      expect(problems).toMatch(expected);
    expect(problems).not.toContain("soon");
  }, 60_000);

  it("reads .env like the CLI: the shell wins, .env.<stage> before .env, nothing when there is no file", () => {
    const dir = path.join(work, "envs", "a", "b");
    cpSync(path.join(root, "serverless.yml"), path.join(dir, "serverless.yml"));
    expect(deployerEnvironment(dir, "dev", { A: "shell" }).envFile).toBeUndefined();
    writeFileSync(path.join(dir, ".env"), "A=file\nB='quoted value'\n# comment\nC=\n");
    expect(deployerEnvironment(dir, "dev", { A: "shell" }).env).toMatchObject({ A: "shell", B: "quoted value", C: "" });
    writeFileSync(path.join(dir, ".env.prod"), "B=prod\n");
    expect(deployerEnvironment(dir, "prod", {}).env).toMatchObject({ B: "prod" });
    expect(deployerEnvironment(dir, "prod", {}).env.A).toBeUndefined();
    rmSync(path.join(dir, ".env"));
    rmSync(path.join(dir, ".env.prod"));
    writeFileSync(path.join(work, "envs", "a", ".env"), "D=parent\n");
    expect(deployerEnvironment(dir, "dev", {}).env.D).toBe("parent");
  });
});
