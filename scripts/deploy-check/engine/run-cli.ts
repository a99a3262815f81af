import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Recorded, TencentStandIn } from "./tencent-stand-in";

/**
 * Runs the pinned Components CLI (`@serverless/components`, a devDependency) on a clean checkout,
 * as `npm run deploy` runs it, with its network calls redirected in-process to the stand-in
 * (`intercept.ts`, preloaded): no Tencent account, and nothing leaves the machine.
 */

const repoRoot = path.resolve(__dirname, "../../..");

export interface CheckoutOptions {
  /** Replace serverless.yml with this text. */
  serverlessYml?: string;
  /** Written as `.env` at the checkout's root (read by the CLI as a deployer's file would be). */
  dotEnv?: Record<string, string>;
  /** Copy this folder in as `dist/` (a checkout where someone ran `npm run build` before). */
  prebuiltDist?: string;
}

export interface Checkout {
  dir: string;
  remove(): void;
}

/**
 * A clean checkout: the files git tracks (and new ones it does not ignore), never `dist/` or
 * `.env`, with the repo's `node_modules` linked in as `npm ci` would have installed it. It sits two
 * folders below an empty temporary folder, so the `.env` files the CLI looks for in parent folders
 * are ours to write or none.
 */
export function prepareCheckout(options: CheckoutOptions = {}): Checkout {
  const base = mkdtempSync(path.join(tmpdir(), "deploy-check-"));
  const dir = path.join(base, "a", "b", "checkout");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  })
    .toString("utf8")
    .split("\0")
    .filter((f) => f !== "" && existsSync(path.join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(repoRoot, file), path.join(dir, file));
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  if (options.serverlessYml !== undefined) writeFileSync(path.join(dir, "serverless.yml"), options.serverlessYml);
  if (options.dotEnv)
    writeFileSync(
      path.join(dir, ".env"),
      Object.entries(options.dotEnv)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(""),
    );
  if (options.prebuiltDist) execFileSync("cp", ["-r", options.prebuiltDist, path.join(dir, "dist")]);
  return { dir, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface CliRun {
  exitCode: number | null;
  /** What the CLI printed (progress, outputs, errors). */
  output: string;
  recorded: Recorded;
}

/**
 * `components deploy [--stage <stage>]` in `checkout`, with exactly `env` (plus PATH and a private
 * HOME), as a deployer's shell would run it (`SERVERLESS_PLATFORM_VENDOR=tencent`).
 */
export function runComponentsCli(options: {
  checkout: string;
  env: Record<string, string>;
  stage?: string;
  standIn: TencentStandIn;
  timeoutMs?: number;
}): Promise<CliRun> {
  const home = path.join(options.checkout, "..", "home");
  mkdirSync(home, { recursive: true });
  const cli = require.resolve("@serverless/components/bin/bin", { paths: [repoRoot] });
  const args = [
    "--require",
    require.resolve("tsx/cjs", { paths: [repoRoot] }),
    "--require",
    path.join(__dirname, "intercept.ts"),
    cli,
    "deploy",
    ...(options.stage ? ["--stage", options.stage] : []),
  ];
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    SERVERLESS_PLATFORM_VENDOR: "tencent",
    DEPLOY_CHECK_TENCENT_PORT: String(options.standIn.port),
    ...options.env,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.checkout, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      // The CLI redraws a status line with terminal escapes; keep the words.
      resolve({ exitCode, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ""), recorded: options.standIn.recorded });
    });
  });
}
