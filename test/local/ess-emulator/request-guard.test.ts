import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { essClient } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * The emulator refuses what a web page in the developer's browser could send it (audit finding 7:
 * DNS rebinding and cross-origin form posts could sign groups or create them), while the SDK, curl
 * and its own sign pages work as before.
 */
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

function send(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  const { port } = new URL(emulator.url);
  return new Promise<{ status: number; code?: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: Number(port), method: options.method ?? "POST", path: options.path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const form = "application/x-www-form-urlencoded";

describe("refused before the emulator acts", () => {
  it.each<[string, { method?: string; path: string; headers?: Record<string, string>; body?: string }, number, string]>([
    ["a sign form posted from another site", { path: "/_emulator/sign", headers: { "Content-Type": form, Origin: "http://attacker.example" }, body: "recipientId=x" }, 403, "OperationDenied.Origin"],
    ["a sign form posted with an Origin of null", { path: "/_emulator/sign", headers: { "Content-Type": form, Origin: "null" }, body: "recipientId=x" }, 403, "OperationDenied.Origin"],
    ["a sign request under another Host (DNS rebinding)", { path: "/_emulator/sign", headers: { "Content-Type": "application/json", Host: "attacker.example:9000" }, body: "{}" }, 403, "OperationDenied.Host"],
    ["an API call under another Host (DNS rebinding)", { path: "/", headers: { "Content-Type": "application/json", Host: "attacker.example:9000" }, body: "{}" }, 403, "OperationDenied.Host"],
    ["the sign page read under another Host", { method: "GET", path: "/_emulator/", headers: { Host: "attacker.example" } }, 403, "OperationDenied.Host"],
    ["an API call from another site's script", { path: "/", headers: { "Content-Type": "application/json", Origin: "http://attacker.example" }, body: "{}" }, 403, "OperationDenied.Origin"],
    ["a form without Origin (not from a browser page)", { path: "/_emulator/sign", headers: { "Content-Type": form }, body: "recipientId=x" }, 415, "InvalidParameter.ContentType"],
    ["text/plain to the admin API", { path: "/_emulator/sign", headers: { "Content-Type": "text/plain" }, body: "{}" }, 415, "InvalidParameter.ContentType"],
  ])("%s → %i %s", async (_case, options, status, code) => {
    expect(await send(options)).toEqual({ status, code });
  });

  it("a cross-site sign attempt changes nothing", async () => {
    const client = essClient(emulator);
    const created = await client.CreateFlowGroupByFiles(seed("ess-example-3") as never);
    const recipientId = created.Approvers![0]!.Approvers![0]!.RecipientId!;
    const before = JSON.stringify(emulator.state(created.FlowGroupId!));
    expect((await send({ path: "/_emulator/sign", headers: { "Content-Type": form, Origin: "http://attacker.example" }, body: `recipientId=${recipientId}` })).status).toBe(403);
    expect(JSON.stringify(emulator.state(created.FlowGroupId!))).toBe(before);
  });
});

describe("still served", () => {
  it.each<[string, { method?: string; path: string; headers?: Record<string, string>; body?: string }]>([
    ["the admin JSON API from curl (no Origin)", { path: "/_emulator/reset", headers: { "Content-Type": "application/json" }, body: "{}" }],
    ["an empty POST from curl", { path: "/_emulator/reset" }],
    ["the index page by localhost", { method: "GET", path: "/_emulator/", headers: { Host: "localhost" } }],
  ])("%s", async (_case, options) => {
    expect((await send(options)).status).toBeLessThan(400);
  });
});
