import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import type { RouteDeclaration } from "../../shared/http/routes";

/**
 * What serverless.yml deploys, joined with what each function declares in code: the one list the
 * local stack serves and the deploy check verifies. A new function is a folder under `functions/`
 * (with `handler.ts`, and `routes.ts` if it answers HTTP) plus its entry in serverless.yml.
 */
export interface DeployedFunction {
  /** The function's key under `inputs.functions`. */
  key: string;
  /** `functions/<folder>/`, from `handler: <folder>/index.<export>`. */
  folder: string;
  exportName: string;
  timeoutSeconds: number;
  memorySize: number;
  /** The trigger types serverless.yml gives the function (`http` is its function URL). */
  triggerTypes: string[];
  /** Its timer triggers: name and SCF cron expression (seven fields, seconds first). */
  timers: Array<{ name: string; cronExpression: string }>;
  /** The routes `functions/<folder>/routes.ts` declares; empty for a function without one (a timer job). */
  routes: readonly RouteDeclaration[];
}

interface FunctionInputs {
  handler?: unknown;
  timeout?: unknown;
  memorySize?: unknown;
}

/** The SCF default timeout and memory when serverless.yml sets none (toolkit `scf/config`). */
const SCF_DEFAULTS = { timeout: 3, memorySize: 128 };

export async function readDeployedFunctions(
  rootDir = process.cwd(),
  file = path.join(rootDir, "serverless.yml"),
): Promise<DeployedFunction[]> {
  return deployedFunctions(await readFile(file, "utf8"), rootDir);
}

/** The functions `serverlessYml` (text) lists, with the routes their folders under `rootDir` declare. */
export async function deployedFunctions(serverlessYml: string, rootDir = process.cwd()): Promise<DeployedFunction[]> {
  const declared = functionsFromServerlessYml(serverlessYml);
  const out: DeployedFunction[] = [];
  for (const fn of declared) out.push({ ...fn, routes: await readRoutes(rootDir, fn.folder) });
  return out;
}

/** The functions of a multi-scf serverless.yml, before their routes are read. */
export function functionsFromServerlessYml(text: string): Array<Omit<DeployedFunction, "routes">> {
  const doc = parse(text) as { component?: string; inputs?: Record<string, unknown> } | null;
  if (doc?.component !== "multi-scf") throw new Error("serverless.yml: expected `component: multi-scf`");
  const inputs = doc.inputs ?? {};
  const functions = (inputs.functions ?? {}) as Record<string, FunctionInputs>;
  type Trigger = { type?: unknown; function?: unknown; parameters?: unknown };
  const triggers = (Array.isArray(inputs.triggers) ? inputs.triggers : []) as Trigger[];
  return Object.entries(functions).map(([key, fn]) => {
    if (typeof fn?.handler !== "string") throw new Error(`serverless.yml: function ${key} has no handler`);
    const { folder, exportName } = parseHandler(fn.handler);
    return {
      key,
      folder,
      exportName,
      timeoutSeconds: numberOr(fn.timeout, numberOr(inputs.timeout, SCF_DEFAULTS.timeout)),
      memorySize: numberOr(fn.memorySize, numberOr(inputs.memorySize, SCF_DEFAULTS.memorySize)),
      triggerTypes: triggers.filter((t) => t.function === key).map((t) => String(t.type)),
      timers: triggers
        .filter((t) => t.function === key && t.type === "timer")
        .map((t) => t.parameters as { name?: unknown; cronExpression?: unknown } | undefined)
        .map((p) => ({ name: String(p?.name ?? "timer"), cronExpression: String(p?.cronExpression ?? "") })),
    };
  });
}

const numberOr = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);

/** `create-group/index.main_handler` → `{ folder: "create-group", exportName: "main_handler" }`. */
export function parseHandler(handler: string): { folder: string; exportName: string } {
  const match = /^([a-z0-9-]+)\/index\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) throw new Error(`serverless.yml: handler "${handler}" must look like <function-folder>/index.<export>`);
  return { folder: match[1]!, exportName: match[2]! };
}

/** `functions/<folder>/routes.ts`'s `routes`, or none when the function has no routes file. */
async function readRoutes(rootDir: string, folder: string): Promise<readonly RouteDeclaration[]> {
  const file = path.join(rootDir, "functions", folder, "routes.ts");
  if (!existsSync(file)) return [];
  const mod = (await import(pathToFileURL(file).href)) as { routes?: readonly RouteDeclaration[] };
  if (!Array.isArray(mod.routes)) throw new Error(`functions/${folder}/routes.ts must export routes (declareRoutes([...]))`);
  return mod.routes;
}
