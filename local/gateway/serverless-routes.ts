import { readFile } from "node:fs/promises";
import { parse } from "yaml";

/** One API of the `apigw` trigger, joined with its function's settings. */
export interface RouteDeclaration {
  method: string;
  path: string;
  /** The function's key under `inputs.functions`. */
  functionKey: string;
  /** `handler` as deployed, e.g. `create-group/index.main_handler`. */
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
}

interface FunctionInputs {
  name?: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
}

interface ApiInputs {
  path?: string;
  method?: string;
  function?: string | { name?: string };
}

/**
 * Reads the API Gateway routes of a multi-scf `serverless.yml`. The local gateway serves exactly
 * these, so local and deployed routing cannot drift.
 */
export async function readServerlessRoutes(file = "serverless.yml"): Promise<RouteDeclaration[]> {
  return routesFromServerlessYml(await readFile(file, "utf8"));
}

export function routesFromServerlessYml(text: string): RouteDeclaration[] {
  const doc = parse(text) as { component?: string; inputs?: Record<string, unknown> };
  if (doc?.component !== "multi-scf") throw new Error("serverless.yml: expected `component: multi-scf`");
  const inputs = doc.inputs ?? {};
  const functions = (inputs.functions ?? {}) as Record<string, FunctionInputs>;
  const triggers = (inputs.triggers ?? []) as Array<{ type?: string; parameters?: { apis?: ApiInputs[] } }>;
  const routes: RouteDeclaration[] = [];
  for (const trigger of triggers) {
    if (trigger.type !== "apigw") continue;
    for (const api of trigger.parameters?.apis ?? []) {
      const key = typeof api.function === "string" ? api.function : api.function?.name;
      const fn = key !== undefined ? functions[key] : undefined;
      if (!api.path || !api.method || key === undefined || !fn?.handler) {
        throw new Error(`serverless.yml: API ${api.method ?? "?"} ${api.path ?? "?"} needs a path, a method and a known function`);
      }
      routes.push({
        method: api.method.toUpperCase(),
        path: api.path,
        functionKey: key,
        handler: fn.handler,
        timeoutSeconds: fn.timeout ?? (inputs.timeout as number | undefined) ?? 3,
        memorySize: fn.memorySize ?? (inputs.memorySize as number | undefined) ?? 128,
      });
    }
  }
  return routes;
}

/** `create-group/index.main_handler` → `{ folder: "create-group", exportName: "main_handler" }`. */
export function parseHandler(handler: string): { folder: string; exportName: string } {
  const match = /^([a-z0-9-]+)\/index\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) throw new Error(`serverless.yml: handler "${handler}" must look like <function-folder>/index.<export>`);
  return { folder: match[1]!, exportName: match[2]! };
}
