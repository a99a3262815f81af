import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serialize } from "node:v8";
import { formatInputs, validateInputs, type Instance } from "./component";
import { prepareCheckout, runComponentsCli, type CheckoutOptions } from "./run-cli";
import { startTencentStandIn, type ScfFunction, type StandInCall } from "./tencent-stand-in";
import { readZip } from "./zip";

const repoRoot = path.resolve(__dirname, "../../..");

/** What one deploy, run through the real engine on a clean checkout, would do at Tencent Cloud. */
export interface EngineResult {
  stage: string;
  /** The deployer's environment the CLI ran with (shell; `.env` given separately in the options). */
  env: Record<string, string>;
  exitCode: number | null;
  /** The CLI's output, for problems only (it never holds secrets: outputs are the stand-in's). */
  output: string;
  instance?: Instance;
  /** The code zip's files, as SCF unpacks them, extracted under `codeDir`. */
  zipFiles: string[];
  codeDir: string;
  /** Every SCF function the toolkit created, by name, with its CreateFunction parameters and triggers. */
  functions: Map<string, ScfFunction>;
  /** The SCF function name the component gave each serverless.yml function key. */
  names: Map<string, string>;
  /** Every SCF API call the toolkit made. */
  scfCalls: StandInCall[];
  /** What went wrong on the way (engine failures, refusals, unknown calls, validation). */
  problems: string[];
  warnings: string[];
  remove(): void;
}

export interface EngineRunOptions extends CheckoutOptions {
  stage: string;
  /** The deployer's shell: TENCENT_SECRET_ID/KEY and the settings serverless.yml binds. */
  env: Record<string, string>;
}

/**
 * Runs a deploy through the real engine, offline:
 * 1. the pinned Components CLI on a clean checkout (its `src.hook` builds), network redirected to
 *    the stand-in, which captures the instance (`RunComponent`) and the code zip it uploads;
 * 2. the multi-scf component's formatting of that instance (component.ts, written from its source);
 * 3. tencent-component-toolkit's `Scf.deploy` and `TriggerManager.bulkCreateTriggers` on the result,
 *    their SCF API calls answered and recorded by the stand-in.
 */
export async function runEngine(options: EngineRunOptions): Promise<EngineResult> {
  const standIn = await startTencentStandIn();
  const checkout = prepareCheckout(options);
  const codeDir = path.join(checkout.dir, "..", "scf-code");
  const problems: string[] = [];
  const warnings: string[] = [];
  const result: EngineResult = {
    stage: options.stage,
    env: options.env,
    exitCode: null,
    output: "",
    zipFiles: [],
    codeDir,
    functions: new Map(),
    names: new Map(),
    scfCalls: [],
    problems,
    warnings,
    remove: () => checkout.remove(),
  };
  try {
    const cli = await runComponentsCli({ checkout: checkout.dir, env: options.env, stage: options.stage, standIn });
    result.exitCode = cli.exitCode;
    result.output = cli.output;
    const recorded = cli.recorded;
    const run = recorded.runComponent as { instance?: Instance; method?: string } | undefined;
    if (cli.exitCode !== 0 || !run?.instance) {
      problems.push(`the Components CLI did not deploy (exit ${cli.exitCode}): ${lastWords(cli.output)}`);
      return result;
    }
    result.instance = run.instance;
    for (const unknown of recorded.unknown) problems.push(`the CLI made a call the check does not model: ${unknown}`);
    const deployer = options.env.TENCENT_SECRET_ID ?? options.dotEnv?.TENCENT_SECRET_ID;
    for (const id of recorded.secretIds) if (id !== deployer) problems.push(`a request was signed with SecretId ${id}, not the deployer's`);
    if (recorded.uploads.length !== 1) problems.push(`the CLI uploaded ${recorded.uploads.length} code zips (expected 1)`);
    else {
      const files = readZip(recorded.uploads[0]!);
      for (const [name, bytes] of files) {
        const target = path.join(codeDir, name);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, bytes);
      }
      result.zipFiles = [...files.keys()];
    }

    const validation = validateInputs(run.instance.inputs);
    problems.push(...validation.errors.map((e) => `the platform's input validation (serverless.component.yml) refuses ${e}`));
    warnings.push(...validation.warnings);

    const formatted = formatInputs(run.instance);
    problems.push(...formatted.problems);
    for (const faas of formatted.faasInputsList) result.names.set(faas.key, faas.name);
    standIn.reset();
    const toolkit = await runToolkit(standIn.port, {
      region: formatted.region,
      namespace: run.instance.inputs.namespace as string | undefined,
      faasInputsList: formatted.faasInputsList,
      triggerInputsList: formatted.triggerInputsList,
      credentials: { SecretId: "AKIDplatformTemporary", SecretKey: "platformTemporaryKey", Token: "platformToken" },
    });
    if (!toolkit.ok) problems.push(`tencent-component-toolkit failed: ${toolkit.error}`);
    for (const refusal of standIn.recorded.refused) problems.push(`the SCF API would refuse ${refusal}`);
    for (const unknown of standIn.recorded.unknown) problems.push(`the toolkit made a call the check does not model: ${unknown}`);
    result.functions = new Map(standIn.functions);
    result.scfCalls = standIn.recorded.calls;
    return result;
  } finally {
    await standIn.stop();
  }
}

function lastWords(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^\d+s ›.*正在初始化/.test(l));
  return lines.slice(-4).join(" | ").slice(0, 500);
}

function runToolkit(port: number, input: unknown): Promise<{ ok: boolean; error?: string }> {
  const args = [
    "--require",
    require.resolve("tsx/cjs", { paths: [repoRoot] }),
    "--require",
    path.join(__dirname, "intercept.ts"),
    path.join(__dirname, "toolkit-deploy.ts"),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", DEPLOY_CHECK_TENCENT_PORT: String(port) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", () => {
      clearTimeout(timer);
      const last = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith('{"ok"'));
      resolve(last ? (JSON.parse(last) as { ok: boolean; error?: string }) : { ok: false, error: `no answer: ${err.slice(0, 500)}` });
    });
    // Structured clone, not JSON: the component hands the toolkit `undefined` values (an unset
    // variable) that JSON would drop and the toolkit would turn into the text "undefined".
    child.stdin.end(serialize(input));
  });
}
