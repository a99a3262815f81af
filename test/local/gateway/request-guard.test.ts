import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startFunctionUrl, type LocalFunction, type RunningServer } from "../../../local/gateway/server";
import type { IntegratedResponse } from "../../../shared/http/scf-types";

/**
 * The local gateway refuses what a web page in the developer's browser could send it (audit finding
 * 7): another Host (DNS rebinding), another Origin (a cross-site form or fetch), and a JSON route's
 * body sent as a form or text. Each refusal is counted at the function: it never ran.
 */
let invoked = 0;
const fn: LocalFunction = {
  name: "create-group",
  timeoutMs: 2_000,
  memoryMb: 128,
  routes: [
    { method: "POST", path: "/ess/flow-groups", body: "json" },
    { method: "GET", path: "/flow-groups/{FlowGroupId}" },
  ],
  invoke: async (): Promise<IntegratedResponse> => {
    invoked++;
    return { isBase64Encoded: false, statusCode: 200, headers: { "Content-Type": "application/json" }, body: "{}" };
  },
};
let gateway: RunningServer;
let functionUrl: RunningServer;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, functions: [fn] });
  functionUrl = await startFunctionUrl(fn, { port: 0 });
});

afterAll(async () => {
  await gateway.stop();
  await functionUrl.stop();
});

/** A raw request (fetch does not let a test set Host). */
function send(server: RunningServer, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; code?: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: options.method ?? "POST",
        path: options.path ?? "/ess/flow-groups",
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { Error?: { Code?: string } }).Error?.Code;
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

const json = { "Content-Type": "application/json" };

/**
 * Host names that only look like loopback (review F3): a DNS name that starts with `127.` or `localhost.` can be
 * rebound to 127.0.0.1 by its owner, and `127.0.0.256` is no address at all. A rebinding page sends its own name as
 * both Host and Origin, so the Origin check alone (same as Host) would let it through.
 */
const lookalikes = ["127.0.0.1.attacker.example", "127.attacker.example", "127.0.0.256", "localhost.attacker.example"];
type Case = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
const lookalikeRows = lookalikes.flatMap((name): [string, Case, number, string][] => [
  [`Host ${name}`, { headers: { ...json, Host: `${name}:8080` }, body: "{}" }, 403, "OperationDenied.Host"],
  [
    `Host and Origin ${name} (a rebinding page)`,
    { headers: { ...json, Host: `${name}:8080`, Origin: `http://${name}:8080` }, body: "{}" },
    403,
    "OperationDenied.Host",
  ],
  [
    `Origin ${name} under a loopback Host`,
    { headers: { ...json, Origin: `http://${name}:8080` }, body: "{}" },
    403,
    "OperationDenied.Origin",
  ],
]);
lookalikeRows.push([
  "Host 192.168.1.10 (an address, but not loopback)",
  { headers: { ...json, Host: "192.168.1.10" }, body: "{}" },
  403,
  "OperationDenied.Host",
]);

describe.each([
  ["the one-domain gateway", () => gateway],
  ["a function URL", () => functionUrl],
])("%s", (_name, server) => {
  it.each<[string, { method?: string; path?: string; headers?: Record<string, string>; body?: string }, number, string]>([
    ["another Host (DNS rebinding)", { headers: { ...json, Host: "attacker.example:8080" }, body: "{}" }, 403, "OperationDenied.Host"],
    [
      "another Host on a GET",
      { method: "GET", path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo", headers: { Host: "attacker.example" } },
      403,
      "OperationDenied.Host",
    ],
    [
      "a cross-site form post",
      { headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://attacker.example" }, body: "a=1" },
      403,
      "OperationDenied.Origin",
    ],
    [
      "a cross-site fetch with JSON",
      { headers: { ...json, Origin: "https://attacker.example" }, body: "{}" },
      403,
      "OperationDenied.Origin",
    ],
    ["an Origin of null (sandboxed page, file://)", { headers: { ...json, Origin: "null" }, body: "{}" }, 403, "OperationDenied.Origin"],
    [
      "a form body on a JSON route",
      { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" },
      415,
      "InvalidParameter.ContentType",
    ],
    ["a text/plain body on a JSON route", { headers: { "Content-Type": "text/plain" }, body: "{}" }, 415, "InvalidParameter.ContentType"],
    ["a body without Content-Type on a JSON route", { body: "{}" }, 415, "InvalidParameter.ContentType"],
    ...lookalikeRows,
  ])("refuses %s before the function runs", async (_case, options, status, code) => {
    const before = invoked;
    expect(await send(server(), options)).toEqual({ status, code });
    expect(invoked).toBe(before);
  });

  it.each<[string, { method?: string; path?: string; headers?: Record<string, string>; body?: string }]>([
    ["JSON from curl or the SDK (no Origin)", { headers: json, body: "{}" }],
    ["JSON with a charset", { headers: { "Content-Type": "application/json; charset=utf-8" }, body: "{}" }],
    ["localhost by name", { headers: { ...json, Host: "localhost:1" }, body: "{}" }],
    ["another address of 127.0.0.0/8", { headers: { ...json, Host: "127.1.2.3:8080", Origin: "http://127.1.2.3:8080" }, body: "{}" }],
    ["[::1] with a port, from its own page", { headers: { ...json, Host: "[::1]:8080", Origin: "http://[::1]:8080" }, body: "{}" }],
    ["[::1] without a port", { headers: { ...json, Host: "[::1]" }, body: "{}" }],
    ["its own origin", { headers: { ...json, Origin: "SELF" }, body: "{}" }],
    ["a GET", { method: "GET", path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo" }],
  ])("lets %s through", async (_case, options) => {
    const before = invoked;
    const headers = { ...options.headers };
    if (headers.Origin === "SELF") headers.Origin = `http://127.0.0.1:${server().port}`;
    expect((await send(server(), { ...options, headers })).status).toBe(200);
    expect(invoked).toBe(before + 1);
  });
});
