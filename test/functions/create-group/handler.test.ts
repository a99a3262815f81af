import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { ownerIdOf } from "../../../shared/auth/ownership";
import { EssTimeout } from "../../../shared/errors/ess-errors";
import type { CreateFlowGroupCall, EssPort } from "../../../shared/ess/port";
import type { ApiGatewayEvent } from "../../../shared/http/scf-types";
import { createIdempotency } from "../../../shared/idempotency/idempotency";
import { silentLogger } from "../../../shared/log/logger";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { seed } from "../../shared/validation/fixtures";
import { unusedEss } from "../../support/unused-ess";

/**
 * The create-group handler with fakes behind its ports: what a caller observes (status, body) and
 * what reached ESS (calls counted), for the protections of issue 15.
 */
const KEY_A = "essk_handler_test_key_a_0123456789";
const KEY_B = "essk_handler_test_key_b_9876543210";
const NOW = new Date("2024-01-01T00:00:00Z");
let handlerModule: typeof import("../../../functions/create-group/handler");

beforeAll(async () => {
  vi.stubEnv("ESS_SECRET_ID", "AKIDhandlerTest");
  vi.stubEnv("ESS_SECRET_KEY", "handlerTestSecretKey");
  vi.stubEnv("API_KEY_HASHES", hashApiKey(KEY_A));
  vi.stubEnv("STORE", "file");
  vi.stubEnv("STORE_DIR", "/nonexistent-create-group-handler-test");
  vi.stubEnv("LOG_LEVEL", "error");
  handlerModule = await import("../../../functions/create-group/handler");
});

afterAll(() => {
  vi.unstubAllEnvs();
});

/** An ESS fake that counts calls and answers with `answer` (or throws it). */
function fakeEss(answer: (call: CreateFlowGroupCall, n: number) => unknown) {
  const calls: CreateFlowGroupCall[] = [];
  const port: EssPort = {
    ...unusedEss(),
    async createFlowGroup(call) {
      calls.push(call);
      const result = answer(call, calls.length);
      if (result instanceof Error) throw result;
      return result as never;
    },
    async describeGroup() {
      throw new Error("not used");
    },
  };
  return { calls, port };
}

const created = (flowGroupId = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo") => ({
  FlowGroupId: flowGroupId,
  FlowIds: ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP", "yDwJ7UUckpk84prkUyPWcjIufyhLeqj2"],
  RequestId: "ess-req-1",
});

function build(options: { ess?: EssPort; identity?: Record<string, string>; objects?: ReturnType<typeof memoryObjectStore> } = {}) {
  const objects = options.objects ?? memoryObjectStore();
  const ess = fakeEss(() => created());
  const clock = () => NOW;
  const handler = handlerModule.createHandler({
    auth: { mode: "api-keys", keyHashes: [KEY_A, KEY_B].map((k) => Buffer.from(hashApiKey(k), "hex")) },
    ess: options.ess ?? ess.port,
    store: createStatusStore(objects, { clock }),
    idempotency: createIdempotency(objects, { ttlMs: 86_400_000, staleAfterMs: 120_000, now: () => NOW.getTime() }),
    identity: options.identity ?? {},
    clock,
    log: silentLogger,
  });
  return { handler, objects, ess };
}

function post(edition: "ess" | "essbasic", body: string, headers: Record<string, string> = {}): ApiGatewayEvent {
  return {
    requestContext: {
      serviceId: "s",
      path: `/${edition}/flow-groups`,
      httpMethod: "POST",
      requestId: "r",
      sourceIp: "127.0.0.1",
      stage: "release",
    },
    httpMethod: "POST",
    path: `/${edition}/flow-groups`,
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY_A}`, ...headers },
    body,
  };
}

async function call(handler: ReturnType<typeof build>["handler"], event: ApiGatewayEvent) {
  const response = await handler(event, { request_id: "r1" });
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, any> };
}

describe("a body nested 10,000 deep (audit finding 4)", () => {
  it("with an Idempotency-Key answers 400, claims nothing and calls ESS never", async () => {
    const { handler, objects, ess } = build();
    const deep = `{"FlowGroupName":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const got = await call(handler, post("ess", deep, { "idempotency-key": "deep-1" }));
    expect(got.status).toBe(400);
    expect(got.body.Error.Code).toBe("InvalidParameter.Body");
    expect(ess.calls).toHaveLength(0);
    expect([...objects.data.keys()].filter((k) => k.startsWith("idempotency/"))).toEqual([]);
  });
});

describe("body limits per edition (audit finding 4)", () => {
  it("refuses an essbasic body over its limit with 413 before anything else", async () => {
    const { handler, ess } = build();
    const body = JSON.stringify({ ...seed("essbasic-example-1"), FlowGroupName: "x".repeat(3 * 1024 * 1024) });
    const got = await call(handler, post("essbasic", body));
    expect(got.status).toBe(413);
    expect(ess.calls).toHaveLength(0);
  });
});

describe("identity pinning through the handler (audit finding 5)", () => {
  it("with ESS_OPERATOR_USER_ID set, a body naming a sub-organization is refused 403 and ESS is never called", async () => {
    const { handler, ess } = build({ identity: { operatorUserId: "yDRCLUUgygq2xun5UuO4zjEwg0vjoimj" } });
    const body = seed("ess-example-2");
    expect(body.Agent.ProxyOrganizationId).toBeTruthy();
    const got = await call(handler, post("ess", JSON.stringify(body)));
    expect(got.status).toBe(403);
    expect(got.body.Error.Code).toBe("UnauthorizedOperation.CallerIdentity");
    expect(ess.calls).toHaveLength(0);
  });

  it("with the sub-organization pinned too, the same body is created as that sub-organization", async () => {
    const identity = { operatorUserId: "yDRCLUUgygq2xun5UuO4zjEwg0vjoimj", proxyOrganizationId: "yDRSRUUgygj6qnwfUuO4zjEwc193c2hH" };
    const { handler, ess } = build({ identity });
    const got = await call(handler, post("ess", JSON.stringify(seed("ess-example-2"))));
    expect(got.status).toBe(200);
    expect(ess.calls).toHaveLength(1);
    expect(ess.calls[0]!.request).toMatchObject({ Agent: { ProxyOrganizationId: identity.proxyOrganizationId } });
  });
});

describe("ESS calls after a 5xx (audit finding 9)", () => {
  const internal = () => new EssTimeout(1_000);

  it("a create that ESS answered with a 5xx is not sent again: one ESS call", async () => {
    const ess = fakeEss(() => internal());
    const { handler } = build({ ess: ess.port });
    const got = await call(handler, post("ess", JSON.stringify(seed("ess-example-1"))));
    expect(got.status).toBe(502);
    expect(ess.calls).toHaveLength(1);
  });

  it("with an Idempotency-Key, the retry after the 5xx gets 409 outcome-unknown, still one ESS call", async () => {
    const ess = fakeEss(() => internal());
    const { handler } = build({ ess: ess.port });
    const first = await call(handler, post("ess", JSON.stringify(seed("ess-example-1")), { "idempotency-key": "k-5xx" }));
    const retry = await call(handler, post("ess", JSON.stringify(seed("ess-example-1")), { "idempotency-key": "k-5xx" }));
    expect(first.status).toBe(502);
    expect(retry).toMatchObject({ status: 409, body: { Error: { Code: "FailedOperation.IdempotencyOutcomeUnknown" } } });
    expect(ess.calls).toHaveLength(1);
  });

  it("after a validation failure nothing reaches ESS, and the key is free again", async () => {
    const ess = fakeEss(() => created());
    const { handler } = build({ ess: ess.port });
    const bad = { ...seed("ess-example-1"), FlowGroupName: "" };
    expect((await call(handler, post("ess", JSON.stringify(bad), { "idempotency-key": "k-bad" }))).status).toBe(400);
    expect(ess.calls).toHaveLength(0);
    expect((await call(handler, post("ess", JSON.stringify(seed("ess-example-1")), { "idempotency-key": "k-bad" }))).status).toBe(200);
    expect(ess.calls).toHaveLength(1);
  });
});

describe("the group record names its creator's key (audit finding 7)", () => {
  it("records an owner id derived from the key's digest, not the key or the digest", async () => {
    const { handler, objects } = build();
    expect((await call(handler, post("ess", JSON.stringify(seed("ess-example-1"))))).status).toBe(200);
    const records = [...objects.data.entries()].filter(([k]) => /groups\/[^/]+\/record\.json$/.test(k)).map(([, v]) => v);
    expect(records).toHaveLength(1);
    const record = JSON.parse(records[0]!);
    expect(record.owner).toBe(ownerIdOf(hashApiKey(KEY_A)));
    expect(records[0]).not.toContain(KEY_A);
    expect(records[0]).not.toContain(hashApiKey(KEY_A));
  });
});

describe("a body that is not JSON by its Content-Type (issue 12)", () => {
  it.each([
    ["a PDF", "application/pdf", "%PDF-1.7 …"],
    ["a multipart upload", "multipart/form-data; boundary=x", "--x\r\n"],
    ["a form", "application/x-www-form-urlencoded", "a=b"],
    ["text", "text/plain", "{}"],
  ])("%s → 415 naming the upload route, nothing claimed, ESS never called", async (_what, contentType, body) => {
    const { handler, objects, ess } = build();
    const got = await call(handler, post("ess", body, { "content-type": contentType, "idempotency-key": "ct-1" }));
    expect(got.status).toBe(415);
    expect(got.body.Error.Code).toBe("InvalidParameter.ContentType");
    expect(got.body.Error.Message).toMatch(/POST \/ess\/files/);
    expect(ess.calls).toHaveLength(0);
    expect([...objects.data.keys()]).toEqual([]);
  });

  it.each([["application/json; charset=utf-8"], ["application/problem+json"], [""]])(
    "%s (or none) is read as JSON",
    async (contentType) => {
      const { handler, ess } = build();
      const got = await call(handler, post("ess", JSON.stringify(seed("ess-example-3")), { "content-type": contentType }));
      expect(got.status).toBe(200);
      expect(ess.calls).toHaveLength(1);
    },
  );
});
