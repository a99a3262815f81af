import type { ImportEdge } from "../../scripts/house/import-graph";

/**
 * The house's dependency rules (docs/architecture.md, "Dependency rules"), as one function over the
 * import graph so the test can run it on the real tree and on planted edges alike.
 */

/** The folders whose imports are checked. */
export const CHECKED_FOLDERS = ["functions", "shared", "local", "scripts", "bench", "bundle-shims", "test"] as const;

/**
 * The outer ring of shared/: what reads SCF events, the environment or request headers. Everything
 * else in shared/ is core, and core never imports the outer ring (use cases get plain settings).
 */
const EDGE = ["shared/http/", "shared/config/", "shared/timer/", "shared/auth/api-keys.ts"];

/** What the ESS emulator may import from outside its folder: our logger and the local process helper, nothing of the product. */
const EMULATOR_MAY_IMPORT = ["shared/log/", "local/process-lifetime.ts"];
/** …and, as types only, ESS's own vocabulary (a type runs nothing, so it cannot hide a bug on both sides). */
const EMULATOR_MAY_IMPORT_TYPES = ["shared/ess/edition.ts"];

const isEdge = (file: string) => EDGE.some((prefix) => file.startsWith(prefix));
const topFolder = (file: string) => file.split("/")[0]!;
const functionFolder = (file: string) => file.split("/").slice(0, 2).join("/");

/** Every edge that breaks a rule, each with the rule it breaks. */
export function dependencyViolations(edges: readonly ImportEdge[]): Array<{ from: string; to: string; rule: string }> {
  const found: Array<{ from: string; to: string; rule: string }> = [];
  const broken = (edge: ImportEdge, rule: string) => found.push({ from: edge.from, to: edge.to, rule });
  for (const edge of edges) {
    const { from, to } = edge;
    if (edge.external) {
      // The SDK's root index loads every Tencent service (about half a second): deep paths only.
      if ((from.startsWith("functions/") || from.startsWith("shared/")) && to === "tencentcloud-sdk-nodejs") {
        broken(edge, "deployed code imports the Tencent SDK by deep path, never its root index");
      }
      continue;
    }
    if (from.startsWith("functions/")) {
      if (!to.startsWith("shared/") && functionFolder(to) !== functionFolder(from)) {
        broken(edge, "functions/ imports shared/ (and its own folder) only");
      }
    } else if (from.startsWith("shared/")) {
      if (!to.startsWith("shared/")) broken(edge, "shared/ never imports functions/, local/ or any folder outside shared/");
      else if (!isEdge(from) && isEdge(to)) broken(edge, "core shared/ modules never import HTTP, config or API-key code");
    } else if (from.startsWith("local/ess-emulator/")) {
      const allowed =
        EMULATOR_MAY_IMPORT.some((prefix) => to.startsWith(prefix)) || (edge.typeOnly && EMULATOR_MAY_IMPORT_TYPES.includes(to));
      if (!to.startsWith("local/ess-emulator/") && !allowed) {
        broken(edge, "the ESS emulator plays the real server: it imports no product code");
      }
    } else if (from.startsWith("bundle-shims/")) {
      if (topFolder(to) !== "bundle-shims") broken(edge, "bundle-shims/ stand in for SDK parts and import nothing of ours");
    }
    if (topFolder(from) !== "test" && topFolder(to) === "test" && topFolder(from) !== "bench") {
      broken(edge, "only tests and benches import test/");
    }
  }
  return found;
}
