import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiGatewayEvent, ScfContext } from "../../../shared/http/scf-types";
import { startGateway, type GatewayRoute, type RunningGateway } from "../../../local/gateway/server";

let gateway: RunningGateway;
const seen: Array<{ event: ApiGatewayEvent; context: ScfContext }> = [];

function route(method: string, path: string, invoke: GatewayRoute["invoke"], timeoutMs = 2_000): GatewayRoute {
  return { method, path, functionName: "test-fn", timeoutMs, memoryMb: 128, invoke };
}

const echo: GatewayRoute["invoke"] = async (event, context) => {
  seen.push({ event, context });
  return { isBase64Encoded: false, statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ok: true }) };
};

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    routes: [
      route("POST", "/ess/flow-groups", echo),
      route("GET", "/flow-groups/{FlowGroupId}", echo),
      route("GET", "/binary", async () => ({
        isBase64Encoded: true,
        statusCode: 200,
        headers: { "Content-Type": "application/octet-stream" },
        body: Buffer.from([0, 1, 2, 255]).toString("base64"),
      })),
      route("GET", "/throws", async () => {
        throw new Error("boom with secret AKIDsecret");
      }),
      route("GET", "/slow", () => new Promise(() => undefined), 100),
      route("GET", "/invalid", async () => ({ statusCode: 200 }) as never),
    ],
  });
});

afterAll(async () => {
  await gateway.stop();
});

describe("local API Gateway", () => {
  it("builds the SCF event: lower-cased headers, text body, path and query parameters, context", async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo?refresh=1`, {
      headers: { "X-Api-Key": "k" },
    });
    expect(res.status).toBe(200);
    const { event, context } = seen[0]!;
    expect(event.httpMethod).toBe("GET");
    expect(event.path).toBe("/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo");
    expect(event.requestContext.path).toBe("/flow-groups/{FlowGroupId}");
    expect(event.pathParameters).toEqual({ FlowGroupId: "yDwJ7UUckpk84praUyPWcjISDLsIVxyo" });
    expect(event.queryStringParameters).toEqual({ refresh: "1" });
    expect(event.queryString).toEqual({ refresh: "1" });
    expect(event.headers["x-api-key"]).toBe("k");
    expect(Object.keys(event.headers).every((h) => h === h.toLowerCase())).toBe(true);
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toBe(context.request_id);
    expect(context.getRemainingTimeInMillis!()).toBeGreaterThan(0);
  });

  it("passes JSON as text and other content as base64", async () => {
    seen.length = 0;
    await fetch(`${gateway.url}/ess/flow-groups`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{\"a\":\"组\"}" });
    await fetch(`${gateway.url}/ess/flow-groups`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: new Uint8Array([1, 2, 3, 250]),
    });
    expect(seen[0]!.event).toMatchObject({ body: "{\"a\":\"组\"}", isBase64Encoded: false });
    expect(seen[1]!.event).toMatchObject({ body: Buffer.from([1, 2, 3, 250]).toString("base64"), isBase64Encoded: true });
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
