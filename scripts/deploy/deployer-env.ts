import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The environment the Components CLI resolves `${env:X}` from: the shell, plus the first `.env`
 * file it finds, which never overrides a variable already set. Order (CLI `src/cli/index.js`,
 * @serverless/components 3.18.2): `.env.<stage>`, `.env`, then the same two one and two folders up.
 * Parsed with the CLI's own `dotenv`, so quoting and comments read the same.
 */
export function deployerEnvironment(
  rootDir: string,
  stage: string,
  shell: NodeJS.ProcessEnv = process.env,
): { env: Record<string, string | undefined>; envFile?: string } {
  const candidates = [rootDir, path.join(rootDir, ".."), path.join(rootDir, "../..")].flatMap((dir) => [
    path.join(dir, `.env.${stage}`),
    path.join(dir, ".env"),
  ]);
  const envFile = candidates.find((file) => existsSync(file));
  const env: Record<string, string | undefined> = { ...shell };
  if (envFile === undefined) return { env };
  const cliRequire = createRequire(require.resolve("@serverless/components/package.json"));
  const dotenv = cliRequire("dotenv") as { parse(src: Buffer): Record<string, string> };
  const { readFileSync } = cliRequire("fs") as typeof import("node:fs");
  for (const [name, value] of Object.entries(dotenv.parse(readFileSync(envFile)))) if (env[name] === undefined) env[name] = value;
  return { env, envFile };
}
