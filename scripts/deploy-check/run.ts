import { existsSync } from "node:fs";
import { parse } from "yaml";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { deployedFunctions, type DeployedFunction } from "../../local/gateway/functions";
import { loadHandlers } from "../../local/gateway/load-handlers";
import { startGateway } from "../../local/gateway/server";
import { clearDeploySettings } from "../../local/local-env";
import { CONFIG_VARIABLES } from "../../shared/config/config";
import { NODE_TARGET } from "../build";
import { checkEnvironment, checkRoutes, invokeBundle, sampleEvent, SCF_ROLE_ENV, SCF_RUNTIME_ENV, type BundleAnswer } from "./checks";
import { defaultFunctionName } from "./engine/component";
import { runEngine, type EngineResult, type EngineRunOptions } from "./engine/engine-run";
import { SAMPLE_API_KEY, SAMPLE_DEPLOYER_CREDENTIALS, SAMPLE_DEPLOYER_ENV, SAMPLE_FULL_DEPLOYER_ENV } from "./samples";
import { functionBindings, type Binding } from "./serverless-file";

export { SAMPLE_API_KEY, SAMPLE_DEPLOYER_ENV } from "./samples";

/** Sample requests with a known answer, beyond the generic probe every declared route gets. */
export const SAMPLE_CALLS = [
  {
    fn: "create-group",
    method: "POST",
    path: "/essbasic/flow-groups",
    key: true,
    body: JSON.stringify({ FlowGroupName: "deploy-check" }),
    status: 400,
    code: "MissingParameter.FlowFileInfos",
  },
  { fn: "callback", method: "POST", path: "/ess/callbacks", body: "{}", status: 200, result: "probe" },
  { fn: "group-status", method: "GET", path: "/flow-groups/not-an-id", key: true, status: 400, code: "InvalidParameter.FlowGroupId" },
  {
    fn: "group-actions",
    method: "POST",
    path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo/sign-urls",
    body: "{}",
    status: 401,
    code: "AuthFailure.MissingApiKey",
  },
  {
    fn: "group-actions",
    method: "POST",
    path: "/flow-groups/not-an-id/sign-urls",
    body: "{}",
    key: true,
    status: 400,
    code: "InvalidParameter.FlowGroupId",
  },
  { fn: "upload-files", method: "POST", path: "/ess/files", body: "{}", status: 401, code: "AuthFailure.MissingApiKey" },
  { fn: "upload-files", method: "POST", path: "/essbasic/files", body: "{}", key: true, status: 400, code: "MissingParameter.Files" },
] as const;

/** The id put into `{Param}` segments when a declared route is probed. */
const SAMPLE_ID = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";

export interface CheckResult {
  name: string;
  problems: string[];
}

export type EngineRun = Omit<EngineRunOptions, "serverlessYml" | "prebuiltDist"> & { label: string };

/** The two deploys the check runs through the engine. */
export function engineRuns(): EngineRun[] {
  const required = Object.entries(SAMPLE_DEPLOYER_ENV);
  const half = Math.ceil(required.length / 2);
  return [
    {
      label: "stage dev, every setting set in the shell",
      stage: "dev",
      env: { ...SAMPLE_DEPLOYER_CREDENTIALS, ...SAMPLE_FULL_DEPLOYER_ENV },
    },
    {
      label: "stage prod (--stage), only the required settings, half of them and the deployer's key in .env",
      stage: "prod",
      env: Object.fromEntries(required.slice(0, half)),
      dotEnv: { ...SAMPLE_DEPLOYER_CREDENTIALS, ...Object.fromEntries(required.slice(half)) },
    },
  ];
}

/**
 * The offline deploy check: the static checks of serverless.yml and the routes, then two deploys
 * through the real engine (see engine/engine-run.ts) whose every SCF API call is checked, then the
 * local stack on the same routes. `process.env` is replaced by the local check's settings: run it
 * in a process of its own (the CLI, or a test file).
 */
export async function runDeployCheck(
  options: {
    rootDir?: string;
    /** Check this serverless.yml (text) instead of the project's. */
    serverlessYml?: string;
    /** Check a checkout that already holds this `dist/` (for a file without a build hook). */
    prebuiltDist?: string;
    gateway?: boolean;
    runs?: EngineRun[];
  } = {},
): Promise<CheckResult[]> {
  const rootDir = options.rootDir ?? process.cwd();
  const text = options.serverlessYml ?? readFileSync(path.join(rootDir, "serverless.yml"), "utf8");
  const doc = parse(text) as unknown;
  const functions = await deployedFunctions(text, rootDir);
  const results: CheckResult[] = [
    {
      name: "environment: every ${env:X} known, every read variable bound in environments, required ones present, nothing local-only",
      problems: checkEnvironment(doc),
    },
    { name: "routes declared once across functions; one function URL per function with routes", problems: checkRoutes(functions) },
  ];
  const { bindings } = functionBindings(doc);
  results.push({ name: "every bound setting has a sample value for the engine runs", problems: checkSamples(bindings) });
  const runs = options.runs ?? engineRuns();
  const engines = await Promise.all(
    runs.map((run) => runEngine({ ...run, serverlessYml: options.serverlessYml, prebuiltDist: options.prebuiltDist })),
  );
  try {
    for (const [i, engine] of engines.entries()) {
      const run = runs[i]!;
      const deployer = { ...run.dotEnv, ...run.env };
      results.push({ name: `the real engine deploys it (${run.label}): CLI, component, toolkit, SCF API`, problems: [...engine.problems] });
      results.push({
        name: `  every function as SCF would create it: name, runtime = build target, handler in the zip, role, each variable with the deployer's value`,
        problems: checkFunctions(engine, functions, bindings, deployer),
      });
      results.push({
        name: `  one function URL per function with routes: authType NONE, reachable from the internet, qualifier $DEFAULT`,
        problems: checkFunctionUrls(engine, functions),
      });
      results.push({
        name: `  each bundle from the uploaded zip starts with exactly its SCF variables and answers its routes`,
        problems: await checkBundles(engine, functions),
      });
      results.push({ name: `  each timer of serverless.yml created turned on, with its cron`, problems: checkTimers(engine, functions) });
    }
    if (engines.length > 1) results.push({ name: "function names differ per stage", problems: checkStagesApart(engines) });
  } finally {
    for (const engine of engines) engine.remove();
  }
  if (options.gateway !== false)
    results.push({ name: "the local stack serves every declared route", problems: await checkGatewayServes(functions) });
  return results;
}

/** The CreateFunction of `fn` in `engine` (under the name the component gave it), or undefined. */
function created(engine: EngineResult, fn: DeployedFunction) {
  const name = engine.names.get(fn.key);
  return name === undefined ? undefined : engine.functions.get(name);
}

/** Node major version of an SCF runtime (`Nodejs18.15` → 18) and of an esbuild target (`node18` → 18). */
const major = (text: string) => Number(/(\d+)/.exec(text)?.[1]);

function checkFunctions(
  engine: EngineResult,
  functions: readonly DeployedFunction[],
  bindings: Record<string, Binding[]>,
  deployer: Record<string, string>,
): string[] {
  if (!engine.instance) return ["nothing was deployed"];
  const problems: string[] = [];
  for (const fn of functions) {
    const name = engine.names.get(fn.key);
    const scf = created(engine, fn);
    if (!scf) {
      problems.push(`${fn.key}: no function ${name ?? "of this key"} was created`);
      continue;
    }
    if (name !== defaultFunctionName(engine.instance, fn.key))
      problems.push(`${fn.key}: named ${name}, not the stage-scoped default ${defaultFunctionName(engine.instance, fn.key)}`);
    const p = scf.params as {
      Runtime?: string;
      Handler?: string;
      Role?: string;
      Environment?: { Variables?: Array<{ Key: string; Value: string }> };
    };
    if (major(String(p.Runtime)) !== major(NODE_TARGET) || !String(p.Runtime).startsWith("Nodejs"))
      problems.push(`${fn.key}: runtime ${String(p.Runtime)} does not match the bundles' target ${NODE_TARGET} (scripts/build.ts)`);
    const handler = `${fn.folder}/index.${fn.exportName}`;
    if (p.Handler !== handler) problems.push(`${fn.key}: handler ${String(p.Handler)}, expected ${handler}`);
    if (!engine.zipFiles.includes(`${fn.folder}/index.js`))
      problems.push(`${fn.key}: the uploaded zip has no ${fn.folder}/index.js (files: ${engine.zipFiles.slice(0, 12).join(", ")})`);
    if ((p.Role ?? undefined) !== (deployer.SCF_ROLE ?? undefined))
      problems.push(`${fn.key}: role ${String(p.Role)}, the deployer set ${String(deployer.SCF_ROLE)}`);

    const actual = new Map((p.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]));
    const expected = new Map<string, string>();
    for (const { name: variable, value } of bindings[fn.key] ?? []) {
      // Dropped bindings (the `environment.variables` form) count as intended: the check shows they never arrive.
      const ref = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
      if (ref === undefined) expected.set(variable, value);
      else if (deployer[ref] !== undefined) expected.set(variable, deployer[ref]!);
      else if (CONFIG_VARIABLES[variable]?.required) problems.push(`${fn.key}: required ${variable} was not set by this deployer`);
      // An unset optional setting arrives as the text "undefined" (the functions read it as unset).
      else expected.set(variable, "undefined");
    }
    for (const [variable, value] of expected) {
      if (!actual.has(variable)) problems.push(`${fn.key}: ${variable} is not in the function's environment`);
      else if (actual.get(variable) !== value) problems.push(`${fn.key}: ${variable} arrives with another value than the deployer's`);
    }
    for (const variable of actual.keys())
      if (!expected.has(variable)) problems.push(`${fn.key}: ${variable} is in the environment but serverless.yml does not bind it`);
  }
  for (const name of engine.functions.keys()) {
    if (![...engine.names.values()].includes(name)) problems.push(`a function ${name} was created that serverless.yml does not list`);
  }
  return problems;
}

/** Every setting serverless.yml binds has a sample value (the engine runs with all of them set). */
function checkSamples(bindings: Record<string, Binding[]>): string[] {
  const refs = new Set(
    Object.values(bindings).flatMap((list) =>
      list.map((b) => /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(b.value)?.[1]).filter((r) => r !== undefined),
    ),
  );
  return [...refs]
    .filter((ref) => SAMPLE_FULL_DEPLOYER_ENV[ref] === undefined)
    .map((ref) => `serverless.yml binds ${ref}, which has no sample value in scripts/deploy-check/samples.ts`);
}

function checkFunctionUrls(engine: EngineResult, functions: readonly DeployedFunction[]): string[] {
  const problems: string[] = [];
  for (const fn of functions) {
    const scf = created(engine, fn);
    if (!scf) continue;
    const urls = scf.triggers.filter((t) => t.Type === "http");
    if (fn.routes.length === 0) {
      if (urls.length > 0) problems.push(`${fn.key}: has a function URL but declares no routes`);
      continue;
    }
    if (urls.length !== 1) {
      problems.push(
        `${fn.key}: ${urls.length} function URLs were created (expected 1; triggers: ${scf.triggers.map((t) => String(t.Type)).join(", ") || "none"})`,
      );
      continue;
    }
    const url = urls[0]!;
    const desc = JSON.parse(String(url.TriggerDesc)) as { AuthType?: string; NetConfig?: { EnableExtranet?: boolean } };
    if (desc.AuthType !== "NONE")
      problems.push(
        `${fn.key}: function URL authType ${String(desc.AuthType)}; ESS cannot sign CAM requests and the API keys are checked in the function (README, Deploy)`,
      );
    if (desc.NetConfig?.EnableExtranet !== true)
      problems.push(
        `${fn.key}: function URL not reachable from the internet ` +
          `(NetConfig.EnableExtranet is ${String(desc.NetConfig?.EnableExtranet)}; the toolkit defaults it to false)`,
      );
    if (url.Qualifier !== "$DEFAULT")
      problems.push(
        `${fn.key}: function URL on ${String(url.Qualifier)}, expected $DEFAULT (and an explicit qualifier: the toolkit looks the URL up by it on redeploy)`,
      );
  }
  return problems;
}

/**
 * Timer triggers as SCF gets them: one per timer of serverless.yml, turned on (the toolkit sends
 * `Enable: CLOSE` unless `parameters.enable` is true: lib/modules/triggers/timer.js), with its cron.
 */
function checkTimers(engine: EngineResult, functions: readonly DeployedFunction[]): string[] {
  const problems: string[] = [];
  for (const fn of functions) {
    const scf = created(engine, fn);
    if (!scf) continue;
    const timers = scf.triggers.filter((t) => t.Type === "timer");
    if (timers.length !== fn.timers.length) {
      problems.push(`${fn.key}: ${timers.length} timers were created, serverless.yml has ${fn.timers.length}`);
    }
    for (const timer of fn.timers) {
      const made = timers.find((t) => t.TriggerName === timer.name);
      if (made === undefined) problems.push(`${fn.key}: timer ${timer.name} was not created`);
      else if (made.Enable !== 1) problems.push(`${fn.key}: timer ${timer.name} was created turned off (set parameters.enable: true)`);
      else if (made.TriggerDesc !== timer.cronExpression) {
        problems.push(`${fn.key}: timer ${timer.name} runs on "${String(made.TriggerDesc)}", not "${timer.cronExpression}"`);
      }
    }
  }
  return problems;
}

/** Loads each function's bundle from the uploaded zip with exactly its SCF environment and probes its routes. */
async function checkBundles(engine: EngineResult, functions: readonly DeployedFunction[]): Promise<string[]> {
  const problems: string[] = [];
  for (const fn of functions) {
    const scf = created(engine, fn);
    const bundle = path.join(engine.codeDir, fn.folder, "index.js");
    if (!scf || !existsSync(bundle)) continue;
    const p = scf.params as { Role?: string; Environment?: { Variables?: Array<{ Key: string; Value: string }> } };
    const env = {
      ...Object.fromEntries((p.Environment?.Variables ?? []).map((v) => [v.Key, v.Value])),
      ...SCF_RUNTIME_ENV,
      ...(p.Role ? SCF_ROLE_ENV : {}),
    };
    problems.push(...(await probeBundle(fn, bundle, env)));
  }
  return problems;
}

/**
 * Every declared route, without credentials and with `{}` as body, must be answered by the function
 * itself (not its router's 404/405, no 5xx); the sample calls must get their known answers; the
 * bundle must write nothing to stderr (a configuration error is one line there).
 */
export async function probeBundle(fn: DeployedFunction, bundle: string, env: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const record = (label: string, answer: BundleAnswer) => {
    if (!answer.exported.includes(fn.exportName))
      problems.push(`${fn.key}: the bundle does not export ${fn.exportName} (exports: ${answer.exported.join(", ") || "nothing"})`);
    if (answer.error) problems.push(`${label}: ${answer.error}`);
    if (answer.stderr.trim() !== "")
      problems.push(`${label}: the bundle wrote to stderr: ${answer.stderr.trim().split("\n")[0]!.slice(0, 300)}`);
    return answer.response;
  };
  if (fn.routes.length === 0) {
    record(`${fn.key} (loaded)`, await invokeBundle(bundle, fn.exportName, env, undefined));
    return problems;
  }
  for (const route of fn.routes) {
    const requestPath = route.path.replace(/\{[^}]+\}/g, SAMPLE_ID);
    const label = `${fn.key} ${route.method} ${requestPath}`;
    const response = record(
      label,
      await invokeBundle(bundle, fn.exportName, env, sampleEvent(route.method, requestPath, { body: route.method === "GET" ? "" : "{}" })),
    );
    if (!response) continue;
    const code = (JSON.parse(response.body) as { Error?: { Code?: string; Message?: string } }).Error;
    if (response.statusCode >= 500) problems.push(`${label}: answered ${response.statusCode} ${code?.Code ?? ""}`);
    if (response.statusCode === 405 || (response.statusCode === 404 && /^No route/.test(code?.Message ?? "")))
      problems.push(`${label}: the function's router does not know this declared route (${response.statusCode})`);
  }
  for (const call of SAMPLE_CALLS.filter((c) => c.fn === fn.key)) {
    const headers: Record<string, string> = "key" in call && call.key ? { authorization: `Bearer ${SAMPLE_API_KEY}` } : {};
    const label = `${fn.key} ${call.method} ${call.path}`;
    const response = record(
      label,
      await invokeBundle(
        bundle,
        fn.exportName,
        env,
        sampleEvent(call.method, call.path, { headers, body: "body" in call ? call.body : undefined }),
      ),
    );
    if (!response) continue;
    const body = JSON.parse(response.body) as { Error?: { Code?: string }; Result?: string };
    if (response.statusCode !== call.status)
      problems.push(`${label}: answered ${response.statusCode}, expected ${call.status} (${response.body.slice(0, 200)})`);
    if ("code" in call && body.Error?.Code !== call.code && !JSON.stringify(body).includes(call.code))
      problems.push(`${label}: expected ${call.code}, got ${response.body.slice(0, 200)}`);
    if ("result" in call && body.Result !== call.result)
      problems.push(`${label}: expected Result ${call.result}, got ${response.body.slice(0, 200)}`);
  }
  return problems;
}

function checkStagesApart(engines: EngineResult[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const engine of engines) {
    for (const name of engine.functions.keys()) {
      const other = seen.get(name);
      if (other !== undefined && other !== engine.stage)
        problems.push(`function ${name} is created by stage ${other} and stage ${engine.stage}: one overwrites the other`);
      seen.set(name, engine.stage);
    }
  }
  return problems;
}

/** Loads the TypeScript handlers behind the one-domain gateway and sends each declared route a request: none may be the gateway's 404/405. */
async function checkGatewayServes(functions: readonly DeployedFunction[]): Promise<string[]> {
  const storeDir = await mkdtemp(path.join(tmpdir(), "deploy-check-"));
  clearDeploySettings(process.env);
  Object.assign(process.env, {
    ...SAMPLE_DEPLOYER_ENV,
    ESS_ENDPOINT: "http://127.0.0.1:9",
    STORE: "file",
    STORE_DIR: storeDir,
    STORE_FSYNC: "false",
    LOG_LEVEL: "error",
  });
  const gateway = await startGateway({ port: 0, functions: await loadHandlers(functions) });
  const problems: string[] = [];
  try {
    for (const route of functions.flatMap((f) => f.routes)) {
      const url = `${gateway.url}${route.path.replace(/\{[^}]+\}/g, SAMPLE_ID)}`;
      const res = await fetch(url, {
        method: route.method,
        headers: { "content-type": "application/json" },
        ...(route.method === "GET" ? {} : { body: "{}" }),
      });
      const body = (await res.json().catch(() => ({}))) as { Error?: { Code?: string; Message?: string } };
      if (res.status === 405 || (res.status === 404 && /^No route/.test(body.Error?.Message ?? "")))
        problems.push(`${route.method} ${route.path}: answered ${res.status} ${body.Error?.Code ?? ""}`);
      if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) problems.push(`${route.method} ${route.path}: not JSON`);
    }
  } finally {
    await gateway.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
  return problems;
}
