import { createCipheriv, createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ApiGatewayEvent } from "../../../shared/http/scf-types";
import { silentLogger } from "../../../shared/log/logger";
import { createStatusStore } from "../../../shared/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { censusOfKeys } from "../../support/store-census";

/**
 * Property tests of the callback function: whatever bytes arrive, it never answers 5xx unless the
 * store fails, and it stores a message only when it is correctly signed and encrypted.
 */
const KEY = "FuzzCallbackKey-0123456789abcdef";
const TOKEN = "fuzz-token";
Object.assign(process.env, {
  ESS_CALLBACK_KEY: KEY,
  STORE: "file",
  STORE_DIR: mkdtempSync(path.join(tmpdir(), "cb-fuzz-")),
  LOG_LEVEL: "error",
});
const { createHandler } = await import("../../../functions/callback/handler");

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);

function handlerWith(options: { token?: string; failingStore?: boolean }) {
  const objects = memoryObjectStore();
  if (options.failingStore) objects.failNext(Number.POSITIVE_INFINITY);
  const store = createStatusStore(objects, { clock: () => new Date() });
  const handler = createHandler({
    store,
    config: {
      key: KEY,
      ...(options.token ? { token: options.token } : {}),
      strict: false,
      acceptLegacyV1: false,
      signatureMaxAgeSeconds: 300,
    },
    clock: () => new Date(),
    log: silentLogger,
  });
  return { handler, objects };
}

function event(body: Uint8Array, headers: Record<string, string>, base64: boolean): ApiGatewayEvent {
  return {
    requestContext: { serviceId: "s", path: "/ess/callbacks", httpMethod: "POST", requestId: "r", sourceIp: "1.1.1.1", stage: "release" },
    headers,
    body: base64 ? Buffer.from(body).toString("base64") : Buffer.from(body).toString("utf8"),
    isBase64Encoded: base64,
    path: "/ess/callbacks",
    httpMethod: "POST",
  };
}

function encrypt(plaintext: string): string {
  const key = Buffer.from(KEY, "utf8");
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

const sign = (body: string) => `sha256=${createHmac("sha256", TOKEN).update(body).digest("hex")}`;

/** Arbitrary request bodies: raw bytes, arbitrary JSON, and `{encrypt: …}` shapes with junk inside. */
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v) ?? "null")),
  fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(JSON.stringify({ encrypt: s }))),
  fc
    .uint8Array({ minLength: 16, maxLength: 256 })
    .map((b) => new TextEncoder().encode(JSON.stringify({ encrypt: Buffer.from(b).toString("base64") }))),
);
const anySignature = fc.option(
  fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `sha256=${Buffer.from(b).toString("hex")}`),
  ),
  { nil: undefined },
);

describe("callback fuzzing", () => {
  it("any bytes, signed or not: never 5xx, and nothing stored without a valid signature (token configured)", async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, anySignature, fc.boolean(), async (body, signature, base64) => {
        const { handler, objects } = handlerWith({ token: TOKEN });
        const res = await handler(event(body, signature !== undefined ? { "content-signature": signature } : {}, base64), {
          request_id: "r",
        });
        expect(res.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(res.body)).not.toThrow();
        expect(objects.data.size).toBe(0);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("any bytes without a token: never 5xx, and nothing stored unless it decrypts to an envelope", async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.boolean(), async (body, base64) => {
        const { handler, objects } = handlerWith({});
        const res = await handler(event(body, {}, base64), { request_id: "r" });
        expect(res.statusCode).toBeLessThan(500);
        // Random bytes are not ciphertext under our key, so nothing can have been stored.
        expect(objects.data.size).toBe(0);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("any correctly signed and encrypted envelope: stored exactly once, redelivery is a duplicate", async () => {
    const envelope = fc.record({
      MsgId: fc.string({ minLength: 1, maxLength: 64 }).filter((id) => id.trim() !== ""),
      MsgType: fc.constantFrom("FlowStatusChange", "FlowGroupStatusChange", "CancelFlows", "OperateSeal", "Something"),
      MsgVersion: fc.constantFrom("CustomApp", "ThirdPartyApp", "Other"),
      MsgData: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ FlowId: fc.string({ maxLength: 40 }), FlowCallbackStatus: fc.integer({ min: -5, max: 30 }), OccurTime: fc.integer() }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(envelope, async (message) => {
        const { handler, objects } = handlerWith({ token: TOKEN });
        const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(message)) });
        const first = await handler(event(new TextEncoder().encode(body), { "content-signature": sign(body) }, false), { request_id: "r" });
        const again = await handler(event(new TextEncoder().encode(body), { "content-signature": sign(body) }, false), { request_id: "r" });
        expect(first.statusCode).toBe(200);
        expect(again.statusCode).toBe(200);
        expect(JSON.parse(first.body).Result).toBe("stored");
        expect(JSON.parse(again.body).Result).toBe("duplicate");
        const census = censusOfKeys([...objects.data.keys()]);
        expect(census.events + census.loose + census.waiting).toBe(1);
      }),
      { numRuns: Math.ceil(FUZZ_RUNS / 2) },
    );
  });

  it("5xx only when the store fails, and then never 200", async () => {
    const message = JSON.stringify({
      MsgId: "m1",
      MsgType: "FlowStatusChange",
      MsgVersion: "CustomApp",
      MsgData: { FlowId: "f1", FlowCallbackStatus: 2 },
    });
    const body = JSON.stringify({ encrypt: encrypt(message) });
    const { handler } = handlerWith({ token: TOKEN, failingStore: true });
    const res = await handler(event(new TextEncoder().encode(body), { "content-signature": sign(body) }, false), { request_id: "r" });
    expect(res.statusCode).toBe(503);
  });
});
