import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import {
  assertIdempotencyKey,
  createIdempotency,
  failureReleasesKey,
  requestFingerprint,
} from "../../../shared/idempotency/idempotency";
import { memoryObjectStore } from "../../support/memory-object-store";

function setup() {
  let t = 1_000_000;
  const objects = memoryObjectStore();
  const idem = createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 5_000, now: () => t });
  return { objects, idem, advance: (ms: number) => (t += ms) };
}

const H1 = requestFingerprint("ess", { a: 1 });
const H2 = requestFingerprint("ess", { a: 2 });
const ok = { statusCode: 200, body: { FlowGroupId: "g" } };

async function codeOf(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return [error.httpStatus, error.code];
    throw error;
  }
  throw new Error("expected an error");
}

describe("requestFingerprint", () => {
  it("ignores key order and differs by route and content", () => {
    expect(requestFingerprint("ess", { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestFingerprint("ess", { b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(requestFingerprint("ess", { a: 1 })).not.toBe(requestFingerprint("essbasic", { a: 1 }));
    expect(H1).not.toBe(H2);
  });
});

describe("assertIdempotencyKey", () => {
  it.each(["", " ", "a b", "x".repeat(256), "键"])("refuses %j", (key) => {
    expect(() => assertIdempotencyKey(key)).toThrow(AppError);
  });
  it("accepts 255 printable characters", () => {
    expect(assertIdempotencyKey("k".repeat(255))).toHaveLength(255);
  });
});

describe("idempotent create", () => {
  it("replays the stored response for the same key and body", async () => {
    const { idem } = setup();
    const first = await idem.begin("ess", "k1", H1);
    expect(first.kind).toBe("proceed");
    if (first.kind === "proceed") await first.complete(ok);
    await expect(idem.begin("ess", "k1", H1)).resolves.toEqual({ kind: "replay", response: ok });
  });

  it("answers 422 for the same key with another body", async () => {
    const { idem } = setup();
    const first = await idem.begin("ess", "k1", H1);
    if (first.kind === "proceed") await first.complete(ok);
    expect(await codeOf(idem.begin("ess", "k1", H2))).toEqual([422, "InvalidParameter.IdempotencyKeyReused"]);
  });

  it("answers 409 while the first request runs", async () => {
    const { idem } = setup();
    await idem.begin("ess", "k1", H1);
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyKeyInUse"]);
  });

  it("lets exactly one of many concurrent requests proceed", async () => {
    const { idem } = setup();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => idem.begin("ess", "race", H1)));
    const proceeded = results.filter((r) => r.status === "fulfilled" && r.value.kind === "proceed");
    expect(proceeded).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(19);
  });

  it("releases the key after a failure that created nothing", async () => {
    const { idem } = setup();
    const first = await idem.begin("ess", "k1", H1);
    if (first.kind === "proceed") await first.fail(new AppError("InvalidParameter.FlowName", 400, "bad"));
    expect((await idem.begin("ess", "k1", H1)).kind).toBe("proceed");
  });

  it("keeps the key after an unanswered call: a retry must not create a second group", async () => {
    const { idem } = setup();
    const first = await idem.begin("ess", "k1", H1);
    if (first.kind === "proceed") await first.fail(new AppError("InternalError.EssTimeout", 502, "timeout"));
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyOutcomeUnknown"]);
  });

  it("treats a pending claim whose function died as unknown, and frees every key after its time to live", async () => {
    const { idem, advance } = setup();
    await idem.begin("ess", "k1", H1);
    advance(6_000);
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyOutcomeUnknown"]);
    advance(60_000);
    expect((await idem.begin("ess", "k1", H2)).kind).toBe("proceed");
  });

  it("keeps keys of different routes apart", async () => {
    const { idem } = setup();
    const a = await idem.begin("ess", "same", H1);
    const b = await idem.begin("essbasic", "same", H1);
    expect([a.kind, b.kind]).toEqual(["proceed", "proceed"]);
  });

  it.each([
    [new AppError("InvalidParameter.X", 400, ""), true],
    [new AppError("RequestLimitExceeded", 429, ""), true],
    [new AppError("OperationDenied.NoQuota", 502, ""), true],
    [new AppError("InternalError.EssTimeout", 502, ""), false],
    [new AppError("InternalError.EssUnreachable", 502, ""), false],
    [new AppError("InternalError.Ess", 502, ""), false],
    [new Error("anything else"), false],
  ])("failureReleasesKey(%o) → %s", (error, expected) => {
    expect(failureReleasesKey(error)).toBe(expected);
  });
});
