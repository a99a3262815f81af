import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The request examples of the ESS documentation, verbatim (test/fixtures/seed). */

const SEED_DIR = join(__dirname, "../../../fixtures/seed");

export interface Seed {
  name: string;
  edition: "ess" | "essbasic";
  request: Record<string, any>;
}

export function loadSeeds(): Seed[] {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith(".request.json"))
    .sort()
    .map((f) => ({
      name: f.replace(".request.json", ""),
      edition: f.startsWith("essbasic") ? "essbasic" : "ess",
      request: JSON.parse(readFileSync(join(SEED_DIR, f), "utf8")),
    }));
}

export function seed(name: string): Record<string, any> {
  const found = loadSeeds().find((s) => s.name === name);
  if (!found) throw new Error(`no seed ${name}`);
  return structuredClone(found.request);
}
