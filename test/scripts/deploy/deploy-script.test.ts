import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCheckout, type Checkout } from "../../../scripts/deploy-check/engine/run-cli";

/**
 * `npm run deploy` in a clean checkout, in a shell missing settings: it builds, and its preflight
 * stops it, naming every problem at once, before the deploy CLI runs (nothing could reach Tencent
 * Cloud: no credentials, and the test would see the CLI's banner).
 */
let checkout: Checkout;

beforeAll(() => {
  checkout = prepareCheckout({ dotEnv: { COS_BUCKET: "examplebucket-1250000000", COS_PREFIX: "" } });
});
afterAll(() => checkout.remove());

describe("npm run deploy", () => {
  it("builds, then the preflight refuses and names every missing setting; the CLI never runs", async () => {
    const child = spawn("npm", ["run", "--silent", "deploy"], {
      cwd: checkout.dir,
      env: { PATH: process.env.PATH, HOME: path.join(checkout.dir, "..", "home"), COS_REGION: "ap-guangzhou", NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).not.toBe(0);
    expect(out).toMatch(/settings: your shell, then \.env/);
    for (const problem of [
      /✗ TENCENT_SECRET_ID is not set/,
      /✗ API_KEY_HASHES is required and not set/,
      /✗ ESS_CALLBACK_KEY is required and not set/,
      /✗ COS_PREFIX is set to an empty value, which the SCF API refuses/,
    ])
      expect(out).toMatch(problem);
    expect(out).not.toMatch(/COS_BUCKET is required/);
    expect(out).not.toMatch(/serverless ⚡components|正在初始化/);
  }, 120_000);
});
