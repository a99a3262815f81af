import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ScfHttpHandler } from "../../shared/http/scf-types";
import type { GatewayRoute } from "./server";
import { parseHandler, type RouteDeclaration } from "./serverless-routes";

/**
 * Imports each declared function's TypeScript source (`functions/<folder>/handler.ts`) and binds
 * it to its routes. Modules load once each, at start, like an SCF container's cold start, so a
 * configuration error shows at `npm start` rather than on the first request.
 */
export async function loadHandlers(declarations: readonly RouteDeclaration[], rootDir = process.cwd()): Promise<GatewayRoute[]> {
  const modules = new Map<string, Record<string, unknown>>();
  const routes: GatewayRoute[] = [];
  for (const declaration of declarations) {
    const { folder, exportName } = parseHandler(declaration.handler);
    let mod = modules.get(folder);
    if (!mod) {
      const file = path.join(rootDir, "functions", folder, "handler.ts");
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      modules.set(folder, mod);
    }
    const invoke = mod[exportName];
    if (typeof invoke !== "function") throw new Error(`functions/${folder}/handler.ts does not export ${exportName}`);
    routes.push({
      method: declaration.method,
      path: declaration.path,
      functionName: declaration.functionKey,
      timeoutMs: declaration.timeoutSeconds * 1000,
      memoryMb: declaration.memorySize,
      invoke: invoke as ScfHttpHandler,
    });
  }
  return routes;
}
