import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTencentStandIn, type TencentStandIn } from "../../../../scripts/deploy-check/engine/tencent-stand-in";

/**
 * The engine's processes cannot reach the network: HTTP(S) to anywhere but loopback lands at the
 * stand-in with the URL it was meant for, and DNS, sockets and TLS to other hosts throw.
 */
const root = path.resolve(__dirname, "../../../..");
let standIn: TencentStandIn;

beforeAll(async () => {
  standIn = await startTencentStandIn();
});
afterAll(() => standIn.stop());

/** Runs `program` in a process preloaded like the engine's (asynchronously: the stand-in answers from this one). */
function run(program: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const args = [
    "--require",
    require.resolve("tsx/cjs", { paths: [root] }),
    "--require",
    path.join(root, "scripts/deploy-check/engine/intercept.ts"),
    "-e",
    program,
  ];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, DEPLOY_CHECK_TENCENT_PORT: String(standIn.port) } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("intercept.ts", () => {
  it("sends HTTPS to a Tencent host to the stand-in, with its URL and body", async () => {
    standIn.reset();
    const result = await run(`
      const req = require("https").request("https://cam.tencentcloudapi.com/?x=1", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
        let body = ""; res.on("data", (c) => (body += c)); res.on("end", () => console.log(res.statusCode, body));
      });
      req.end("Action=GetUserAppId&SecretId=AKIDintercept");`);
    expect(result.stdout).toContain('"AppId":1250000000');
    expect(standIn.recorded.calls).toEqual([
      expect.objectContaining({ url: "https://cam.tencentcloudapi.com/?x=1", action: "GetUserAppId" }),
    ]);
    expect([...standIn.recorded.secretIds]).toEqual(["AKIDintercept"]);
  });

  it.each([
    ["DNS", `require("dns").lookup("example.com", () => {})`],
    ["a raw socket", `require("net").connect(443, "203.0.113.1")`],
    ["TLS", `require("tls").connect({ host: "example.com", port: 443 })`],
  ])("refuses %s to a non-loopback host", async (_what, program) => {
    const result = await run(program);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/deploy check: the engine tried to reach/);
  });
});
