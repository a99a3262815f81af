/**
 * Before a real deploy (`npm run deploy` runs it): reads the settings the Components CLI will read
 * (your shell, then `.env` — see deployer-env.ts), reports in ONE run every problem it finds, and
 * exits 1 if there is any:
 *   - the deployer's own credentials (TENCENT_SECRET_ID / TENCENT_SECRET_KEY) missing;
 *   - a required setting missing;
 *   - a setting set to "" (the SCF API refuses empty variable values: unset it instead);
 *   - each built bundle, loaded in a fresh Node process with exactly the environment serverless.yml
 *     will give it (plus what SCF adds), refusing its configuration (the line names the variable).
 * Values are never printed. Build first (`npm run build`).
 *
 *   npx tsx scripts/deploy/preflight.ts [--stage prod]
 */
import path from "node:path";
import { CONFIG_VARIABLES } from "../../shared/config/config";
import { readDeployedFunctions } from "../../local/gateway/functions";
import { invokeBundle, resolveBindings, sampleEvent, SCF_ROLE_ENV, SCF_RUNTIME_ENV } from "../deploy-check/checks";
import { functionBindings, readServerlessFile } from "../deploy-check/serverless-file";
import { deployerEnvironment } from "./deployer-env";

const root = path.resolve(__dirname, "../..");

/** The settings the deployer must provide, with what each is for. */
const DEPLOYER_CREDENTIALS = ["TENCENT_SECRET_ID", "TENCENT_SECRET_KEY"] as const;

function stageFromArgs(argv: string[]): string {
  const i = argv.indexOf("--stage");
  return (i >= 0 ? argv[i + 1] : undefined) ?? process.env.STAGE ?? "dev";
}

export async function preflight(options: {
  stage: string;
  shell?: NodeJS.ProcessEnv;
  rootDir?: string;
  distDir?: string;
}): Promise<{ lines: string[]; failed: boolean }> {
  const rootDir = options.rootDir ?? root;
  const distDir = options.distDir ?? path.join(rootDir, "dist");
  const { env, envFile } = deployerEnvironment(rootDir, options.stage, options.shell);
  const lines: string[] = [
    envFile ? `settings: your shell, then ${path.relative(rootDir, envFile) || envFile}` : "settings: your shell (no .env file)",
  ];
  const problems: string[] = [];
  for (const name of DEPLOYER_CREDENTIALS)
    if (!env[name]?.trim()) problems.push(`${name} is not set: the deployer's Tencent Cloud API key (README, Deploy, step 1)`);

  const { doc } = readServerlessFile(path.join(rootDir, "serverless.yml"));
  const { bindings } = functionBindings(doc);
  const bound = new Set(
    Object.values(bindings).flatMap((list) =>
      list
        .filter((b) => !b.dropped)
        .map((b) => /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(b.value)?.[1])
        .filter((n) => n !== undefined),
    ),
  );
  for (const name of [...bound].sort()) {
    const value = env[name];
    if (value !== undefined && value.trim() === "")
      problems.push(`${name} is set to an empty value, which the SCF API refuses: unset it (or remove it from .env)`);
    else if (value === undefined && CONFIG_VARIABLES[name]?.required) problems.push(`${name} is required and not set`);
  }

  const roleEnv = env.SCF_ROLE?.trim() ? SCF_ROLE_ENV : {};
  for (const fn of await readDeployedFunctions(rootDir)) {
    const functionEnv = { ...resolveBindings(bindings[fn.key] ?? [], env), ...SCF_RUNTIME_ENV, ...roleEnv };
    const answer = await invokeBundle(
      path.join(distDir, fn.folder, "index.js"),
      fn.exportName,
      functionEnv,
      sampleEvent("GET", "/__preflight"),
    );
    const complaint = answer.error ?? answer.stderr.trim().split("\n")[0];
    if (complaint) problems.push(complaint.slice(0, 600));
    else lines.push(`✓ ${fn.key}: configuration loads`);
  }
  if (!env.SCF_ROLE?.trim())
    lines.push("note: SCF_ROLE is not set, so the functions get no role credentials: ESS_SECRET_ID/KEY and COS_SECRET_ID/KEY must be set");
  for (const problem of problems) lines.push(`✗ ${problem}`);
  return { lines, failed: problems.length > 0 };
}

if (require.main === module) {
  preflight({ stage: stageFromArgs(process.argv.slice(2)) }).then(
    ({ lines, failed }) => {
      for (const line of lines) console.log(line);
      if (failed) console.log("\ndeploy preflight failed: fix every ✗ above (values are never printed)");
      process.exit(failed ? 1 : 0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
