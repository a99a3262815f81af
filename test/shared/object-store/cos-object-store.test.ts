import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/config/config";
import { createCosObjectStore } from "../../../shared/object-store/cos-object-store";
import { StoreUnavailableError } from "../../../shared/errors/store-errors";
import { startCosServer, type CosTestServer } from "../../support/cos-server";
import { describeObjectStoreContract } from "./object-store.contract";

let server: CosTestServer;
let prefixCounter = 0;
/** Each test gets its own prefix in the shared bucket, so tests never see each other's keys. */
const freshPrefix = () => `t${++prefixCounter}/`;

beforeAll(async () => {
  server = await startCosServer({ credentials: { secretId: "AKIDcontract0001", secretKey: "contract-secret-key-0001", token: "session-token-0001" } });
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

describe("COS adapter specifics", () => {
  const requestsSince = (start: number) => server.requests.slice(start);

  it("sends nothing until the first call (the client is built lazily)", async () => {
    const start = server.requests.length;
    const store = createCosObjectStore(server.storeConfig({ prefix: freshPrefix() }));
    expect(requestsSince(start)).toEqual([]);
    await store.get("events/none.json");
    expect(requestsSince(start)).toHaveLength(1);
  });

  it("writes under the configured prefix, signs x-cos-forbid-overwrite and sends the session token", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    const start = server.requests.length;
    expect(await store.createExclusive("events/m1.json", '{"a":1}')).toBe(true);
    expect(server.objects.text(`${prefix}events/m1.json`)).toBe('{"a":1}');
    const [put] = requestsSince(start);
    expect(put).toMatchObject({ operation: "PutObject", key: `${prefix}events/m1.json`, status: 200 });
    expect(put!.headers["x-cos-forbid-overwrite"]).toBe("true");
    expect(put!.headers.authorization).toMatch(/q-header-list=[^&]*x-cos-forbid-overwrite/);
    expect(put!.headers["x-cos-security-token"]).toBe(server.credentials.token);
  });

  it("plain put does not forbid overwriting", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    const start = server.requests.length;
    await store.put("groups/g/snapshot.json", "1");
    await store.put("groups/g/snapshot.json", "2");
    expect(requestsSince(start).map((r) => r.headers["x-cos-forbid-overwrite"])).toEqual([undefined, undefined]);
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
    const markers = requestsSince(start).map((r) => r.query.marker ?? "");
    expect(markers).toEqual(["", `${prefix}groups/g/events/b.json`, `${prefix}groups/g/events/d.json`]);
  });

  it("reports its own write as created when the answer to it was lost (no false duplicate)", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    server.faults.failNext({ on: "PutObject", mode: "drop-after-apply" });
    expect(await store.createExclusive("events/lost-answer.json", "mine")).toBe(true);
    // Someone else's body behind the same answerless pattern is still a duplicate.
    server.objects.put(`${prefix}events/taken.json`, "theirs");
    server.faults.failNext({ on: "PutObject", mode: "drop" });
    expect(await store.createExclusive("events/taken.json", "mine")).toBe(false);
    expect(server.objects.text(`${prefix}events/taken.json`)).toBe("theirs");
  });

  it("retries a create-exclusive write that failed with 503, then succeeds", async () => {
    const prefix = freshPrefix();
    const store = createCosObjectStore(server.storeConfig({ prefix }));
    server.faults.failNext({ on: "PutObject", mode: "unavailable", count: 2 });
    expect(await store.createExclusive("events/m.json", "x")).toBe(true);
    expect(server.faults.pending()).toBe(0);
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
      createAttempts: 2,
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
