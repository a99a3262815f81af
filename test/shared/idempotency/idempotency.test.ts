import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import {
  EssInternalError,
  EssInvalidRequest,
  EssRateLimited,
  EssRefused,
  EssTimeout,
  EssUnreachable,
} from "../../../shared/errors/ess-errors";
import {
  assertIdempotencyKey,
  claimLifecycleDays,
  createIdempotency,
  failureReleasesKey,
  requestFingerprint,
  type Idempotency,
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

/** `begin` then `claim`, as create-group does once the request is valid. */
async function take(idem: Idempotency, scope: string, key: string, hash: string) {
  const found = await idem.begin(scope, key, hash);
  if (found.kind !== "free") throw new Error(`expected a free key, got ${found.kind}`);
  return found.claim();
}

describe("idempotent create", () => {
  it("replays the stored response for the same key and body", async () => {
    const { idem } = setup();
    await (await take(idem, "ess", "k1", H1)).complete(ok);
    await expect(idem.begin("ess", "k1", H1)).resolves.toEqual({ kind: "replay", response: ok });
  });

  it("answers 422 for the same key with another body", async () => {
    const { idem } = setup();
    await (await take(idem, "ess", "k1", H1)).complete(ok);
    expect(await codeOf(idem.begin("ess", "k1", H2))).toEqual([422, "InvalidParameter.IdempotencyKeyReused"]);
  });

  it("answers 409 while the first request runs", async () => {
    const { idem } = setup();
    await take(idem, "ess", "k1", H1);
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyKeyInUse"]);
  });

  it("writes nothing when a key is only looked up (an invalid request never holds a key)", async () => {
    const { idem, objects } = setup();
    expect((await idem.begin("ess", "k1", H1)).kind).toBe("free");
    expect([...objects.data.keys()]).toEqual([]);
  });

  it("lets exactly one of many concurrent requests proceed", async () => {
    const { idem } = setup();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => take(idem, "ess", "race", H1)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(19);
  });

  it("lets exactly one proceed when the requests' clocks straddle a window boundary", async () => {
    const objects = memoryObjectStore();
    const boundary = 60_000 * 100;
    const early = createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 5_000, now: () => boundary - 1 });
    const late = createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 5_000, now: () => boundary + 1 });
    // Both look the key up before either claims it: each would otherwise claim it in its own window.
    const [a, b] = await Promise.all([early.begin("ess", "edge", H1), late.begin("ess", "edge", H1)]);
    if (a.kind !== "free" || b.kind !== "free") throw new Error("expected free keys");
    const results = await Promise.allSettled([a.claim(), b.claim()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("releases the key after a failure that created nothing", async () => {
    const { idem } = setup();
    await (await take(idem, "ess", "k1", H1)).fail(new EssRefused("OperationDenied.NoQuota"));
    expect((await idem.begin("ess", "k1", H1)).kind).toBe("free");
    await take(idem, "ess", "k1", H1);
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyKeyInUse"]);
  });

  it("keeps the key after an unanswered call: a retry must not create a second group", async () => {
    const { idem } = setup();
    await (await take(idem, "ess", "k1", H1)).fail(new EssTimeout(1_000));
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyOutcomeUnknown"]);
  });

  it("treats a pending claim whose function died as unknown, and frees every key after its time to live", async () => {
    const { idem, advance } = setup();
    await take(idem, "ess", "k1", H1);
    advance(6_000);
    expect(await codeOf(idem.begin("ess", "k1", H1))).toEqual([409, "FailedOperation.IdempotencyOutcomeUnknown"]);
    advance(60_000);
    await (await take(idem, "ess", "k1", H2)).complete(ok);
    await expect(idem.begin("ess", "k1", H2)).resolves.toEqual({ kind: "replay", response: ok });
  });

  it("finds claims with single-key reads only: a listing that shows nothing changes nothing", async () => {
    const { idem, objects } = setup();
    objects.lagListings();
    await (await take(idem, "ess", "k1", H1)).complete(ok);
    await expect(idem.begin("ess", "k1", H1)).resolves.toEqual({ kind: "replay", response: ok });
    expect(objects.calls.filter((c) => c.startsWith("list"))).toEqual([]);
  });

  it("still finds a claim made in the previous window, and the key's earlier windows may be deleted by a lifecycle rule", async () => {
    const { idem, objects, advance } = setup();
    await (await take(idem, "ess", "k1", H1)).fail(new EssRefused("OperationDenied.NoQuota"));
    advance(50_000);
    await (await take(idem, "ess", "k1", H1)).complete(ok);
    advance(30_000);
    // Now in the next window: the claim is 30 s old, so it is replayed, though its window has passed.
    await expect(idem.begin("ess", "k1", H1)).resolves.toEqual({ kind: "replay", response: ok });
    advance(120_000);
    // Two windows on, everything older is expired: a lifecycle rule deletes it, and the key is free.
    for (const key of [...objects.data.keys()]) objects.data.delete(key);
    expect((await idem.begin("ess", "k1", H1)).kind).toBe("free");
  });

  it("gives every claim a random nonce (no two claims are the same bytes)", async () => {
    const { idem, objects } = setup();
    await take(idem, "ess", "a", H1);
    await take(idem, "ess", "b", H1);
    const claims = [...objects.data.entries()].filter(([, body]) => body.includes('"pending"')).map(([, body]) => JSON.parse(body));
    expect(claims).toHaveLength(2);
    expect(claims[0].nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(claims[0].nonce).not.toBe(claims[1].nonce);
  });

  it("keeps keys of different routes apart", async () => {
    const { idem } = setup();
    await take(idem, "ess", "same", H1);
    await expect(take(idem, "essbasic", "same", H1)).resolves.toBeDefined();
  });

  it.each([
    [1 * 60 * 60 * 1000, 1],
    [24 * 60 * 60 * 1000, 2],
    [36 * 60 * 60 * 1000, 3],
  ])("a lifecycle rule for a TTL of %i ms keeps claims %i days", (ttl, days) => {
    expect(claimLifecycleDays(ttl)).toBe(days);
  });

  it.each([
    [new EssInvalidRequest("InvalidParameter.X", ""), true],
    [new EssRateLimited("RequestLimitExceeded", ""), true],
    [new EssRefused("OperationDenied.NoQuota"), true],
    [new EssTimeout(1_000), false],
    [new EssUnreachable(undefined), false],
    [new EssInternalError(), false],
    [new Error("anything else"), false],
  ])("failureReleasesKey(%o) → %s", (error, expected) => {
    expect(failureReleasesKey(error)).toBe(expected);
  });
});
