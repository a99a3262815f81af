import { spawn } from "node:child_process";
import path from "node:path";
import { CONFIG_VARIABLES } from "../../shared/config/config";
import type { DeployedFunction } from "../../local/gateway/functions";
import { envReferences, functionBindings, type Binding } from "./serverless-file";

/**
 * Checks of the deploy check that need no engine: what serverless.yml binds against what the
 * functions read, and the routes the functions declare against the triggers. Each returns the
 * problems it found (empty = pass).
 */

/** Variables serverless.yml itself uses outside the functions' environments. */
export const DEPLOY_VARIABLES = ["SCF_REGION", "SCF_ROLE"] as const;

/**
 * What SCF puts into every function's environment itself (SCF doc 583/30228, spec
 * scf-api-gateway.md): the runtime marker, and with an execution role its temporary credentials
 * (dummy values here).
 */
export const SCF_RUNTIME_ENV: Record<string, string> = { TENCENTCLOUD_RUNENV: "SCF" };
export const SCF_ROLE_ENV: Record<string, string> = {
  TENCENTCLOUD_SECRETID: "AKIDscfRoleTemporaryId",
  TENCENTCLOUD_SECRETKEY: "scfRoleTemporaryKey",
  TENCENTCLOUD_SESSIONTOKEN: "scfRoleSessionToken",
};

/**
 * Every `${env:X}` names a known variable; each function binds, in `environments`, exactly what it
 * reads and may be given from the deployer's environment, every required variable, and nothing
 * local-only or set by SCF itself.
 */
export function checkEnvironment(doc: unknown): string[] {
  const { bindings, problems } = functionBindings(doc);
  for (const name of envReferences(doc)) {
    if (!CONFIG_VARIABLES[name] && !(DEPLOY_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`\${env:${name}} is not a variable the configuration knows`);
    }
  }
  for (const [key, all] of Object.entries(bindings)) {
    const bound = all.filter((b) => !b.dropped);
    for (const { name, value } of bound) {
      const variable = CONFIG_VARIABLES[name];
      if (!variable) problems.push(`function ${key} sets ${name}, which no function reads`);
      else if (!variable.functions.includes(key)) problems.push(`function ${key} sets ${name}, which it does not read`);
      else if (variable.deploy === "local-only" || variable.deploy === "runtime")
        problems.push(`function ${key} sets ${name}, which must not be deployed (${variable.deploy})`);
      else if (variable.deploy === "env" && value !== `\${env:${name}}`)
        problems.push(`function ${key}: ${name} must be bound as \${env:${name}}, not written in the file`);
    }
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES)) {
      if (!variable.functions.includes(key)) continue;
      if ((variable.deploy === "env" || variable.deploy === "fixed") && !bound.some((b) => b.name === name)) {
        problems.push(
          `function ${key} reads ${name}${variable.required ? " (required)" : ""} but serverless.yml does not bind it in environments`,
        );
      }
    }
  }
  return problems;
}

/**
 * Routes are declared once across all functions (the one-domain gateway, and a TSE gateway in
 * front, route by them), each function that declares routes has exactly one function URL (`http`
 * trigger), and a function URL belongs to a function that declares routes.
 */
export function checkRoutes(functions: readonly DeployedFunction[]): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const fn of functions) {
    for (const route of fn.routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const first = owner.get(key);
      if (first !== undefined) problems.push(`route ${key} is declared by ${first} and ${fn.key}`);
      else owner.set(key, fn.key);
    }
    const urls = fn.triggerTypes.filter((t) => t === "http").length;
    if (fn.routes.length > 0 && urls !== 1)
      problems.push(`function ${fn.key} declares routes but has ${urls} function URLs (type: http triggers); it needs one`);
    if (fn.routes.length === 0 && urls > 0)
      problems.push(`function ${fn.key} has a function URL but declares no routes (functions/${fn.folder}/routes.ts)`);
  }
  return problems;
}

/**
 * The environment SCF would give a function: each binding's `${env:X}` resolved from `deployerEnv`
 * as the Components CLI does it (an unset variable inside a list arrives as the text "undefined").
 */
export function resolveBindings(bound: readonly Binding[], deployerEnv: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of bound.filter((b) => !b.dropped)) {
    const whole = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    out[name] = whole ? String(deployerEnv[whole[1]!]) : value;
  }
  return out;
}

/** What a fresh Node process printed after loading a bundle and invoking its handler. */
export interface BundleAnswer {
  exported: string[];
  response?: { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean };
  error?: string;
  /** What the bundle wrote to stderr while loading and answering. */
  stderr: string;
}

/**
 * Loads a bundle in a fresh Node process whose environment is exactly `env`, calls the export with
 * `event` (unless there is none: then it only loads), and returns what it answered: what SCF does,
 * minus the container.
 */
export function invokeBundle(bundle: string, exportName: string, env: Record<string, string>, event: unknown): Promise<BundleAnswer> {
  const program = `
    const [file, name, eventJson] = process.argv.slice(1);
    let mod;
    try { mod = require(file); } catch (e) { console.log(JSON.stringify({ exported: [], error: "load: " + e.message })); process.exit(0); }
    const exported = Object.keys(mod);
    if (typeof mod[name] !== "function" || eventJson === "") { console.log(JSON.stringify({ exported })); process.exit(0); }
    const context = { request_id: "deploy-check", function_name: "deploy-check", getRemainingTimeInMillis: () => 10000 };
    Promise.resolve(mod[name](JSON.parse(eventJson), context)).then(
      (response) => console.log(JSON.stringify({ exported, response })),
      (e) => console.log(JSON.stringify({ exported, error: "invoke: " + e.message })),
    );`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-e", program, path.resolve(bundle), exportName, event === undefined ? "" : JSON.stringify(event)],
      {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", () => {
      clearTimeout(timer);
      const line = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith('{"exported"'));
      if (!line) return reject(new Error(`bundle ${bundle} printed no answer: ${err.slice(0, 500)}`));
      resolve({ ...(JSON.parse(line) as Omit<BundleAnswer, "stderr">), stderr: err });
    });
  });
}

/** A sample function URL event (SCF doc 583/96099). */
export function sampleEvent(method: string, requestPath: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const [pathname, query = ""] = requestPath.split("?") as [string, string?];
  return {
    httpMethod: method,
    path: pathname,
    headers: { "content-type": "application/json", "x-scf-remote-addr": "203.0.113.1", ...options.headers },
    queryString: Object.fromEntries(new URLSearchParams(query)),
    body: options.body ?? "",
  };
}
