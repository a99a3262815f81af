import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFunctions } from "../../../scripts/build";
import { engineRuns, runDeployCheck, type CheckResult } from "../../../scripts/deploy-check/run";

/**
 * The deploy check runs the real engine (the pinned Components CLI on a clean checkout, the
 * multi-scf component's formatting, tencent-component-toolkit's SCF API calls) offline. It passes on
 * the project, and fails — with the finding named — on the file the project had before (API
 * Gateway trigger, `environment.variables`, fixed names, no build) and on realistic one-line
 * mistakes in today's file.
 */
const root = path.resolve(__dirname, "../../..");
const today = parse(readFileSync(path.join(root, "serverless.yml"), "utf8"));
const before = readFileSync(path.join(root, "test/fixtures/deploy/serverless.api-gateway.yml"), "utf8");
let work: string;
let dist: string;

const problemsOf = (results: CheckResult[]) => results.flatMap((r) => r.problems.map((p) => `${r.name} :: ${p}`)).join("\n");

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "engine-test-"));
  dist = path.join(work, "dist");
  await buildFunctions({ outRoot: dist, quiet: true });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the deploy check, on the real engine", () => {
  it("passes on the project: two stages, every setting or only the required ones (some from .env), every SCF call checked", async () => {
    const results = await runDeployCheck();
    expect(problemsOf(results)).toBe("");
    expect(results.map((r) => r.name).filter((n) => n.startsWith("the real engine deploys it"))).toHaveLength(2);
    expect(results.some((r) => r.name === "function names differ per stage")).toBe(true);
  }, 120_000);

  it("fails the file the project had before, with the issue's findings", async () => {
    // Someone ran `npm run build` first: without it this file uploads nothing (next test).
    const found = problemsOf(await runDeployCheck({ serverlessYml: before, prebuiltDist: dist, gateway: false }));
    for (const finding of [
      // 1. every environment variable dropped: environment.variables is not what the component reads
      /`environment` is ignored by multi-scf/,
      /create-group: API_KEY_HASHES is not in the function's environment/,
      /callback: ESS_CALLBACK_KEY is not in the function's environment/,
      /callback POST \/ess\/callbacks: the bundle wrote to stderr: callback: Invalid configuration: ESS_CALLBACK_KEY is required/,
      // 2. Nodejs18.15 at the top level is outside the component's allow list
      /refuses inputs\.runtime Nodejs18\.15 is not in the component's allow list/,
      // 3. (and 4.) an API Gateway trigger: no function URL at all
      /an apigw trigger: Tencent no longer creates API Gateway triggers/,
      /callback: 0 function URLs were created/,
      // 5. fixed names: two stages overwrite each other
      /create-group: named create-group, not the stage-scoped default ess-flow-groups-dev-ess-flow-groups-create-group/,
      /function callback is created by stage dev and stage prod: one overwrites the other/,
    ])
      expect(found).toMatch(finding);
  }, 120_000);

  it("fails the file the project had before on a clean checkout: no build hook, nothing to upload", async () => {
    const found = problemsOf(await runDeployCheck({ serverlessYml: before, gateway: false, runs: engineRuns().slice(0, 1) }));
    expect(found).toMatch(/the Components CLI did not deploy \(exit 1\): .*src 目录无效或为空/);
  }, 120_000);

  it("catches realistic one-line mistakes in today's file, each by name", async () => {
    const doc = structuredClone(today);
    const fns = doc.inputs.functions;
    // create-group's settings written in the old form
    fns["create-group"].environment = { variables: Object.fromEntries(fns["create-group"].environments.map((e: any) => [e.key, e.value])) };
    delete fns["create-group"].environments;
    // a function URL without netConfig (the toolkit turns the internet off), one without a qualifier
    delete doc.inputs.triggers.find((t: any) => t.function === "callback").parameters.netConfig;
    delete doc.inputs.triggers.find((t: any) => t.function === "group-status").parameters.qualifier;
    // a runtime the bundles were not built for
    fns.callback.runtime = "Nodejs16.13";

    const found = problemsOf(await runDeployCheck({ serverlessYml: stringify(doc), gateway: false, runs: engineRuns().slice(0, 1) }));
    for (const finding of [
      /create-group: ESS_SECRET_ID is not in the function's environment/,
      /callback: function URL not reachable from the internet \(NetConfig\.EnableExtranet is false/,
      /the SCF API would refuse ListTriggers: ListTriggers filter Qualifier has no value/,
      /callback: runtime Nodejs16\.13 does not match the bundles' target node18/,
    ])
      expect(found).toMatch(finding);
  }, 120_000);

  it("catches a timer the toolkit would create turned off (no `enable: true`)", async () => {
    const doc = structuredClone(today);
    delete doc.inputs.triggers.find((t: any) => t.type === "timer").parameters.enable;
    const found = problemsOf(await runDeployCheck({ serverlessYml: stringify(doc), gateway: false, runs: engineRuns().slice(0, 1) }));
    expect(found).toMatch(/outbox: timer drain was created turned off \(set parameters\.enable: true\)/);
  }, 120_000);
});
