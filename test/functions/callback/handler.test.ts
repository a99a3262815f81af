import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decryptCallback } from "../../../shared/callback/decrypt";
import type { ReceiveCallbackDeps } from "../../../shared/callback/receive-callback";
import { ConfigError } from "../../../shared/errors/config-error";
import type { ApiGatewayEvent, ScfContext } from "../../../shared/http/scf-types";
import { createLogger } from "../../../shared/log/logger";
import { StoreUnavailableError } from "../../../shared/status-store/port";
import { fixtureConfig, loadFixture, personalValues, type CallbackFixture } from "../../shared/callback/callback-fixtures";
import { FakeStatusStore } from "../../shared/callback/fake-status-store";

/**
 * The callback SCF handler, called with the integrated-request event API Gateway builds, wired with
 * a fake store: routing, body decoding (base64 too), the size limit and the answers' JSON bodies.
 */
const { key, token } = fixtureConfig;
const NOW = new Date(Number(fixtureConfig.timestamp) * 1000 + 5_000);
let handlerModule: typeof import("../../../functions/callback/handler");
let storeDir: string;

beforeAll(async () => {
  // Importing the module runs its composition from the environment, as an SCF cold start does.
  storeDir = await mkdtemp(path.join(tmpdir(), "callback-handler-"));
  vi.stubEnv("ESS_CALLBACK_KEY", key);
  vi.stubEnv("STORE", "file");
  vi.stubEnv("STORE_DIR", storeDir);
  vi.stubEnv("LOG_LEVEL", "error");
  handlerModule = await import("../../../functions/callback/handler");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(storeDir, { recursive: true, force: true });
});

function build(options: { token?: string; strict?: boolean } = {}) {
  const store = new FakeStatusStore();
  const lines: string[] = [];
  const decrypt = vi.fn(decryptCallback);
  const deps: ReceiveCallbackDeps = {
    store,
    config: {
      key,
      ...(options.token ? { token: options.token } : {}),
      strict: options.strict ?? false,
      acceptLegacyV1: false,
      signatureMaxAgeSeconds: 300,
    },
    clock: () => NOW,
    log: createLogger({ level: "debug", sink: (line) => lines.push(line) }),
    decrypt,
  };
  return { store, lines, decrypt, handler: handlerModule.createHandler(deps) };
}

function scfEvent(options: {
  body?: Buffer;
  base64?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  method?: string;
  path?: string;
}): ApiGatewayEvent {
  const query = options.query ?? {};
  const body = options.body;
  return {
    requestContext: {
      serviceId: "service-test",
      path: "/ess/callbacks",
      httpMethod: options.method ?? "POST",
      requestId: "apigw-request-1",
      identity: {},
      sourceIp: "203.0.113.7",
      stage: "release",
    },
    headers: options.headers ?? { "content-type": "application/json" },
    ...(body !== undefined
      ? { body: options.base64 ? body.toString("base64") : body.toString("utf8"), isBase64Encoded: options.base64 ?? false }
      : {}),
    pathParameters: {},
    queryStringParameters: query,
    headerParameters: {},
    stageVariables: { stage: "release" },
    path: options.path ?? "/ess/callbacks",
    queryString: query,
    httpMethod: options.method ?? "POST",
  };
}

const context: ScfContext = { request_id: "scf-request-1", function_name: "callback", getRemainingTimeInMillis: () => 10_000 };

function signedEvent(fixture: CallbackFixture, extra: Partial<Parameters<typeof scfEvent>[0]> = {}): ApiGatewayEvent {
  return scfEvent({ body: fixture.body, headers: fixture.headers, ...extra });
}

describe("callback handler", () => {
  const fixture = loadFixture("ess-flow-status-change");

  it.each([
    ["a text body, header signature", signedEvent(fixture)],
    ["a base64-encoded body (isBase64Encoded), header signature", signedEvent(fixture, { base64: true })],
    ["a text body, query signature", scfEvent({ body: fixture.body, query: fixture.query })],
    [
      "header names in mixed case",
      scfEvent({ body: fixture.body, headers: { "Content-Signature": fixture.headers["content-signature"]! } }),
    ],
  ])("stores %s and answers 200 with a small JSON body", async (_case, event) => {
    const { store, handler } = build({ token });
    const response = await handler(event, context);
    expect(response.statusCode).toBe(200);
    expect(response.headers["Content-Type"]).toMatch(/^application\/json/);
    expect(response.headers["X-Request-Id"]).toBe("scf-request-1");
    expect(JSON.parse(response.body)).toEqual({ Result: "stored", RequestId: "scf-request-1" });
    expect([...store.events.keys()]).toEqual(["yDSLfixtureEssFlow0001"]);
  });

  it("answers a redelivery 200 with Result duplicate, stored once", async () => {
    const { store, handler } = build({ token });
    await handler(signedEvent(fixture), context);
    const again = await handler(signedEvent(fixture, { base64: true }), context);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).Result).toBe("duplicate");
    expect(store.events.size).toBe(1);
  });

  it.each([
    ["the console probe {}", scfEvent({ body: Buffer.from("{}") }), {}],
    ["a probe without any body", scfEvent({}), {}],
    ["a bad encrypt, no token", scfEvent({ body: loadFixture("probe-bad-encrypt").body }), {}],
    ["an unsigned {} with a token", scfEvent({ body: Buffer.from("{}") }), { token }],
  ])("answers %s 200 Result probe, nothing stored", async (_case, event, options) => {
    const { store, handler } = build(options);
    const response = await handler(event, context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).Result).toBe("probe");
    expect(store.recordEventCalls).toBe(0);
  });

  it.each([
    [
      "a tampered base64 body",
      { token },
      signedEvent(fixture, { body: Buffer.from(fixture.body.toString().replace("encrypt", "encrypT")), base64: true }),
      401,
      "AuthFailure.SignatureFailure",
    ],
    ["an unsigned message", { token }, scfEvent({ body: fixture.body }), 401, "AuthFailure.SignatureFailure"],
    [
      "a bad encrypt in strict mode",
      { strict: true },
      scfEvent({ body: loadFixture("probe-bad-encrypt").body }),
      400,
      "InvalidParameter.Encrypt",
    ],
    ["a body over 6 MB", { token }, scfEvent({ body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) }), 413, "LimitExceeded.BodySize"],
    ["another path", {}, scfEvent({ body: fixture.body, path: "/essbasic/callbacks" }), 404, "ResourceNotFound"],
    ["GET", {}, scfEvent({ method: "GET" }), 405, "UnsupportedOperation.Method"],
  ])("answers %s with the error body", async (_case, options, event, status, code) => {
    const { store, decrypt, handler } = build(options);
    const response = await handler(event, context);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body)).toEqual({ Error: { Code: code, Message: expect.any(String) }, RequestId: "scf-request-1" });
    expect(store.recordEventCalls).toBe(0);
    if (status === 401 || status === 413) expect(decrypt).not.toHaveBeenCalled();
  });

  it("answers 503 (never 200) when the store is down, with a generic message", async () => {
    const { store, handler, lines } = build({ token });
    store.failures.push(new StoreUnavailableError("cos://bucket/events/yDSLfixtureEssFlow0001.json: 500 InternalError"));
    const response = await handler(signedEvent(fixture), context);
    expect(response.statusCode).toBe(503);
    const body = JSON.parse(response.body);
    expect(body.Error.Code).toBe("ResourceUnavailable.Store");
    expect(body.Error.Message).not.toContain("cos://");
    expect(lines.some((line) => line.includes('"status":503'))).toBe(true);
  });

  it("puts no personal data, key or token in any answer or log line", async () => {
    const { handler, lines, store } = build({ token });
    const answers: string[] = [];
    for (const name of ["ess-flow-status-change", "essbasic-flow-status-change", "ess-unknown-msg-type", "ess-legacy-v1"] as const) {
      const f = loadFixture(name);
      answers.push((await handler(signedEvent(f), context)).body);
      answers.push((await handler(scfEvent({ body: f.body }), context)).body);
      store.failures.push(new Error(`write failed for ${name}`));
      answers.push((await handler(signedEvent(loadFixture("essbasic-flow-status-change")), context)).body);
    }
    const secrets = [...personalValues(), key, token];
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...answers, ...lines]) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe("callback composition", () => {
  it("exports main_handler built from the environment", () => {
    expect(typeof handlerModule.main_handler).toBe("function");
  });

  it.each([
    ["no callback key", { STORE: "file" }, "ESS_CALLBACK_KEY"],
    ["a callback key of the wrong length", { ESS_CALLBACK_KEY: "short", STORE: "file" }, "ESS_CALLBACK_KEY"],
  ])("refuses to start with %s, naming the variable", (_case, env, variable) => {
    let error: unknown;
    try {
      handlerModule.compose(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
  });

  it("reads the token and flags from the environment", () => {
    const deps = handlerModule.compose({
      ESS_CALLBACK_KEY: key,
      ESS_CALLBACK_TOKEN: token,
      CALLBACK_STRICT: "true",
      STORE: "file",
      STORE_DIR: storeDir,
    });
    expect(deps.config).toEqual({ key, token, strict: true, acceptLegacyV1: false, signatureMaxAgeSeconds: 300 });
  });
});

describe("weak or unsafe callback settings (audit findings 1, 6)", () => {
  const base = { ESS_CALLBACK_KEY: key, STORE: "file", STORE_DIR: "/nonexistent-never-written", LOG_LEVEL: "error" };
  const refusal = (env: Record<string, string>): string => {
    try {
      handlerModule.compose(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    return "(started)";
  };

  it.each<[string, Record<string, string>, string]>([
    ["on SCF without a callback token", { ...base, TENCENTCLOUD_RUNENV: "SCF" }, "ESS_CALLBACK_TOKEN"],
    ["legacy v1 without a callback token", { ...base, CALLBACK_ACCEPT_LEGACY_V1: "true" }, "CALLBACK_ACCEPT_LEGACY_V1"],
    ["a 1-character token", { ...base, ESS_CALLBACK_TOKEN: "x" }, "ESS_CALLBACK_TOKEN"],
    ["a token of one repeated block", { ...base, ESS_CALLBACK_TOKEN: "abcabcabcabcabcabc" }, "ESS_CALLBACK_TOKEN"],
    ["a callback key of 32 × a", { ...base, ESS_CALLBACK_KEY: "a".repeat(32), ESS_CALLBACK_TOKEN: token }, "ESS_CALLBACK_KEY"],
    ["a callback key of two letters", { ...base, ESS_CALLBACK_KEY: "ab".repeat(16), ESS_CALLBACK_TOKEN: token }, "ESS_CALLBACK_KEY"],
    [
      "a window that is not a number",
      { ...base, ESS_CALLBACK_TOKEN: token, CALLBACK_SIGNATURE_MAX_AGE_SECONDS: "long" },
      "CALLBACK_SIGNATURE_MAX_AGE_SECONDS",
    ],
  ])("refuses to start %s, naming the variable and not the value", (_case, env, variable) => {
    const message = refusal(env);
    expect(message).toContain(variable);
    for (const secret of [env.ESS_CALLBACK_KEY, env.ESS_CALLBACK_TOKEN].filter((v) => v !== undefined && v.length > 1)) {
      expect(message).not.toContain(secret);
    }
  });

  it("starts on SCF with a token, and with a configured window", () => {
    const deps = handlerModule.compose({
      ...base,
      TENCENTCLOUD_RUNENV: "SCF",
      ESS_CALLBACK_TOKEN: token,
      CALLBACK_SIGNATURE_MAX_AGE_SECONDS: "600",
    });
    expect(deps.config.signatureMaxAgeSeconds).toBe(600);
  });

  it("outside SCF without a token: starts, and says why that is unsafe once per container, not per request", async () => {
    const lines: string[] = [];
    vi.resetModules();
    vi.stubEnv("ESS_CALLBACK_TOKEN", "");
    vi.stubEnv("LOG_LEVEL", "warn");
    // A fresh module graph is a fresh container: its logger module is a new one, tapped here.
    const untap = (await import("../../../shared/log/logger")).tapLogs((line) => lines.push(line));
    try {
      const fresh = await import("../../../functions/callback/handler");
      for (let i = 0; i < 3; i++) await fresh.main_handler(scfEvent({ body: Buffer.from("{}") }), { request_id: `r${i}` });
    } finally {
      untap();
      vi.stubEnv("LOG_LEVEL", "error");
    }
    const warnings = lines.filter((line) => line.includes("ESS_CALLBACK_TOKEN is not set"));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: "warn", startup: true });
  });
});
