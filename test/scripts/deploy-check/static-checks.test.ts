import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { readDeployedFunctions, type DeployedFunction } from "../../../local/gateway/functions";
import { checkEnvironment, checkRoutes, resolveBindings } from "../../../scripts/deploy-check/checks";

/**
 * The deploy check's static parts (serverless.yml against what the functions read; routes against
 * function URLs): each check fails on a broken copy of the file or of the route declarations. The
 * engine runs are in engine.test.ts.
 */
const original = parse(readFileSync("serverless.yml", "utf8")) as any;
const mutate = (change: (doc: any) => void) => {
  const doc = structuredClone(original);
  change(doc);
  return doc;
};
const env = (doc: any, fn: string) => doc.inputs.functions[fn].environments as Array<{ key: string; value: string }>;
let functions: DeployedFunction[];

beforeAll(async () => {
  functions = await readDeployedFunctions();
});

describe("the static deploy checks", () => {
  it("pass on the project's serverless.yml and routes", () => {
    expect(checkEnvironment(original)).toEqual([]);
    expect(checkRoutes(functions)).toEqual([]);
  });
});

describe("the static deploy checks catch", () => {
  it.each([
    [
      "an unknown ${env:X}",
      (d: any) => env(d, "callback").push({ key: "ESS_CALLBAK_KEY", value: "${env:ESS_CALLBAK_KEY}" }),
      /ESS_CALLBAK_KEY/,
    ],
    [
      "a required variable left unbound",
      (d: any) => (d.inputs.functions["create-group"].environments = env(d, "create-group").filter((e) => e.key !== "API_KEY_HASHES")),
      /API_KEY_HASHES \(required\)/,
    ],
    [
      "a read variable left unbound",
      (d: any) => (d.inputs.functions["group-status"].environments = env(d, "group-status").filter((e) => e.key !== "ESS_TIMEOUT_MS")),
      /ESS_TIMEOUT_MS/,
    ],
    [
      "a local-only switch deployed",
      (d: any) => env(d, "create-group").push({ key: "AUTH_DISABLED", value: "${env:AUTH_DISABLED}" }),
      /AUTH_DISABLED.*local-only/,
    ],
    [
      "a secret written into the file",
      (d: any) => (env(d, "callback").find((e) => e.key === "ESS_CALLBACK_KEY")!.value = "0123456789abcdef0123456789abcdef"),
      /ESS_CALLBACK_KEY must be bound/,
    ],
    [
      "a variable given to a function that does not read it",
      (d: any) => env(d, "callback").push({ key: "ESS_SECRET_KEY", value: "${env:ESS_SECRET_KEY}" }),
      /does not read/,
    ],
    [
      "the old environment.variables form, which multi-scf drops",
      (d: any) => {
        const fn = d.inputs.functions.callback;
        fn.environment = { variables: Object.fromEntries(fn.environments.map((e: any) => [e.key, e.value])) };
        delete fn.environments;
      },
      /callback: `environment` is ignored by multi-scf[\s\S]*ESS_CALLBACK_KEY \(required\)/,
    ],
    [
      "a variable listed twice",
      (d: any) => env(d, "callback").push({ key: "LOG_LEVEL", value: "${env:LOG_LEVEL}" }),
      /LOG_LEVEL is listed twice/,
    ],
  ])("%s (environment)", (_case, change, message) => {
    expect(checkEnvironment(mutate(change)).join("\n")).toMatch(message);
  });

  it.each([
    [
      "a route declared by two functions",
      (f: DeployedFunction[]) => f[2]!.routes.concat(f[0]!.routes[0]!),
      /route POST \/ess\/flow-groups is declared by create-group and group-status/,
    ],
    [
      "a function with routes and no function URL",
      (f: DeployedFunction[]) => ((f[1] as any).triggerTypes = []),
      /callback declares routes but has 0 function URLs/,
    ],
    [
      "a function URL on a function without routes",
      (f: DeployedFunction[]) => ((f[1] as any).routes = []),
      /callback has a function URL but declares no routes/,
    ],
  ])("%s (routes)", (_case, change, message) => {
    const copy = functions.map((f) => ({ ...f, routes: [...f.routes], triggerTypes: [...f.triggerTypes] }));
    const extra = change(copy);
    if (Array.isArray(extra)) copy[2]!.routes = extra;
    expect(checkRoutes(copy).join("\n")).toMatch(message);
  });

  it("resolves an unset ${env:X} in environments as the engine does: the text undefined", () => {
    expect(
      resolveBindings(
        [
          { name: "A", value: "${env:A}" },
          { name: "B", value: "cos" },
        ],
        {},
      ),
    ).toEqual({ A: "undefined", B: "cos" });
  });

  it("keeps the yml round-trippable (no anchors or tags the component would not read)", () => {
    expect(parse(stringify(original))).toEqual(original);
  });
});
