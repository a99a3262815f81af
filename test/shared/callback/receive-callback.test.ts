import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decryptCallback, type DecryptFn } from "../../../shared/callback/decrypt";
import {
  receiveCallback,
  type CallbackRequest,
  type CallbackResult,
  type ReceiveCallbackDeps,
} from "../../../shared/callback/receive-callback";
import { DEFAULT_SIGNATURE_MAX_AGE_SECONDS } from "../../../shared/config/config";
import type { CallbackSettings } from "../../../shared/callback/receive-callback";
import { querySignature } from "../../../shared/callback/signature";
import { AppError } from "../../../shared/errors/app-error";
import { createLogger, tapLogs } from "../../../shared/log/logger";
import { StoreUnavailableError } from "../../../shared/status-store/port";
import { ENCRYPTED_FIXTURES, PROBE_FIXTURES, fixtureConfig, loadFixture, personalValues, type CallbackFixture } from "./callback-fixtures";
import { FakeStatusStore } from "./fake-status-store";

const { key, token } = fixtureConfig;
const NOW = new Date(Number(fixtureConfig.timestamp) * 1000 + 5_000);

interface Setup {
  token?: string;
  key?: string;
  strict?: boolean;
  legacy?: boolean;
  decrypt?: DecryptFn;
  maxAgeSeconds?: number;
  maxBodyBytes?: number;
  now?: Date;
}

function setup(options: Setup = {}) {
  const store = new FakeStatusStore();
  const lines: string[] = [];
  const decrypt = vi.fn(options.decrypt ?? decryptCallback);
  const config: CallbackSettings = {
    key: options.key ?? key,
    ...(options.token !== undefined ? { token: options.token } : {}),
    strict: options.strict ?? false,
    acceptLegacyV1: options.legacy ?? false,
    signatureMaxAgeSeconds: options.maxAgeSeconds ?? DEFAULT_SIGNATURE_MAX_AGE_SECONDS,
  };
  const deps: ReceiveCallbackDeps = {
    store,
    config,
    clock: () => options.now ?? NOW,
    log: createLogger({ level: "debug", sink: (line) => lines.push(line) }),
    decrypt,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  };
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { store, decrypt, deps, logs, lines };
}

type Signing = "header" | "header-no-prefix" | "query" | "both" | "none";

function request(fixture: CallbackFixture, signing: Signing = "header", body: Buffer = fixture.body): CallbackRequest {
  const header = fixture.headers["content-signature"]!;
  return {
    body,
    ...(signing === "header" || signing === "both" ? { contentSignature: header } : {}),
    ...(signing === "header-no-prefix" ? { contentSignature: header.replace(/^sha256=/, "") } : {}),
    query: signing === "query" || signing === "both" ? { ...fixture.query } : {},
  };
}

/** Runs the pipeline and returns what the caller would see: the status and either result or code. */
async function answer(run: Promise<CallbackResult>): Promise<{ status: number; result?: CallbackResult; code?: string; message?: string }> {
  try {
    return { status: 200, result: await run };
  } catch (error) {
    if (error instanceof AppError) return { status: error.httpStatus, code: error.code, message: error.message };
    throw error;
  }
}

const MESSAGE_FIXTURES = ENCRYPTED_FIXTURES.filter((name) => name !== "ess-legacy-v1");
const MSG_IDS: Record<(typeof MESSAGE_FIXTURES)[number], string> = {
  "ess-flow-status-change": "yDSLfixtureEssFlow0001",
  "essbasic-flow-status-change": "yDSLfixtureBasicFlow0001",
  "ess-flow-group-status-change": "yDSLfixtureGroupStatus01",
  "ess-unknown-msg-type": "yDSLfixtureUnknown0001",
};

describe("signed messages are stored", () => {
  const cases = MESSAGE_FIXTURES.flatMap((name) =>
    (["header", "header-no-prefix", "query", "both"] as const).map((signing) => [name, signing] as const),
  );
  it.each(cases)("%s signed by %s → 200, stored once, decrypted once", async (name, signing) => {
    const { store, decrypt, deps } = setup({ token });
    const got = await answer(receiveCallback(request(loadFixture(name), signing), deps));
    expect(got.status).toBe(200);
    expect(got.result?.outcome).toBe("stored");
    expect([...store.events.keys()]).toEqual([MSG_IDS[name]]);
    expect(store.events.get(MSG_IDS[name])?.receivedAt).toBe(NOW.toISOString());
    expect(decrypt).toHaveBeenCalledTimes(1);
  });

  it.each(MESSAGE_FIXTURES)("%s without a token configured: no signature needed", async (name) => {
    const { store, deps } = setup();
    const got = await answer(receiveCallback(request(loadFixture(name), "none"), deps));
    expect(got.result?.outcome).toBe("stored");
    expect(store.events.has(MSG_IDS[name])).toBe(true);
  });

  it("keeps the decrypted MsgData verbatim in raw", async () => {
    const { store, deps } = setup({ token });
    const fixture = loadFixture("essbasic-flow-status-change");
    await receiveCallback(request(fixture), deps);
    const plain = JSON.parse(fixture.plaintext!.toString("utf8"));
    expect(store.events.get("yDSLfixtureBasicFlow0001")?.raw).toEqual(plain.MsgData);
  });
});

describe("signature comes first: nothing is decrypted or stored without a valid one", () => {
  const fixture = loadFixture("ess-flow-status-change");
  const header = fixture.headers["content-signature"]!;
  const tampered = Buffer.from(
    fixture.body.toString("utf8").replace(/"encrypt":"(.)/, (_m, c: string) => `"encrypt":"${c === "A" ? "B" : "A"}`),
  );
  const otherHeader = loadFixture("essbasic-flow-status-change").headers["content-signature"]!;

  it.each<[string, CallbackRequest, string | undefined]>([
    ["a tampered body", { body: tampered, contentSignature: header, query: {} }, undefined],
    ["a tampered body, query form", { body: tampered, query: { ...fixture.query } }, undefined],
    ["another message's signature", { body: fixture.body, contentSignature: otherHeader, query: {} }, undefined],
    ["a signature of the wrong length", { body: fixture.body, contentSignature: header.slice(0, -2), query: {} }, undefined],
    [
      "a signature made with another token",
      { body: fixture.body, contentSignature: header, query: { ...fixture.query } },
      `${token}-other`,
    ],
    ["a query signature with another nonce", { body: fixture.body, query: { ...fixture.query, nonce: "x" } }, undefined],
    [
      "a query signature without timestamp",
      { body: fixture.body, query: { nonce: fixture.query.nonce, msg_signature: fixture.query.msg_signature } },
      undefined,
    ],
    ["an encrypt with no signature at all", { body: fixture.body, query: {} }, undefined],
    ["a non-JSON body with no signature", { body: Buffer.from("garbage"), query: {} }, undefined],
  ])("%s → 401", async (_case, req, configuredToken) => {
    const { store, decrypt, deps, logs } = setup({ token: configuredToken ?? token });
    const got = await answer(receiveCallback(req, deps));
    expect(got.status).toBe(401);
    expect(got.code).toBe("AuthFailure.SignatureFailure");
    expect(decrypt).not.toHaveBeenCalled();
    expect(store.recordEventCalls).toBe(0);
    expect(logs().some((line) => line.msg === "callback signature refused")).toBe(true);
  });

  it("the same request with the right signature is decrypted, after the check", async () => {
    const { decrypt, deps } = setup({ token });
    await receiveCallback(request(fixture), deps);
    expect(decrypt).toHaveBeenCalledTimes(1);
    expect(decrypt).toHaveBeenCalledWith(fixture.encrypt, key);
  });

  it.each([
    ["within the allowed age", 300, 200],
    ["older than the allowed age", 4, 401],
  ])("query signature freshness: a timestamp %s → %i", async (_case, maxAgeSeconds, status) => {
    const { decrypt, deps } = setup({ token, maxAgeSeconds });
    const got = await answer(receiveCallback(request(fixture, "query"), deps));
    expect(got.status).toBe(status);
    if (status === 401) {
      expect(got.code).toBe("AuthFailure.SignatureExpire");
      expect(decrypt).not.toHaveBeenCalled();
    }
  });
});

describe("probes: 200, nothing stored, a warning", () => {
  const empty = loadFixture("probe-empty");
  const badEncrypt = loadFixture("probe-bad-encrypt");
  const wrongKey = "WrongCallbackKey-0123456789ABCDE";

  it.each<[string, Setup, CallbackRequest, string]>([
    ["{} without token", {}, request(empty, "none"), "no-encrypt"],
    ["{} without token, strict", { strict: true }, request(empty, "none"), "no-encrypt"],
    ["{} with token, unsigned", { token }, request(empty, "none"), "unsigned-without-encrypt"],
    ["{} with token, signed", { token }, request(empty, "header"), "no-encrypt"],
    ["{} with token, query-signed", { token }, request(empty, "query"), "no-encrypt"],
    ["an empty body without token", {}, { body: Buffer.alloc(0), query: {} }, "empty-body"],
    ["an empty body with token, unsigned", { token }, { body: Buffer.alloc(0), query: {} }, "unsigned-without-encrypt"],
    ["a bad encrypt without token", {}, request(badEncrypt, "none"), "undecryptable"],
    ["an encrypt that is not a string", {}, { body: Buffer.from('{"encrypt":42}'), query: {} }, "undecryptable"],
    [
      "a real message under a wrong key, no token",
      { key: wrongKey },
      request(loadFixture("ess-flow-status-change"), "none"),
      "undecryptable",
    ],
    ["a bare MsgData while legacy v1 is off", {}, { body: loadFixture("ess-legacy-v1").plaintext!, query: {} }, "legacy-v1-disabled"],
    [
      "an unsigned bare MsgData with token, legacy on",
      { token, legacy: true },
      { body: loadFixture("ess-legacy-v1").plaintext!, query: {} },
      "unsigned-without-encrypt",
    ],
  ])("%s", async (_case, options, req, reason) => {
    const { store, deps, logs } = setup(options);
    const got = await answer(receiveCallback(req, deps));
    expect(got).toEqual({ status: 200, result: { outcome: "probe", events: [], probeReason: reason } });
    expect(store.recordEventCalls).toBe(0);
    expect(logs().filter((line) => line.level === "warn" && line.reason === reason).length).toBeGreaterThan(0);
  });

  it.each<[string, Setup, CallbackRequest, string]>([
    ["a bad encrypt, strict", { strict: true }, request(badEncrypt, "none"), "InvalidParameter.Encrypt"],
    [
      "a wrong key, strict",
      { strict: true, key: wrongKey },
      request(loadFixture("ess-flow-status-change"), "none"),
      "InvalidParameter.Encrypt",
    ],
    [
      "a bare MsgData while legacy v1 is off, strict",
      { strict: true },
      { body: loadFixture("ess-legacy-v1").plaintext!, query: {} },
      "MissingParameter.Encrypt",
    ],
    ["a body that is not JSON", {}, { body: Buffer.from("not json"), query: {} }, "InvalidParameter.Body"],
    ["a JSON array", {}, { body: Buffer.from("[]"), query: {} }, "InvalidParameter.Body"],
    ["bytes that are not UTF-8", {}, { body: Buffer.from([0xff, 0xfe, 0x7b]), query: {} }, "InvalidParameter.Body"],
  ])("not a probe: %s → 400 %s", async (_case, options, req, code) => {
    const { store, deps } = setup(options);
    const got = await answer(receiveCallback(req, deps));
    expect(got.status).toBe(400);
    expect(got.code).toBe(code);
    expect(store.recordEventCalls).toBe(0);
  });

  it.each<[string, Setup]>([
    ["signed", { token }],
    ["signed, strict", { token, strict: true }],
  ])("a %s message that does not decrypt is a wrong key, not a probe: 500 so ESS retries", async (_case, options) => {
    const { store, deps, logs } = setup(options);
    const got = await answer(receiveCallback(request(badEncrypt, "header"), deps));
    expect(got.status).toBe(500);
    expect(got.code).toBe("InternalError.CallbackKey");
    expect(store.recordEventCalls).toBe(0);
    expect(logs().some((line) => line.level === "error" && /ESS_CALLBACK_KEY/.test(String(line.msg)))).toBe(true);
  });

  it("a signed probe with an encrypt still goes through the signature first", async () => {
    const { decrypt, deps } = setup({ token });
    const got = await answer(receiveCallback(request(badEncrypt, "none"), deps));
    expect(got.status).toBe(401);
    expect(decrypt).not.toHaveBeenCalled();
  });
});

describe("storage: never 200 for a message not stored", () => {
  const fixture = loadFixture("ess-flow-status-change");

  it.each([
    ["StoreUnavailableError", new StoreUnavailableError("COS answered 500")],
    ["any other error", new Error("socket hang up")],
  ])("%s → 503 ResourceUnavailable.Store, then the retry is stored", async (_case, failure) => {
    const { store, deps, logs } = setup({ token });
    store.failures.push(failure);
    const first = await answer(receiveCallback(request(fixture), deps));
    expect(first.status).toBe(503);
    expect(first.code).toBe("ResourceUnavailable.Store");
    expect(store.events.size).toBe(0);
    expect(logs().some((line) => line.level === "error" && line.msgId === "yDSLfixtureEssFlow0001")).toBe(true);

    const retry = await answer(receiveCallback(request(fixture), deps));
    expect(retry.status).toBe(200);
    expect(retry.result?.outcome).toBe("stored");
    expect(store.events.size).toBe(1);
  });

  it("a duplicate answers 200 and is stored once", async () => {
    const { store, deps, logs } = setup({ token });
    const first = await receiveCallback(request(fixture), deps);
    const second = await receiveCallback(request(fixture, "query"), deps);
    expect(first.outcome).toBe("stored");
    expect(second.outcome).toBe("duplicate");
    expect(second.events).toEqual([
      {
        msgId: "yDSLfixtureEssFlow0001",
        msgType: "FlowStatusChange",
        edition: "ess",
        flowGroupId: "yDGfixtureGroup1",
        flowId: "yDRfixtureFlowA",
        duplicate: true,
      },
    ]);
    expect(store.recordEventCalls).toBe(2);
    expect(store.events.size).toBe(1);
    const received = logs().filter((line) => line.msg === "callback received");
    expect(received.map((line) => [line.duplicate, line.outcome])).toEqual([
      [false, "stored"],
      [true, "duplicate"],
    ]);
  });

  it("a message fanned out over several flows: a failure midway answers 503; the retry stores the rest", async () => {
    const plaintext = Buffer.from(
      JSON.stringify({ MsgId: "cancel-1", MsgType: "CancelFlows", MsgVersion: "CustomApp", MsgData: { FlowIds: ["fa", "fb", "fc"] } }),
    );
    const { store, deps } = setup({ decrypt: () => plaintext });
    const body = Buffer.from('{"encrypt":"stands-for-a-ciphertext"}');
    // Fail the second write only.
    const original = store.recordEvent.bind(store);
    let calls = 0;
    store.recordEvent = async (event) => {
      calls += 1;
      if (calls === 2) throw new StoreUnavailableError("down");
      return original(event);
    };
    expect((await answer(receiveCallback({ body, query: {} }, deps))).status).toBe(503);
    expect([...store.events.keys()]).toEqual(["cancel-1-fa"]);
    const retry = await receiveCallback({ body, query: {} }, deps);
    expect(retry.outcome).toBe("stored");
    expect(retry.events.map((event) => [event.msgId, event.duplicate])).toEqual([
      ["cancel-1-fa", true],
      ["cancel-1-fb", false],
      ["cancel-1-fc", false],
    ]);
    expect((await receiveCallback({ body, query: {} }, deps)).outcome).toBe("duplicate");
  });
});

/** A request carrying `body` with a valid Content-Signature made with the fixtures' token. */
function signedPlain(body: Buffer): CallbackRequest {
  return { body, contentSignature: `sha256=${createHmac("sha256", token).update(body).digest("hex")}`, query: {} };
}

/** A query signature over `encrypt` made with the fixtures' token, as a leaked callback URL would carry. */
function signedUrl(encrypt: string, timestamp = fixtureConfig.timestamp): CallbackRequest["query"] {
  return { timestamp, nonce: fixtureConfig.nonce, msg_signature: querySignature(token, timestamp, fixtureConfig.nonce, encrypt) };
}

describe("audit findings 1–2: no accepted setting stores an unsigned or unverifiable message", () => {
  const forged = Buffer.from(JSON.stringify({ FlowId: "yDRfixtureFlowA", FlowCallbackStatus: 3, OccurTime: 99_999_999_999 }));

  it("legacy v1 on without a token: a plain unsigned POST is not stored", async () => {
    const { store, deps } = setup({ legacy: true });
    const got = await answer(receiveCallback({ body: forged, query: {} }, deps));
    expect(got.result?.outcome ?? got.code).not.toBe("stored");
    expect(store.recordEventCalls).toBe(0);
  });

  it("legacy v1 with a token: a plain body under a leaked query signature (which covers no body) → 401, not stored", async () => {
    const { store, deps } = setup({ legacy: true, token });
    const got = await answer(receiveCallback({ body: forged, query: signedUrl("") }, deps));
    expect(got).toMatchObject({ status: 401, code: "AuthFailure.SignatureFailure" });
    expect(store.recordEventCalls).toBe(0);
  });

  it("legacy v1 with a token: an encrypted legacy message under the query form only → 401, not stored", async () => {
    const { store, deps } = setup({ legacy: true, token });
    const got = await answer(receiveCallback(request(loadFixture("ess-legacy-v1"), "query"), deps));
    expect(got).toMatchObject({ status: 401, code: "AuthFailure.SignatureFailure" });
    expect(store.recordEventCalls).toBe(0);
  });

  it("a query signature on a body whose encrypt is not a string → 401, nothing decrypted", async () => {
    const { store, decrypt, deps } = setup({ token });
    const got = await answer(receiveCallback({ body: Buffer.from('{"encrypt":42}'), query: signedUrl("") }, deps));
    expect(got.status).toBe(401);
    expect(decrypt).not.toHaveBeenCalled();
    expect(store.recordEventCalls).toBe(0);
  });

  it.each([
    ["a 2001 timestamp", "1000000000"],
    ["a timestamp an hour old", String(Number(fixtureConfig.timestamp) - 3_600)],
    ["a timestamp an hour ahead", String(Number(fixtureConfig.timestamp) + 3_600)],
  ])("the query form under the default window: %s → 401 SignatureExpire, not stored", async (_case, timestamp) => {
    const fixture = loadFixture("ess-flow-status-change");
    const { store, decrypt, deps } = setup({ token });
    const got = await answer(receiveCallback({ body: fixture.body, query: signedUrl(fixture.encrypt, timestamp) }, deps));
    expect(got).toMatchObject({ status: 401, code: "AuthFailure.SignatureExpire" });
    expect(decrypt).not.toHaveBeenCalled();
    expect(store.recordEventCalls).toBe(0);
  });

  it("the header form has no timestamp: a replayed message is the same MsgId, stored once", async () => {
    const { store, deps } = setup({ token, now: new Date(NOW.getTime() + 86_400_000) });
    const fixture = loadFixture("ess-flow-status-change");
    expect((await receiveCallback(request(fixture), deps)).outcome).toBe("stored");
    expect((await receiveCallback(request(fixture), deps)).outcome).toBe("duplicate");
    expect(store.events.size).toBe(1);
  });
});

describe("envelopes and legacy v1", () => {
  const legacy = loadFixture("ess-legacy-v1");
  const legacyIdOf = (bytes: Buffer) => `v1-${createHash("sha256").update(bytes).digest("hex")}`;

  it.each([
    ["encrypted, legacy on but no token", { legacy: true }, request(legacy, "none"), 400],
    ["encrypted, legacy off", { legacy: false }, request(legacy, "none"), 400],
    ["encrypted and signed, token and legacy on", { legacy: true, token }, request(legacy, "header"), 200],
    ["plain JSON body signed in the header form, token and legacy on", { legacy: true, token }, signedPlain(legacy.plaintext!), 200],
  ] as const)("%s → %i", async (_case, options, req, status) => {
    const { store, deps } = setup(options);
    const got = await answer(receiveCallback(req, deps));
    expect(got.status).toBe(status);
    if (status === 200) {
      expect([...store.events.keys()]).toEqual([legacyIdOf(legacy.plaintext!)]);
      expect(store.events.get(legacyIdOf(legacy.plaintext!))).toMatchObject({ flowId: "yDRfixtureFlowC", flowStatus: "ALL" });
      // The same bytes again: the derived MsgId makes it a duplicate.
      expect((await receiveCallback(req, deps)).outcome).toBe("duplicate");
    } else {
      expect(got.code).toBe("InvalidParameter.Envelope");
      expect(store.recordEventCalls).toBe(0);
    }
  });

  it.each([
    ["no MsgId", { MsgType: "FlowStatusChange", MsgData: { ApproverMobile: "13912345678" } }, "MsgId"],
    ["no MsgType", { MsgId: "m1", MsgData: {} }, "MsgType"],
  ])("a decrypted envelope with %s → 400 InvalidParameter.Envelope, nothing stored", async (_case, envelope, field) => {
    const { store, deps } = setup({ decrypt: () => Buffer.from(JSON.stringify(envelope)) });
    const got = await answer(receiveCallback({ body: Buffer.from('{"encrypt":"x"}'), query: {} }, deps));
    expect(got).toMatchObject({ status: 400, code: "InvalidParameter.Envelope" });
    expect(got.message).toContain(field);
    expect(got.message).not.toContain("13912345678");
    expect(store.recordEventCalls).toBe(0);
  });

  it("plaintext that is not JSON counts as undecryptable (a wrong key can pass the padding check)", async () => {
    const { store, deps } = setup({ decrypt: () => Buffer.from("\u0007garbage") });
    const got = await answer(receiveCallback({ body: Buffer.from('{"encrypt":"x"}'), query: {} }, deps));
    expect(got.result?.probeReason).toBe("undecryptable");
    expect(store.recordEventCalls).toBe(0);
  });

  it("a decrypt failure that is not a DecryptError is a bug: it propagates (500), nothing stored", async () => {
    const { store, deps } = setup({
      decrypt: () => {
        throw new TypeError("boom");
      },
    });
    await expect(receiveCallback({ body: Buffer.from('{"encrypt":"x"}'), query: {} }, deps)).rejects.toThrow(TypeError);
    expect(store.recordEventCalls).toBe(0);
  });
});

describe("limits and logs", () => {
  it("refuses a body over the limit with 413 before checking or decrypting anything", async () => {
    const fixture = loadFixture("ess-flow-status-change");
    const { decrypt, deps } = setup({ token, maxBodyBytes: fixture.body.length - 1 });
    const got = await answer(receiveCallback(request(fixture), deps));
    expect(got).toMatchObject({ status: 413, code: "LimitExceeded.BodySize" });
    expect(decrypt).not.toHaveBeenCalled();
  });

  it("logs msgId, msgType, edition, flowGroupId, duplicate and outcome for a stored message", async () => {
    const { deps, logs } = setup({ token });
    await receiveCallback(request(loadFixture("essbasic-flow-status-change")), deps);
    expect(logs().find((line) => line.msg === "callback received")).toMatchObject({
      level: "info",
      msgId: "yDSLfixtureBasicFlow0001",
      msgType: "FlowStatusChange",
      edition: "essbasic",
      flowGroupId: "yDGfixtureGroup2",
      duplicate: false,
      outcome: "stored",
    });
  });

  describe("nothing logged contains personal data, the key or the token", () => {
    let untap: (() => void) | undefined;
    afterEach(() => untap?.());

    const secrets = [...personalValues(), key, token];
    it("the fixtures hold personal data to look for", () => {
      expect(personalValues()).toEqual(expect.arrayContaining(["张晓梅", "13912345678", "110101199003071234", "赵大勇", "17733334444"]));
    });

    const variants: Array<[string, Setup, Signing]> = [
      ["stored", { token, legacy: true }, "header"],
      ["stored twice (duplicate)", { token, legacy: true }, "query"],
      ["refused signature", { token: `${token}-other` }, "header"],
      ["store down", { token, legacy: true }, "header"],
      ["strict, wrong key", { strict: true, key: "WrongCallbackKey-0123456789ABCDE" }, "none"],
      ["no token", { legacy: true }, "none"],
    ];
    it.each(variants)("%s", async (variant, options, signing) => {
      const seen: string[] = [];
      untap = tapLogs((line) => seen.push(line));
      for (const name of [...ENCRYPTED_FIXTURES, ...PROBE_FIXTURES]) {
        const { store, deps } = setup(options);
        if (variant === "store down") store.failures.push(new StoreUnavailableError(`cannot write ${name}`));
        const req = request(loadFixture(name), signing);
        const runs = variant.includes("duplicate") ? 2 : 1;
        for (let i = 0; i < runs; i++) await answer(receiveCallback(req, deps));
        // The bare legacy body too.
        if (name === "ess-legacy-v1") await answer(receiveCallback({ body: loadFixture(name).plaintext!, query: {} }, deps));
      }
      expect(seen.length).toBeGreaterThan(0);
      for (const line of seen) for (const secret of secrets) expect(line).not.toContain(secret);
    });
  });
});
