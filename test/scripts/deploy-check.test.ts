import { parse, stringify } from "yaml";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFunctions } from "../../scripts/build";
import { checkBundlesExist, checkEnvironment, checkRoutes, checkSchema } from "../../scripts/deploy-check/checks";
import { runDeployCheck } from "../../scripts/deploy-check/run";

/**
 * The offline deploy check, as CI runs it: build the bundles, then verify serverless.yml and the
 * bundles themselves. The second half proves each check can fail, on broken copies of the file.
 */
const original = parse(readFileSync("serverless.yml", "utf8")) as any;
const mutate = (change: (doc: any) => void) => {
  const doc = structuredClone(original);
  change(doc);
  return doc;
};
const schemaOf = (doc: unknown) => {
  const result = checkSchema(doc);
  expect(result.problems).toEqual([]);
  return result.config!;
};

describe("offline deploy check", () => {
  beforeAll(async () => {
    await buildFunctions({ quiet: true });
  }, 120_000);

  it("passes on the project's serverless.yml and bundles", async () => {
    const results = await runDeployCheck();
    for (const result of results) expect({ check: result.name, problems: result.problems }).toEqual({ check: result.name, problems: [] });
    expect(results.map((r) => r.name)).toHaveLength(7);
  }, 120_000);
});

describe("the deploy check catches", () => {
  it.each([
    ["a memory size SCF does not offer", (d: any) => (d.inputs.functions.callback.memorySize = 100)],
    ["an unsupported runtime", (d: any) => (d.inputs.runtime = "Nodejs8.9")],
    ["a misspelled input", (d: any) => (d.inputs.functions.callback.timout = 3)],
    ["a handler not shaped folder/index.export", (d: any) => (d.inputs.functions.callback.handler = "callback.main_handler")],
    ["a component other than multi-scf", (d: any) => (d.component = "scf")],
  ])("%s (schema)", (_case, change) => {
    expect(checkSchema(mutate(change)).problems.length).toBeGreaterThan(0);
  });

  it.each([
    ["an unknown ${env:X}", (d: any) => (d.inputs.functions.callback.environment.variables.ESS_CALLBAK_KEY = "${env:ESS_CALLBAK_KEY}"), /ESS_CALLBAK_KEY/],
    ["a required variable left unbound", (d: any) => delete d.inputs.functions["create-group"].environment.variables.API_KEY_HASHES, /API_KEY_HASHES \(required\)/],
    ["a read variable left unbound", (d: any) => delete d.inputs.functions["group-status"].environment.variables.ESS_TIMEOUT_MS, /ESS_TIMEOUT_MS/],
    ["a local-only switch deployed", (d: any) => (d.inputs.functions["create-group"].environment.variables.AUTH_DISABLED = "${env:AUTH_DISABLED}"), /AUTH_DISABLED.*local-only/],
    ["a secret written into the file", (d: any) => (d.inputs.functions.callback.environment.variables.ESS_CALLBACK_KEY = "0123456789abcdef0123456789abcdef"), /ESS_CALLBACK_KEY must be bound/],
    ["a variable given to a function that does not read it", (d: any) => (d.inputs.functions.callback.environment.variables.ESS_SECRET_KEY = "${env:ESS_SECRET_KEY}"), /does not read/],
  ])("%s (environment)", (_case, change, message) => {
    const doc = mutate(change);
    expect(checkEnvironment(schemaOf(doc), doc).join("\n")).toMatch(message);
  });

  it.each([
    ["a route to an unknown function", (d: any) => (d.inputs.triggers[0].parameters.apis[0].function = "create-groups"), /unknown function/],
    ["a route declared twice", (d: any) => d.inputs.triggers[0].parameters.apis.push(d.inputs.triggers[0].parameters.apis[0]), /declared twice/],
    ["an undeclared path parameter", (d: any) => delete d.inputs.triggers[0].parameters.apis[3].param, /FlowGroupId is not declared/],
  ])("%s (routes)", (_case, change, message) => {
    expect(checkRoutes(schemaOf(mutate(change))).join("\n")).toMatch(message);
  });

  it("a handler whose bundle is not in the deployed folder", () => {
    const doc = mutate((d) => (d.inputs.functions.callback.handler = "callbacks/index.main_handler"));
    expect(checkBundlesExist(schemaOf(doc)).join("\n")).toMatch(/no bundle at dist\/callbacks\/index.js/);
  });

  it("keeps the yml round-trippable (no anchors or tags the component would not read)", () => {
    expect(parse(stringify(original))).toEqual(original);
  });
});
