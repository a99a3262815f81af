import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { CONFIG_VARIABLES } from "../../shared/config/config";
import { multiScfSchema, type MultiScf } from "./multi-scf-schema";

/**
 * The offline deploy check: everything about a deployment that can be verified without Tencent
 * Cloud. Each check returns the problems it found (empty = pass).
 */

/** Variables serverless.yml itself uses outside the functions' environments. */
export const DEPLOY_VARIABLES = ["STAGE", "SCF_REGION", "SCF_ROLE"] as const;

/**
 * What SCF puts into a function's environment by itself when the function has an execution role:
 * the role's temporary credentials. The check gives bundles dummy ones, as a deployment with a
 * role would have.
 */
export const SCF_RUNTIME_ENV: Record<string, string> = {
  TENCENTCLOUD_SECRETID: "AKIDscfRoleTemporaryId",
  TENCENTCLOUD_SECRETKEY: "scfRoleTemporaryKey",
  TENCENTCLOUD_SESSIONTOKEN: "scfRoleSessionToken",
};

/** Every `${env:X}` in the file's values (comments do not count). */
export function envReferences(doc: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") for (const m of value.matchAll(ENV_REFERENCE)) found.add(m[1]!);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(doc);
  return [...found];
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function readServerlessYml(file = "serverless.yml"): { text: string; doc: unknown } {
  const text = readFileSync(file, "utf8");
  return { text, doc: parse(text) };
}

/** The file parses and matches the multi-scf input schema. */
export function checkSchema(doc: unknown): { problems: string[]; config?: MultiScf } {
  const result = multiScfSchema.safeParse(doc);
  if (result.success) return { problems: [], config: result.data };
  return { problems: result.error.issues.map((i) => `serverless.yml ${i.path.join(".") || "(root)"}: ${i.message}`) };
}

/** Routes point at known functions, are unique, and each function is reachable. */
export function checkRoutes(config: MultiScf): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const used = new Set<string>();
  for (const trigger of config.inputs.triggers) {
    for (const api of trigger.parameters.apis) {
      const key = `${api.method} ${api.path}`;
      if (seen.has(key)) problems.push(`route ${key} is declared twice`);
      seen.add(key);
      if (!config.inputs.functions[api.function]) problems.push(`route ${key} names unknown function ${api.function}`);
      used.add(api.function);
      for (const param of /\{([^}]+)\}/g[Symbol.matchAll](api.path)) {
        if (!api.param?.some((p) => p.name === param[1] && p.position === "PATH")) problems.push(`route ${key}: path parameter ${param[1]} is not declared in param`);
      }
    }
  }
  for (const name of Object.keys(config.inputs.functions)) if (!used.has(name)) problems.push(`function ${name} has no API Gateway route`);
  return problems;
}

/**
 * Every `${env:X}` names a known variable; each function binds exactly what it reads and may be
 * given from the deployer's environment, every required variable, and nothing local-only.
 */
export function checkEnvironment(config: MultiScf, doc: unknown): string[] {
  const problems: string[] = [];
  for (const name of envReferences(doc)) {
    if (!CONFIG_VARIABLES[name] && !(DEPLOY_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`\${env:${name}} is not a variable the configuration knows`);
    }
  }
  for (const [key, fn] of Object.entries(config.inputs.functions)) {
    const bound = fn.environment?.variables ?? {};
    for (const [name, value] of Object.entries(bound)) {
      const variable = CONFIG_VARIABLES[name];
      if (!variable) problems.push(`function ${key} sets ${name}, which no function reads`);
      else if (!variable.functions.includes(key)) problems.push(`function ${key} sets ${name}, which it does not read`);
      else if (variable.deploy === "local-only" || variable.deploy === "runtime") problems.push(`function ${key} sets ${name}, which must not be deployed (${variable.deploy})`);
      else if (variable.deploy === "env" && value !== `\${env:${name}}`) problems.push(`function ${key}: ${name} must be bound as \${env:${name}}, not written in the file`);
    }
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES)) {
      if (!variable.functions.includes(key)) continue;
      if ((variable.deploy === "env" || variable.deploy === "fixed") && !(name in bound)) {
        problems.push(`function ${key} reads ${name}${variable.required ? " (required)" : ""} but serverless.yml does not bind it`);
      }
    }
  }
  return problems;
}

/** The environment SCF would give `functionKey`, with `${env:X}` resolved from `deployerEnv` ("" when unset). */
export function functionEnvironment(config: MultiScf, functionKey: string, deployerEnv: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.inputs.functions[functionKey]?.environment?.variables ?? {})) {
    out[name] = String(value).replace(ENV_REFERENCE, (_m, ref: string) => deployerEnv[ref] ?? "");
  }
  return out;
}

/** Each function's `handler` resolves to a bundle in the deployed folder. */
export function checkBundlesExist(config: MultiScf, rootDir = process.cwd()): string[] {
  const problems: string[] = [];
  for (const [key, fn] of Object.entries(config.inputs.functions)) {
    const [folder] = fn.handler.split("/");
    const file = path.join(rootDir, config.inputs.src.src, folder!, "index.js");
    if (!existsSync(file)) problems.push(`function ${key}: handler ${fn.handler} has no bundle at ${path.relative(rootDir, file)} (run npm run build)`);
  }
  return problems;
}

/** What a fresh Node process printed after loading a bundle and invoking its handler. */
export interface BundleAnswer {
  exported: string[];
  response?: { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean };
  error?: string;
}

/**
 * Loads a bundle in a fresh Node process whose environment is exactly `env` (what the yml binds),
 * calls the export with `event`, and returns what it answered. This is what SCF does, minus the
 * container.
 */
export function invokeBundle(bundle: string, exportName: string, env: Record<string, string>, event: unknown): Promise<BundleAnswer> {
  const program = `
    const [file, name, eventJson] = process.argv.slice(1);
    let mod;
    try { mod = require(file); } catch (e) { console.log(JSON.stringify({ exported: [], error: "load: " + e.message })); process.exit(0); }
    const exported = Object.keys(mod);
    if (typeof mod[name] !== "function") { console.log(JSON.stringify({ exported })); process.exit(0); }
    const context = { request_id: "deploy-check", function_name: "deploy-check", getRemainingTimeInMillis: () => 10000 };
    Promise.resolve(mod[name](JSON.parse(eventJson), context)).then(
      (response) => console.log(JSON.stringify({ exported, response })),
      (e) => console.log(JSON.stringify({ exported, error: "invoke: " + e.message })),
    );`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", program, path.resolve(bundle), exportName, JSON.stringify(event)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", () => {
      clearTimeout(timer);
      const line = out.trim().split("\n").reverse().find((l) => l.startsWith('{"exported"'));
      if (!line) return reject(new Error(`bundle ${bundle} printed no answer: ${err.slice(0, 500)}`));
      resolve(JSON.parse(line) as BundleAnswer);
    });
  });
}

/** A sample API Gateway event, shaped as SCF delivers it. */
export function sampleEvent(method: string, routePath: string, requestPath: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  return {
    requestContext: { serviceId: "service-deploycheck", path: routePath, httpMethod: method, requestId: "deploy-check", identity: {}, sourceIp: "127.0.0.1", stage: "release" },
    headers: { "content-type": "application/json", ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
    pathParameters: {},
    queryStringParameters: {},
    headerParameters: {},
    stageVariables: { stage: "release" },
    path: requestPath,
    queryString: {},
    httpMethod: method,
  };
}
