import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors/config-error";
import { createCosObjectStore } from "../../../shared/object-store/cos-object-store";
import { BucketCheckFailed, BucketVersioned, StoreUnavailableError } from "../../../shared/errors/store-errors";
import { startCosServer, type CosTestServer } from "../../support/cos-server";
import { describeObjectStoreContract } from "./object-store.contract";

let server: CosTestServer;
let prefixCounter = 0;
/** Each test gets its own prefix in the shared bucket, so tests never see each other's keys. */
const freshPrefix = () => `t${++prefixCounter}/`;

beforeAll(async () => {
  server = await startCosServer({
    credentials: { secretId: "AKIDcontract0001", secretKey: "contract-secret-key-0001", token: "session-token-0001" },
  });
});
afterAll(async () => {
  await server.stop();
});

describeObjectStoreContract("COS adapter against the signature-checking test server", async () => {
  const PAGE = 4;
  server.faults.clear();
  server.faults.pageSize = PAGE;
  return {
    store: createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), { attemptTimeoutMs: 2_000 }),
    pageSize: PAGE,
    breakBackend() {
      server.faults.failNext({ on: "any", mode: "internal", count: Number.POSITIVE_INFINITY });
    },
    secrets: [server.credentials.secretKey, server.credentials.token!],
    async cleanup() {
      server.faults.clear();
    },
  };
});

describeObjectStoreContract("COS adapter, listings lagging behind writes (GET Bucket is eventually consistent)", async () => {
  server.faults.clear();
  server.listing.lagMs = 3_600_000;
  return {
    store: createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), { attemptTimeoutMs: 2_000 }),
    breakBackend() {
      server.faults.failNext({ on: "any", mode: "internal", count: Number.POSITIVE_INFINITY });
    },
    settle: () => server.listing.catchUp(),
    secrets: [server.credentials.secretKey, server.credentials.token!],
    async cleanup() {
      server.faults.clear();
      server.listing.lagMs = 0;
      server.listing.catchUp();
    },
  };
});

describeObjectStoreContract("COS adapter, every third request answered 503 SlowDown", async () => {
  server.faults.clear();
  let n = 0;
  server.faults.failNext({ mode: "slowdown", count: Number.POSITIVE_INFINITY, key: () => ++n % 3 === 0 });
  return {
    store: createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), { attemptTimeoutMs: 2_000, random: () => 0.05 }),
    breakBackend() {
      server.faults.clear();
      server.faults.failNext({ on: "any", mode: "internal", count: Number.POSITIVE_INFINITY });
    },
    secrets: [server.credentials.secretKey, server.credentials.token!],
    async cleanup() {
      server.faults.clear();
    },
  };
});

describe("COS adapter specifics", () => {
  const requestsSince = (start: number) => server.requests.slice(start);
  const ofKind = (start: number, operation: string) => requestsSince(start).filter((r) => r.operation === operation);
  const noPause = { random: () => 0 };

  it("sends nothing until the first call (the client is built lazily), then checks versioning once", async () => {
    const start = server.requests.length;
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }));
    expect(requestsSince(start)).toEqual([]);
    await store.get("events/none.json");
    await store.put("events/a.json", "{}");
    await store.createExclusive("events/b.json", "{}");
    expect(requestsSince(start).map((r) => r.operation)).toEqual(["GetBucketVersioning", "GetObject", "PutObject", "PutObject"]);
  });

  it("writes under the configured prefix, signs x-cos-forbid-overwrite and its writer nonce, and sends the session token", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    const start = server.requests.length;
    expect(await store.createExclusive("events/m1.json", '{"a":1}')).toBe(true);
    expect(server.objects.text(`${prefix}events/m1.json`)).toBe('{"a":1}');
    const [put] = ofKind(start, "PutObject");
    expect(put).toMatchObject({ key: `${prefix}events/m1.json`, status: 200 });
    expect(put!.headers["x-cos-forbid-overwrite"]).toBe("true");
    expect(put!.headers["x-cos-meta-writer"]).toMatch(/^[0-9a-f]{24}$/);
    expect(put!.headers.authorization).toMatch(/q-header-list=[^&]*x-cos-forbid-overwrite/);
    expect(put!.headers["x-cos-security-token"]).toBe(server.credentials.token);
  });

  it("plain put does not forbid overwriting", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    const start = server.requests.length;
    await store.put("groups/g/snapshot.json", "1");
    await store.put("groups/g/snapshot.json", "2");
    expect(ofKind(start, "PutObject").map((r) => r.headers["x-cos-forbid-overwrite"])).toEqual([undefined, undefined]);
    expect(await store.get("groups/g/snapshot.json")).toBe("2");
  });

  it("follows IsTruncated/NextMarker page by page", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    for (const id of ["a", "b", "c", "d", "e"]) await store.put(`groups/g/events/${id}.json`, "{}");
    server.faults.pageSize = 2;
    const start = server.requests.length;
    try {
      expect(await store.list("groups/g/events/")).toEqual(["a", "b", "c", "d", "e"].map((id) => `groups/g/events/${id}.json`));
    } finally {
      server.faults.clear();
    }
    const markers = ofKind(start, "GetBucket").map((r) => r.query.marker ?? "");
    expect(markers).toEqual(["", `${prefix}groups/g/events/b.json`, `${prefix}groups/g/events/d.json`]);
  });

  it("reports its own write as created when the answer to it was lost (no false duplicate)", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }), noPause);
    await store.check();
    server.faults.failNext({ on: "PutObject", mode: "drop-after-apply" });
    expect(await store.createExclusive("events/lost-answer.json", "mine")).toBe(true);
    // Someone else's object behind the same answerless pattern is still a duplicate.
    server.objects.put(`${prefix}events/taken.json`, "theirs");
    server.faults.failNext({ on: "PutObject", mode: "drop" });
    expect(await store.createExclusive("events/taken.json", "mine")).toBe(false);
    expect(server.objects.text(`${prefix}events/taken.json`)).toBe("theirs");
  });

  it("tells two writers of byte-identical bodies apart after a lost answer (by nonce, not by body)", async () => {
    const prefix = freshPrefix();
    const a = createCosObjectStore(server.storeConfig({ prefix }), noPause);
    const b = createCosObjectStore(server.storeConfig({ prefix }), noPause);
    const claim = JSON.stringify({ state: "pending", requestHash: "h", createdAt: 1 });
    expect(await a.createExclusive("idempotency/k.json", claim)).toBe(true);
    server.faults.failNext({ on: "PutObject", mode: "drop" });
    expect(await b.createExclusive("idempotency/k.json", claim)).toBe(false);
  });

  it("retries 5xx answers, then succeeds", async () => {
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), noPause);
    server.faults.failNext({ on: "PutObject", mode: "unavailable", count: 2 });
    server.faults.failNext({ on: "GetObject", mode: "internal", count: 2 });
    expect(await store.createExclusive("events/m.json", "x")).toBe(true);
    expect(await store.get("events/m.json")).toBe("x");
    expect(server.faults.pending()).toBe(0);
  });

  it("never lets the SDK retry on its own: one request per attempt, 4xx never retried", async () => {
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), { ...noPause, maxAttempts: 3 });
    await store.check();
    const start = server.requests.length;
    try {
      server.faults.failNext({ on: "GetBucket", mode: "unavailable", count: 10 });
      await expect(store.list("a/")).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(ofKind(start, "GetBucket")).toHaveLength(3);
      server.faults.clear();
      const again = server.requests.length;
      server.faults.failNext({ on: "GetObject", mode: "denied", count: 10 });
      await expect(store.get("a/b.json")).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(ofKind(again, "GetObject")).toHaveLength(1);
    } finally {
      server.faults.clear();
    }
  });

  it("backs off after 503 SlowDown (longer than after other 5xx) and stops before the deadline", async () => {
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), {
      random: () => 1,
      retryBaseMs: 10,
      slowDownBaseMs: 200,
    });
    await store.check();
    try {
      const start = server.requests.length;
      server.faults.failNext({ on: "PutObject", mode: "slowdown", count: 100 });
      const deadline = Date.now() + 2_000;
      await expect(store.put("a.json", "x", { deadline })).rejects.toBeInstanceOf(StoreUnavailableError);
      const slow = ofKind(start, "PutObject");
      // Pauses of at least 200, 400, 800 ms: no more than four attempts fit in two seconds, none after.
      expect(slow.length).toBeGreaterThanOrEqual(2);
      expect(slow.length).toBeLessThanOrEqual(4);
      slow.slice(1).forEach((r, i) => expect(r.at - slow[i]!.at).toBeGreaterThanOrEqual(190 * 2 ** i));
      expect(slow.every((r) => r.errorCode === "SlowDown" && r.at < deadline)).toBe(true);
      server.faults.clear();
      const fast = server.requests.length;
      server.faults.failNext({ on: "PutObject", mode: "unavailable", count: 100 });
      // After ordinary 503s the pauses start at 10 ms: the six attempts allowed fit in the same time.
      await expect(store.put("a.json", "x", { deadline: Date.now() + 2_000 })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(ofKind(fast, "PutObject")).toHaveLength(6);
    } finally {
      server.faults.clear();
    }
  });

  it("aborts a request that is still running at the deadline, and sends no retry after it", async () => {
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), { ...noPause, attemptTimeoutMs: 60_000 });
    await store.check();
    const start = server.requests.length;
    server.faults.failNext({ on: "any", mode: "hang", count: Number.POSITIVE_INFINITY });
    try {
      const deadline = Date.now() + 300;
      await expect(store.createExclusive("events/m.json", "x", { deadline })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now()).toBeLessThan(deadline + 2_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const sent = requestsSince(start);
      expect(sent.length).toBeGreaterThanOrEqual(1);
      // Every attempt was cut off by the client, none left running; none started after the deadline.
      expect(sent.every((r) => r.abandoned === true)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(requestsSince(start)).toHaveLength(sent.length);
    } finally {
      server.faults.clear();
    }
  });

  it.each([
    ["wrong secret key", { secretKey: "not-the-key" }, "SignatureDoesNotMatch"],
    ["unknown secret id", { secretId: "AKIDunknown" }, "InvalidAccessKeyId"],
    ["missing session token", { token: undefined }, "InvalidAccessKeyId"],
  ])("%s → StoreUnavailableError naming the COS code, never the credentials", async (_, change, code) => {
    const credentials = { ...server.credentials, ...change };
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix(), credentials }));
    const error = await store.put("groups/g/snapshot.json", "{}").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error!.message).toContain(code);
    const shown = `${error!.message} ${JSON.stringify(error!.cause)}`;
    for (const secret of [credentials.secretKey, server.credentials.secretKey, server.credentials.token!]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("gives up on a server that never answers, within its bounds", async () => {
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }), {
      attemptTimeoutMs: 150,
      operationTimeoutMs: 1_000,
      maxAttempts: 2,
    });
    server.faults.failNext({ on: "any", mode: "hang", count: Number.POSITIVE_INFINITY });
    try {
      await expect(store.createExclusive("events/m.json", "x")).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.get("events/m.json")).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      server.faults.clear();
    }
  });

  it("refuses a malformed endpoint at construction", () => {
    expect(() => createCosObjectStore({ ...server.storeConfig(), endpoint: "127.0.0.1:9000" })).toThrow(ConfigError);
  });
});

describe("COS adapter: buckets whose versioning was ever enabled", () => {
  it.each(["Enabled", "Suspended"] as const)(
    "%s: every call is refused with a code naming the cause, nothing is written, the bucket is asked once",
    async (status) => {
      const versioned = await startCosServer({ versioning: status });
      try {
        const store = createCosObjectStore(versioned.storeConfig());
        const calls: Array<[string, () => Promise<unknown>]> = [
          ["check", () => store.check()],
          ["createExclusive", () => store.createExclusive("a.json", "{}")],
          ["put", () => store.put("a.json", "{}")],
          ["get", () => store.get("a.json")],
          ["list", () => store.list("")],
          ["listPage", () => store.listPage("")],
          ["delete", () => store.delete("a.json")],
        ];
        for (const [name, call] of calls) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect([name, error]).toEqual([name, expect.any(BucketVersioned)]);
          expect(error).toMatchObject({ httpStatus: 503, code: "ResourceUnavailable.CosBucketVersioning", expose: true });
        }
        expect(versioned.objects.keys()).toEqual([]);
        expect(versioned.requests.filter((r) => r.operation === "GetBucketVersioning")).toHaveLength(1);
        expect(versioned.requests.filter((r) => r.operation === "PutObject" || r.operation === "DeleteObject")).toEqual([]);
      } finally {
        await versioned.stop();
      }
    },
  );

  it("refuses from the first write answered with a version id (versioning turned on after the check)", async () => {
    const later = await startCosServer();
    try {
      const store = createCosObjectStore(later.storeConfig());
      expect(await store.createExclusive("a.json", "{}")).toBe(true);
      later.setVersioning("Enabled");
      await expect(store.put("b.json", "{}")).rejects.toBeInstanceOf(BucketVersioned);
      await expect(store.createExclusive("c.json", "{}")).rejects.toBeInstanceOf(BucketVersioned);
      expect(later.objects.keys()).toEqual(["test/a.json", "test/b.json"]);
    } finally {
      await later.stop();
    }
  });

  it("refuses (and says what permission is missing) when the role may not read the bucket's versioning, and asks again later", async () => {
    const denied = await startCosServer();
    try {
      const store = createCosObjectStore(denied.storeConfig(), { recheckAfterMs: 0 });
      denied.faults.failNext({ on: "GetBucketVersioning", mode: "denied" });
      const error = await store.put("a.json", "{}").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BucketCheckFailed);
      expect(error).toMatchObject({ httpStatus: 503, code: "ResourceUnavailable.CosBucketCheck" });
      expect((error as Error).message).toContain("cos:GetBucketVersioning");
      expect(denied.objects.keys()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.put("a.json", "{}");
      expect(denied.objects.keys()).toEqual(["test/a.json"]);
    } finally {
      await denied.stop();
    }
  });

  it("asks again after an outage of the check itself (a 5xx is not a verdict)", async () => {
    const flaky = await startCosServer();
    try {
      const store = createCosObjectStore(flaky.storeConfig(), { maxAttempts: 1 });
      flaky.faults.failNext({ on: "GetBucketVersioning", mode: "internal" });
      await expect(store.put("a.json", "{}")).rejects.toBeInstanceOf(StoreUnavailableError);
      await store.put("a.json", "{}");
      expect(flaky.objects.keys()).toEqual(["test/a.json"]);
    } finally {
      await flaky.stop();
    }
  });
});
