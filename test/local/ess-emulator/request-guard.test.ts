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
    const req = request(
      { host: "127.0.0.1", port: Number(port), method: options.method ?? "POST", path: options.path, headers: options.headers ?? {} },
      (res) => {
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
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const form = "application/x-www-form-urlencoded";

/**
 * Host names that only look like loopback (review F3): a DNS name starting with `127.` or `localhost.` can be rebound
 * to 127.0.0.1 by its owner, and `127.0.0.256` is no address. A rebinding page sends its own name as Host and Origin.
 */
const lookalikes = ["127.0.0.1.attacker.example", "127.attacker.example", "127.0.0.256", "localhost.attacker.example"];
type Case = { method?: string; path: string; headers?: Record<string, string>; body?: string };
const lookalikeRows = lookalikes.flatMap((name): [string, Case, number, string][] => [
  [
    `the state read under Host ${name}`,
    { method: "GET", path: "/_emulator/state", headers: { Host: `${name}:9000` } },
    403,
    "OperationDenied.Host",
  ],
  [
    `the state read by a rebinding page on ${name} (Host and Origin)`,
    { method: "GET", path: "/_emulator/state", headers: { Host: `${name}:9000`, Origin: `http://${name}:9000` } },
    403,
    "OperationDenied.Host",
  ],
  [
    `an API call by a rebinding page on ${name}`,
    { path: "/", headers: { "Content-Type": "application/json", Host: `${name}:9000`, Origin: `http://${name}:9000` }, body: "{}" },
    403,
    "OperationDenied.Host",
  ],
  [
    `an API call with Origin ${name} under a loopback Host`,
    { path: "/", headers: { "Content-Type": "application/json", Origin: `http://${name}:9000` }, body: "{}" },
    403,
    "OperationDenied.Origin",
  ],
]);
lookalikeRows.push([
  "the state read under Host 192.168.1.10 (an address, not loopback)",
  { method: "GET", path: "/_emulator/state", headers: { Host: "192.168.1.10" } },
  403,
  "OperationDenied.Host",
]);

describe("refused before the emulator acts", () => {
  it.each<[string, { method?: string; path: string; headers?: Record<string, string>; body?: string }, number, string]>([
    [
      "a sign form posted from another site",
      { path: "/_emulator/sign", headers: { "Content-Type": form, Origin: "http://attacker.example" }, body: "recipientId=x" },
      403,
      "OperationDenied.Origin",
    ],
    [
      "a sign form posted with an Origin of null",
      { path: "/_emulator/sign", headers: { "Content-Type": form, Origin: "null" }, body: "recipientId=x" },
      403,
      "OperationDenied.Origin",
    ],
    [
      "a sign request under another Host (DNS rebinding)",
      { path: "/_emulator/sign", headers: { "Content-Type": "application/json", Host: "attacker.example:9000" }, body: "{}" },
      403,
      "OperationDenied.Host",
    ],
    [
      "an API call under another Host (DNS rebinding)",
      { path: "/", headers: { "Content-Type": "application/json", Host: "attacker.example:9000" }, body: "{}" },
      403,
      "OperationDenied.Host",
    ],
    [
      "the sign page read under another Host",
      { method: "GET", path: "/_emulator/", headers: { Host: "attacker.example" } },
      403,
      "OperationDenied.Host",
    ],
    [
      "an API call from another site's script",
      { path: "/", headers: { "Content-Type": "application/json", Origin: "http://attacker.example" }, body: "{}" },
      403,
      "OperationDenied.Origin",
    ],
    [
      "a form without Origin (not from a browser page)",
      { path: "/_emulator/sign", headers: { "Content-Type": form }, body: "recipientId=x" },
      415,
      "InvalidParameter.ContentType",
    ],
    [
      "text/plain to the admin API",
      { path: "/_emulator/sign", headers: { "Content-Type": "text/plain" }, body: "{}" },
      415,
      "InvalidParameter.ContentType",
    ],
    ...lookalikeRows,
  ])("%s → %i %s", async (_case, options, status, code) => {
    expect(await send(options)).toEqual({ status, code });
  });

  it("a cross-site sign attempt changes nothing", async () => {
    const client = essClient(emulator);
    const created = await client.CreateFlowGroupByFiles(seed("ess-example-3") as never);
    const recipientId = created.Approvers![0]!.Approvers![0]!.RecipientId!;
    const before = JSON.stringify(emulator.state(created.FlowGroupId!));
    expect(
      (
        await send({
          path: "/_emulator/sign",
          headers: { "Content-Type": form, Origin: "http://attacker.example" },
          body: `recipientId=${recipientId}`,
        })
      ).status,
    ).toBe(403);
    expect(JSON.stringify(emulator.state(created.FlowGroupId!))).toBe(before);
  });
});

describe("still served", () => {
  it.each<[string, { method?: string; path: string; headers?: Record<string, string>; body?: string }]>([
    ["the admin JSON API from curl (no Origin)", { path: "/_emulator/reset", headers: { "Content-Type": "application/json" }, body: "{}" }],
    ["an empty POST from curl", { path: "/_emulator/reset" }],
    ["the index page by localhost", { method: "GET", path: "/_emulator/", headers: { Host: "localhost" } }],
    [
      "the state by another address of 127.0.0.0/8, from its own page",
      { method: "GET", path: "/_emulator/state", headers: { Host: "127.1.2.3:9000", Origin: "http://127.1.2.3:9000" } },
    ],
    ["the state by [::1] with a port", { method: "GET", path: "/_emulator/state", headers: { Host: "[::1]:9000" } }],
  ])("%s", async (_case, options) => {
    expect((await send(options)).status).toBeLessThan(400);
  });
});
