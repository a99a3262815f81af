import { describe, expect, it } from "vitest";
import { GroupNotFound } from "../../../shared/errors/group-errors";
import { ApiKeyMissing } from "../../../shared/errors/access-errors";
import { EssRateLimited, EssTimeout } from "../../../shared/errors/ess-errors";
import { bindRoutes, createHttpHandler, type HttpRequest, type HttpResult } from "../../../shared/http/http-handler";
import { declareRoutes } from "../../../shared/http/routes";
import type { HttpEvent, ScfContext } from "../../../shared/http/scf-types";
import { createLogger } from "../../../shared/log/logger";

/**
 * The one error boundary: every function's requests pass through `createHttpHandler`, which resolves
 * the route, runs it, turns whatever it throws into the wire's error body and writes one access line.
 */
const routes = declareRoutes([
  { name: "things.get", method: "GET", path: "/things/{Id}" },
  { name: "things.create", method: "POST", path: "/things" },
]);

function setup(get: (request: HttpRequest) => Promise<HttpResult>, options: { authenticate?: (event: HttpEvent) => void } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const seen: HttpRequest[] = [];
  let clock = 1_000;
  const handler = createHttpHandler({
    log: createLogger({ sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    routes: bindRoutes(routes, {
      "things.get": (request) => {
        seen.push(request);
        clock += 25;
        return get(request);
      },
      "things.create": async () => ({ statusCode: 201, body: { ok: true } }),
    }),
    now: () => clock,
    ...options,
  });
  return { handler, lines, seen };
}

const event = (path: string, extra: Partial<HttpEvent> = {}): HttpEvent =>
  ({ httpMethod: "GET", path, headers: {}, queryString: {}, body: "", ...extra }) as HttpEvent;
const context = (extra: Partial<ScfContext> = {}): ScfContext => ({ request_id: "scf-req-1", ...extra });
const bodyOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, any>;

describe("createHttpHandler: the answer", () => {
  it("passes the route's result through as JSON, with this service's request id", async () => {
    const { handler, seen } = setup(async (request) => ({ statusCode: 200, body: { Id: request.params.Id }, headers: { "X-Extra": "1" } }));
    const res = await handler(event("/things/a%20b", { queryString: { x: "1" } }), context());
    expect(res).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(res.headers).toMatchObject({ "Content-Type": "application/json; charset=utf-8", "X-Request-Id": "scf-req-1", "X-Extra": "1" });
    expect(bodyOf(res)).toEqual({ Id: "a b" });
    expect(seen[0]).toMatchObject({
      method: "GET",
      path: "/things/a%20b",
      params: { Id: "a b" },
      query: { x: "1" },
      requestId: "scf-req-1",
    });
  });

  it("turns a named error into its status and the ESS-style body", async () => {
    const { handler } = setup(async () => {
      throw new GroupNotFound("yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO");
    });
    const res = await handler(event("/things/1"), context());
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res)).toEqual({
      Error: { Code: "ResourceNotFound.FlowGroup", Message: "No contract group yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO is known to this service" },
      RequestId: "scf-req-1",
    });
    expect(res.headers["X-Request-Id"]).toBe("scf-req-1");
  });

  it("answers anything else with a generic 500 that shows nothing of it", async () => {
    const { handler } = setup(async () => {
      throw new Error("connect ECONNREFUSED 10.1.2.3:443 SecretKey=abc");
    });
    const res = await handler(event("/things/1"), context());
    expect(res.statusCode).toBe(500);
    expect(bodyOf(res).Error.Code).toBe("InternalError");
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|SecretKey/);
  });

  it("keeps an error's headers and ESS's RequestId", async () => {
    const { handler } = setup(async () => {
      throw new EssRateLimited("RequestLimitExceeded", "slow down", { essRequestId: "ess-42" });
    });
    const res = await handler(event("/things/1"), context());
    expect(res.statusCode).toBe(429);
    expect(res.headers["Retry-After"]).toBe("1");
    expect(bodyOf(res).Error.EssRequestId).toBe("ess-42");
  });

  it.each([
    ["an unknown path", event("/nowhere"), 404, "ResourceNotFound", undefined],
    ["a known path with another method", event("/things", { httpMethod: "DELETE" }), 405, "UnsupportedOperation.Method", "POST"],
  ])("refuses %s before any route runs", async (_what, request, status, code, allow) => {
    const { handler, seen } = setup(async () => ({ statusCode: 200, body: {} }));
    const res = await handler(request, context());
    expect(res.statusCode).toBe(status);
    expect(bodyOf(res).Error.Code).toBe(code);
    expect(res.headers.Allow).toBe(allow);
    expect(seen).toHaveLength(0);
  });

  it("authenticates after routing and before the route: a refusal never reaches it", async () => {
    const { handler, seen } = setup(async () => ({ statusCode: 200, body: {} }), {
      authenticate: () => {
        throw new ApiKeyMissing();
      },
    });
    const res = await handler(event("/things/1"), context());
    expect(res.statusCode).toBe(401);
    expect(res.headers["WWW-Authenticate"]).toContain("Bearer");
    expect(seen).toHaveLength(0);
    // An unknown path is 404 whatever the key: routing comes first.
    expect((await handler(event("/nowhere"), context())).statusCode).toBe(404);
  });
});

describe("createHttpHandler: the request", () => {
  it("reads an API Gateway event: method and request id from its context, both query shapes merged", async () => {
    const { handler, seen } = setup(async () => ({ statusCode: 200, body: {} }));
    const apiGateway = {
      path: "/things/1",
      headers: {},
      queryString: { a: "1" },
      queryStringParameters: { b: "2" },
      requestContext: {
        requestId: "apigw-req",
        httpMethod: "GET",
        path: "/things/{Id}",
        serviceId: "s",
        sourceIp: "1.1.1.1",
        stage: "release",
      },
    } as unknown as HttpEvent;
    const res = await handler(apiGateway, {});
    expect(res.statusCode).toBe(200);
    expect(res.headers["X-Request-Id"]).toBe("apigw-req");
    expect(seen[0]).toMatchObject({ method: "GET", query: { a: "1", b: "2" }, requestId: "apigw-req" });
  });

  it("makes a request id when the runtime gives none", async () => {
    const { handler } = setup(async () => ({ statusCode: 200, body: {} }));
    const res = await handler(event("/things/1"), {});
    expect(res.headers["X-Request-Id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("tells a route the time left only when the runtime does", async () => {
    const { handler, seen } = setup(async () => ({ statusCode: 200, body: {} }));
    await handler(event("/things/1"), context());
    await handler(event("/things/1"), context({ getRemainingTimeInMillis: () => 4_321 }));
    expect(seen.map((request) => request.remainingTimeMs())).toEqual([undefined, 4_321]);
  });
});

describe("createHttpHandler: the access line", () => {
  it("one line per request: route, method, status, duration and the route's own fields", async () => {
    const { handler, lines } = setup(async () => ({ statusCode: 200, body: {}, logFields: { flowGroupId: "g1" } }));
    await handler(event("/things/1"), context());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request",
      scfRequestId: "scf-req-1",
      route: "things.get",
      method: "GET",
      status: 200,
      durationMs: 25,
      flowGroupId: "g1",
    });
  });

  it.each([
    ["a 4xx", () => new GroupNotFound("yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO"), "warn", "ResourceNotFound.FlowGroup", false],
    ["a 5xx", () => new EssTimeout(1_000, { essRequestId: "ess-7" }), "error", "InternalError.EssTimeout", true],
    ["an unexpected error", () => new Error("boom"), "error", "InternalError", true],
  ])("%s: its level and code, the error itself only for a 5xx", async (_what, make, level, code, carriesError) => {
    const { handler, lines } = setup(async () => {
      throw make();
    });
    await handler(event("/things/1"), context());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level, errorCode: code, route: "things.get" });
    expect("error" in lines[0]!).toBe(carriesError);
  });

  it("names ESS's RequestId of a failed call", async () => {
    const { handler, lines } = setup(async () => {
      throw new EssTimeout(1_000, { essRequestId: "ess-7" });
    });
    await handler(event("/things/1"), context());
    expect(lines[0]).toMatchObject({ essRequestId: "ess-7" });
  });

  it("an unmatched request is logged as such", async () => {
    const { handler, lines } = setup(async () => ({ statusCode: 200, body: {} }));
    await handler(event("/nowhere"), context());
    expect(lines[0]).toMatchObject({ level: "warn", route: "unmatched", status: 404 });
  });
});

describe("bindRoutes", () => {
  it("refuses a declared route without an implementation", () => {
    expect(() => bindRoutes(routes, { "things.get": async () => ({ statusCode: 200, body: {} }) } as never)).toThrow(/things.create/);
  });
});
