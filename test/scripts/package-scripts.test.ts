import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every `npm run` script names files that exist (a moved script must not leave `npm run deploy` broken). */
const root = path.resolve(__dirname, "../..");
const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("package.json scripts", () => {
  it.each(Object.entries(scripts))("%s: %s", (_name, command) => {
    const files = [...command.matchAll(/(?:^|\s)((?:scripts|local|bench|test)\/[\w./-]+\.(?:ts|sh|mts))/g)].map((m) => m[1]!);
    for (const file of files) expect(existsSync(path.join(root, file)), `${file} exists`).toBe(true);
  });

  it("deploy and remove run the deploy script", () => {
    expect(scripts.deploy).toBe("bash scripts/deploy/deploy.sh deploy");
    expect(scripts.remove).toBe("bash scripts/deploy/deploy.sh remove");
  });
});
