import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RouteDeclaration } from "../../../shared/http/routes";
import { silentLogger } from "../../../shared/log/logger";
import { createStatusStore } from "../../../shared/status-store";
import { startFunctionUrl, type RunningServer } from "../../../local/gateway/server";
import { protectCallback, sampleEnvelope, sampleId } from "../../../local/webhooks/sample-callback";
import { sendCallback } from "../../../local/webhooks/send-callback";
import { memoryObjectStore } from "../../support/memory-object-store";

/**
 * `npm run callback:send` against the product's own callback function, served as its function URL
 * on loopback: what the tool sends (with the emulator's crypto) must be what the receiver accepts,
 * in both editions and both signature forms, and refused exactly when ESS's would be.
 */
const KEY = "SendCallbackTestKey0123456789abc";
const TOKEN = "send-callback-test-token-9f3a";
const objects = memoryObjectStore();
const store = createStatusStore(objects, { clock: () => new Date() });
let server: RunningServer;

beforeAll(async () => {
  vi.stubEnv("ESS_CALLBACK_KEY", KEY);
  vi.stubEnv("STORE", "file");
  vi.stubEnv("STORE_DIR", "/nonexistent-never-written");
  vi.stubEnv("LOG_LEVEL", "error");
  const { createHandler } = await import("../../../functions/callback/handler");
  const { routes } = await import("../../../functions/callback/routes");
  const invoke = createHandler({
    store,
    config: { key: KEY, token: TOKEN, strict: false, acceptLegacyV1: false, signatureMaxAgeSeconds: 300 },
    clock: () => new Date(),
    log: silentLogger,
  });
  server = await startFunctionUrl(
    { name: "callback", timeoutMs: 15_000, memoryMb: 128, routes: routes as readonly RouteDeclaration[], invoke },
    { port: 0 },
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server?.stop();
});

const url = () => `${server.url}/ess/callbacks`;

describe("callback:send", () => {
  it.each([
    ["ess", "FlowStatusChange", "ALL", "header"],
    ["essbasic", "FlowStatusChange", "PART", "header"],
    ["ess", "FlowGroupStatusChange", "ALL", "query"],
    ["essbasic", "FlowStatusChange", "CANCEL", "query"],
  ] as const)("%s %s %s (%s signature): the receiver stores it", async (edition, msgType, status, form) => {
    const flowGroupId = sampleId();
    const envelope = sampleEnvelope({ edition, msgType, status, flowGroupId, flowId: sampleId() });
    const answer = await sendCallback(url(), protectCallback(envelope, KEY, TOKEN, form));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Result: "stored" });
    const again = await sendCallback(url(), protectCallback(envelope, KEY, TOKEN, form));
    expect(JSON.parse(again.body)).toMatchObject({ Result: "duplicate" });
    if (edition === "ess") {
      const group = await store.getGroup(flowGroupId);
      if (msgType === "FlowGroupStatusChange") expect(group?.essGroupStatus).toBe(status);
      else expect(group?.flows[0]?.status).toBe(status);
    }
  });

  it("is refused as ESS's would be: wrong token 401, wrong key 500 (so ESS retries), no signature 401", async () => {
    const envelope = sampleEnvelope({
      edition: "ess",
      msgType: "FlowStatusChange",
      status: "ALL",
      flowGroupId: sampleId(),
      flowId: sampleId(),
    });
    expect((await sendCallback(url(), protectCallback(envelope, KEY, "another-token-entirely-0000"))).status).toBe(401);
    expect((await sendCallback(url(), protectCallback(envelope, "AnotherKeyOf32Bytes0123456789abc", TOKEN))).status).toBe(500);
    expect((await sendCallback(url(), protectCallback(envelope, KEY, undefined))).status).toBe(401);
  });

  it("the command prints the answer, exits 0 on a 2xx, and never prints the key or the token", async () => {
    const run = promisify(execFile);
    const args = [
      "tsx",
      "local/webhooks/send-callback.ts",
      "--url",
      url(),
      "--key",
      KEY,
      "--token",
      TOKEN,
      "--status",
      "PART",
      "--edition",
      "essbasic",
    ];
    const { stdout } = await run("npx", args, { timeout: 30_000 });
    expect(stdout).toMatch(/answer {3}HTTP 200/);
    expect(stdout).toContain('"Result":"stored"');
    expect(stdout).not.toContain(KEY);
    expect(stdout).not.toContain(TOKEN);
    const refused = await run("npx", [...args.slice(0, 6), "--token", "wrong-token-wrong-token-00"], { timeout: 30_000 }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stdout: string }).stdout).toMatch(/HTTP 401/);
  });
});
