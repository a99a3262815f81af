import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Local commands are local: `npm start`, `npm run demo` and `npm test` run on their own settings in
 * a shell where a deployer exported every deploy setting (README, "Deploy"), as real processes:
 * the local stack answers without API keys and says so truthfully, names the settings it did not
 * use, calls only the emulator and writes only to its folder.
 */
const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
const storeDir = mkdtempSync(path.join(tmpdir(), "local-commands-"));

/** What `export …` of README "Deploy" leaves in a deployer's shell (dummy values). */
const DEPLOY_SHELL: Record<string, string> = {
  TENCENT_SECRET_ID: "AKIDdeployerShell",
  TENCENT_SECRET_KEY: "deployerShellKey",
  API_KEY_HASHES: createHash("sha256").update("a production key").digest("hex"),
  ESS_OPERATOR_USER_ID: "yDwDeployerOperatorUserId000001",
  ESSBASIC_APP_ID: "yDwDeployerAppId0000000000000001",
  ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: "deployer-org",
  ESSBASIC_PROXY_OPERATOR_OPEN_ID: "deployer-operator",
  ESS_SECRET_ID: "AKIDdeployerEss",
  ESS_SECRET_KEY: "deployerEssKey",
  ESS_ENDPOINT: "https://ess.tencentcloudapi.com",
  ESS_CALLBACK_KEY: "ProductionCallbackKey01234567890",
  ESS_CALLBACK_TOKEN: "production-token",
  STORE: "cos",
  COS_BUCKET: "production-1250000000",
  COS_REGION: "ap-guangzhou",
  COS_SECRET_ID: "AKIDdeployerCos",
  COS_SECRET_KEY: "deployerCosKey",
  SCF_ROLE: "ess_flow_groups_role",
};
const shellEnv = { ...process.env, ...DEPLOY_SHELL, STORE_DIR: storeDir, STORE_FSYNC: "false", NO_COLOR: "1" };

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  rmSync(storeDir, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv, until?: RegExp): Promise<{ code: number | null; out: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (until?.test(out)) resolve({ code: null, out, child });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("close", (code) => resolve({ code, out, child }));
  });
}

describe("in a shell with every deploy setting exported", () => {
  it("npm start serves on its own settings, says auth is off, and names what it did not use", async () => {
    const { out, child } = await run([tsx, "local/start.ts"], { ...shellEnv, PORT: "0", EMULATOR_PORT: "0" }, /\nTry:/);
    try {
      expect(out).toMatch(/Auth +disabled for local use/);
      expect(out).toMatch(
        /Not used here +API_KEY_HASHES, COS_BUCKET, .*ESS_CALLBACK_KEY, .*ESS_ENDPOINT, .*ESS_OPERATOR_USER_ID, .*STORE\b/,
      );
      const oneDomain = /One domain +(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const callbackUrl = /callback +(http:\/\/127\.0\.0\.1:\d+) +POST \/ess\/callbacks/.exec(out)![1]!;
      const seed = readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8");
      const created = await fetch(`${oneDomain}/ess/flow-groups`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: seed,
      });
      const answer = (await created.json()) as { FlowGroupId?: string };
      expect(created.status).toBe(200);
      const status = await fetch(`${oneDomain}/flow-groups/${answer.FlowGroupId}`);
      expect(status.status).toBe(200);
      // As ESS posts it (the local gateway refuses other content types on JSON routes).
      const probe = { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" };
      expect((await fetch(`${callbackUrl}/ess/callbacks`, probe)).status).toBe(200);
      expect(readFileSync(path.join(storeDir, "groups", answer.FlowGroupId!, "record.json"), "utf8")).toContain(answer.FlowGroupId!);
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
  }, 30_000);

  it("npm run demo signs every group to ALL", async () => {
    const { code, out } = await run([tsx, "local/demo.ts"], shellEnv);
    expect(out).toContain("every group reached ALL");
    expect(out).toContain("the extra group was cancelled, every signed PDF archived");
    expect(out).toMatch(/not used here: API_KEY_HASHES, .*STORE/);
    expect(code).toBe(0);
  }, 60_000);

  it("npm test's files run on their own settings (create-group's gateway tests: 403/401 before the suite cleared the shell)", async () => {
    const { code, out } = await run([vitest, "run", "test/functions/create-group/create-group.gateway.test.ts"], shellEnv);
    expect(out.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests +\d+ passed/);
    expect(code).toBe(0);
  }, 60_000);
});
