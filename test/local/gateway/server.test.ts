import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpEvent, ScfContext } from "../../../shared/http/scf-types";
import { startFunctionUrl, startGateway, type LocalFunction, type RunningServer } from "../../../local/gateway/server";

/**
 * The local function URLs and the one-domain gateway: the event each function gets (the function
 * URL event, nothing more), the limits and failures answered before or instead of the function, and
 * routing by path across functions.
 */
let gateway: RunningServer;
let functionUrl: RunningServer;
const seen: Array<{ fn: string; event: HttpEvent; context: ScfContext }> = [];

const json = (statusCode: number, body: unknown) => ({
  isBase64Encoded: false,
  statusCode,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

function fn(name: string, routes: LocalFunction["routes"], invoke?: LocalFunction["invoke"], timeoutMs = 2_000): LocalFunction {
  return {
    name,
    routes,
    timeoutMs,
    memoryMb: 128,
    invoke:
      invoke ??
      (async (event, context) => {
        seen.push({ fn: name, event, context });
        return json(200, { fn: name });
      }),
  };
}

const creates = fn("create-group", [{ method: "POST", path: "/ess/flow-groups" }]);
const status = fn("group-status", [{ method: "GET", path: "/flow-groups/{FlowGroupId}" }]);
const cancels = fn("cancel", [{ method: "DELETE", path: "/flow-groups/{FlowGroupId}" }]);
const misc = fn(
  "misc",
  [
    { method: "GET", path: "/binary" },
    { method: "GET", path: "/throws" },
    { method: "GET", path: "/slow" },
    { method: "GET", path: "/invalid" },
  ],
  async (event) => {
    if (event.path === "/binary")
      return {
        isBase64Encoded: true,
        statusCode: 200,
        headers: { "Content-Type": "application/octet-stream" },
        body: Buffer.from([0, 1, 2, 255]).toString("base64"),
      };
    if (event.path === "/throws") throw new Error("boom with secret AKIDsecret");
    if (event.path === "/slow") return new Promise(() => undefined);
    return { statusCode: 200 } as never;
  },
  100,
);

beforeAll(async () => {
  gateway = await startGateway({ port: 0, functions: [creates, status, cancels, misc] });
  functionUrl = await startFunctionUrl(status, { port: 0 });
});

afterAll(async () => {
  await gateway.stop();
  await functionUrl.stop();
});

describe("a local function URL", () => {
  it("sends the function URL event: method, path, lower-cased headers, query, text body, client IP; nothing else", async () => {
    seen.length = 0;
    const res = await fetch(`${functionUrl.url}/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo?refresh=1&refresh=2`, {
      headers: { "X-Api-Key": "k" },
    });
    expect(res.status).toBe(200);
    const { event, context } = seen[0]!;
    expect(Object.keys(event).sort()).toEqual(["body", "headers", "httpMethod", "path", "queryString"]);
    expect(event).toMatchObject({
      httpMethod: "GET",
      path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo",
      queryString: { refresh: "1" },
      body: "",
    });
    expect(event.headers["x-api-key"]).toBe("k");
    expect(event.headers["x-scf-remote-addr"]).toBe("127.0.0.1");
    expect(Object.keys(event.headers).every((h) => h === h.toLowerCase())).toBe(true);
    expect(context).toMatchObject({ function_name: "group-status" });
    expect(context.getRemainingTimeInMillis!()).toBeGreaterThan(0);
  });

  it("sends every path and method to its one function, which answers for itself", async () => {
    seen.length = 0;
    const res = await fetch(`${functionUrl.url}/anything/else`, { method: "PUT", body: "{}" });
    expect(res.status).toBe(200);
    expect(seen.map((s) => [s.fn, s.event.httpMethod, s.event.path])).toEqual([["group-status", "PUT", "/anything/else"]]);
  });

  it("passes bodies as text: there is no isBase64Encoded in a function URL event", async () => {
    seen.length = 0;
    await fetch(`${functionUrl.url}/x`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"a":"组"}' });
    await fetch(`${functionUrl.url}/x`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: new Uint8Array([0x61, 0xff]),
    });
    expect(seen[0]!.event.body).toBe('{"a":"组"}');
    expect(seen[1]!.event.body).toBe("a\ufffd");
    expect(seen[1]!.event.isBase64Encoded).toBeUndefined();
  });
});

describe("the one-domain gateway", () => {
  it("routes each path to the function that declares it, as a function URL event", async () => {
    seen.length = 0;
    await fetch(`${gateway.url}/ess/flow-groups`, { method: "POST", body: "{}" });
    await fetch(`${gateway.url}/flow-groups/abc`);
    await fetch(`${gateway.url}/flow-groups/abc`, { method: "DELETE" });
    expect(seen.map((s) => [s.fn, s.event.httpMethod, s.event.path])).toEqual([
      ["create-group", "POST", "/ess/flow-groups"],
      ["group-status", "GET", "/flow-groups/abc"],
      ["cancel", "DELETE", "/flow-groups/abc"],
    ]);
    expect(seen[0]!.event.requestContext).toBeUndefined();
  });

  it("writes a base64 integrated response back as bytes", async () => {
    const res = await fetch(`${gateway.url}/binary`);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it("answers 404 in JSON for an unknown path", async () => {
    const res = await fetch(`${gateway.url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).Error.Code).toBe("ResourceNotFound");
  });

  it("answers 405 with Allow for a wrong method", async () => {
    const res = await fetch(`${gateway.url}/ess/flow-groups`, { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    const across = await fetch(`${gateway.url}/flow-groups/abc`, { method: "PATCH" });
    expect(across.headers.get("allow")).toBe("GET, DELETE");
    expect(((await res.json()) as any).Error.Code).toBe("UnsupportedOperation.Method");
  });

  it("answers 413 for a body over 6 MB without invoking the function", async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/ess/flow-groups`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "x".repeat(6 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).Error.Code).toBe("LimitExceeded.BodySize");
    expect(seen).toHaveLength(0);
  });

  it("refuses oversized headers (431) before any function runs", async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/ess/flow-groups`, { method: "POST", headers: { "x-big": "a".repeat(20_000) }, body: "{}" });
    expect(res.status).toBe(431);
    expect(seen).toHaveLength(0);
  });

  it("answers 502 without a stack trace or secret when the function throws", async () => {
    const res = await fetch(`${gateway.url}/throws`);
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text).Error.Code).toBe("InternalError.FunctionError");
    expect(text).not.toContain("AKIDsecret");
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers 502 when the function outlives its timeout", async () => {
    const res = await fetch(`${gateway.url}/slow`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).Error.Code).toBe("InternalError.FunctionTimeout");
  });

  it("answers 502 when the function returns an invalid integrated response", async () => {
    const res = await fetch(`${gateway.url}/invalid`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).Error.Code).toBe("InternalError.FunctionResponse");
  });
});
