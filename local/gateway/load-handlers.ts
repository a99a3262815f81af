import path from "node:path";
import { pathToFileURL } from "node:url";
import type { StartedHandler } from "../../shared/http/start-handler";
import type { DeployedFunction } from "./functions";
import type { LocalFunction } from "./server";

/**
 * Imports each HTTP function's TypeScript source (`functions/<folder>/handler.ts`) once, like an SCF
 * container's cold start, so a configuration error stops `npm start` with the variable's name rather
 * than answering 500 on the first request. Functions without routes (timer jobs) are not served.
 */
export async function loadHandlers(functions: readonly DeployedFunction[], rootDir = process.cwd()): Promise<LocalFunction[]> {
  const loaded: LocalFunction[] = [];
  for (const fn of functions) {
    if (fn.routes.length === 0) continue;
    const file = path.join(rootDir, "functions", fn.folder, "handler.ts");
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const invoke = mod[fn.exportName] as StartedHandler | undefined;
    if (typeof invoke !== "function") throw new Error(`functions/${fn.folder}/handler.ts does not export ${fn.exportName}`);
    if (invoke.startupError) throw invoke.startupError;
    loaded.push({ name: fn.key, timeoutMs: fn.timeoutSeconds * 1000, memoryMb: fn.memorySize, routes: fn.routes, invoke });
  }
  return loaded;
}
