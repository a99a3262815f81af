import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { ownerIdOf } from "../../../shared/auth/ownership";
import type { EssPort } from "../../../shared/ess/port";
import type { HttpEvent } from "../../../shared/http/scf-types";
import { silentLogger } from "../../../shared/log/logger";
import type { GroupRecord } from "../../../shared/status-store/model";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { unusedEss } from "../../support/unused-ess";

/**
 * group-status with fakes behind its ports: per-key ownership of groups (audit finding 7). A key
 * that did not create a group gets the same 404 as for a group that does not exist, for a read,
 * for `?refresh=1` (ESS is not asked) and for the events.
 */
const KEY_A = "essk_group_status_key_a_0123456789";
const KEY_B = "essk_group_status_key_b_9876543210";
const OWNED = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const LEGACY = "yDwJ7UUckpk84praUyPWcjISDLsIVxy2";
let handlerModule: typeof import("../../../functions/group-status/handler");

beforeAll(async () => {
  vi.stubEnv("ESS_SECRET_ID", "AKIDgroupStatusTest");
  vi.stubEnv("ESS_SECRET_KEY", "groupStatusTestSecretKey");
  vi.stubEnv("API_KEY_HASHES", hashApiKey(KEY_A));
  vi.stubEnv("STORE", "file");
  vi.stubEnv("STORE_DIR", "/nonexistent-group-status-handler-test");
  vi.stubEnv("LOG_LEVEL", "error");
  handlerModule = await import("../../../functions/group-status/handler");
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const record = (flowGroupId: string, owner?: string): GroupRecord => ({
  edition: "ess",
  flowGroupId,
  flowGroupName: "租赁合同组",
  flowIds: ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP"],
  flows: [{ flowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP", approvers: [] }],
  createdAt: "2026-11-23T09:00:00.000Z",
  caller: { edition: "ess", operatorUserId: "creator" },
  owner,
});

async function build() {
  const clock = () => new Date("2026-11-23T10:00:00Z");
  const store = createStatusStore(memoryObjectStore(), { clock });
  await store.recordGroup(record(OWNED, ownerIdOf(hashApiKey(KEY_A))));
  await store.recordGroup(record(LEGACY));
  const described: string[] = [];
  const timeouts: Array<number | undefined> = [];
  const ess: EssPort = {
    ...unusedEss(),
    createFlowGroup: async () => {
      throw new Error("not used");
    },
    describeGroup: async (id, _identity, options) => {
      described.push(id);
      timeouts.push(options?.timeoutMs);
      return { flows: [{ flowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP", status: "PART", approvers: [] }], requestId: "d1" };
    },
  };
  const handler = handlerModule.createHandler({
    auth: { mode: "api-keys", keyHashes: [KEY_A, KEY_B].map((k) => Buffer.from(hashApiKey(k), "hex")) },
    store,
    ess: async () => ess,
    identity: {},
    clock,
    log: silentLogger,
  });
  return { handler, described, timeouts };
}

function get(path: string, key: string, query: Record<string, string> = {}): HttpEvent {
  return { httpMethod: "GET", path, headers: { authorization: `Bearer ${key}` }, queryString: query } as HttpEvent;
}

describe("per-key ownership of groups", () => {
  it.each([
    ["the status", `/flow-groups/${OWNED}`, {}],
    ["the status with ?refresh=1", `/flow-groups/${OWNED}`, { refresh: "1" }],
    ["the events", `/flow-groups/${OWNED}/events`, {}],
  ])("another key reading %s gets 404, like an unknown group", async (_case, path, query) => {
    const { handler, described } = await build();
    const other = await handler(get(path, KEY_B, query), { request_id: "r" });
    const unknown = await handler(get(path.replace(OWNED, "A".repeat(32)), KEY_B, query), { request_id: "r" });
    expect(other.statusCode).toBe(404);
    expect(JSON.parse(other.body).Error.Code).toBe(JSON.parse(unknown.body).Error.Code);
    expect(described).toEqual([]);
  });

  it.each([
    ["the status", `/flow-groups/${OWNED}`, {}],
    ["the status with ?refresh=1", `/flow-groups/${OWNED}`, { refresh: "1" }],
    ["the events", `/flow-groups/${OWNED}/events`, {}],
  ])("the creating key reads %s", async (_case, path, query) => {
    const { handler } = await build();
    expect((await handler(get(path, KEY_A, query), { request_id: "r" })).statusCode).toBe(200);
  });

  it("a group recorded without an owner (before owners, or with auth off) is readable by every key", async () => {
    const { handler } = await build();
    for (const key of [KEY_A, KEY_B]) expect((await handler(get(`/flow-groups/${LEGACY}`, key), { request_id: "r" })).statusCode).toBe(200);
  });

  it("the answer never shows the owner id", async () => {
    const { handler } = await build();
    const body = (await handler(get(`/flow-groups/${OWNED}`, KEY_A), { request_id: "r" })).body;
    expect(body).not.toContain(ownerIdOf(hashApiKey(KEY_A)));
  });
});

const FLOW = "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP";
const json = (result: { body: string }) => JSON.parse(result.body);

describe("routes: decode, one core call, map", () => {
  it("a plain read answers the stored status with the RequestId, without asking ESS", async () => {
    const { handler, described } = await build();
    const got = await handler(get(`/flow-groups/${OWNED}`, KEY_A), { request_id: "req-1" });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toMatchObject({ FlowGroupId: OWNED, FlowGroupName: "租赁合同组", Edition: "ess", RequestId: "req-1" });
    expect(json(got)).not.toHaveProperty("Reconciled");
    expect(described).toEqual([]);
  });

  it.each([
    [{ refresh: "1" }, true],
    [{ refresh: "true" }, true],
    [{ refresh: "0" }, false],
    [{ refresh: "yes" }, false],
    [{}, false],
  ])("%j asks ESS: %s", async (query, asks) => {
    const { handler, described } = await build();
    const got = await handler(get(`/flow-groups/${OWNED}`, KEY_A, query), { request_id: "r" });
    expect(got.statusCode).toBe(200);
    expect(described).toEqual(asks ? [OWNED] : []);
    if (asks) expect(json(got).Reconciled).toEqual({ EventsRecorded: 1, EssRequestId: "d1" });
  });

  it("gives ESS the function's remaining time less the margin", async () => {
    const { handler, timeouts } = await build();
    const context = { request_id: "r", getRemainingTimeInMillis: () => 10_000 };
    expect((await handler(get(`/flow-groups/${OWNED}`, KEY_A, { refresh: "1" }), context)).statusCode).toBe(200);
    expect(timeouts).toEqual([9_000]);
  });

  it("refuses an id ESS could not have issued with 400 naming FlowGroupId", async () => {
    const { handler } = await build();
    for (const path of ["/flow-groups/not-an-id", "/flow-groups/not-an-id/events"]) {
      const got = await handler(get(path, KEY_A), { request_id: "r" });
      expect(got.statusCode).toBe(400);
      expect(json(got).Error.Code).toContain("FlowGroupId");
    }
  });

  it("finds the group by one of its FlowIds and says so", async () => {
    const { handler } = await build();
    const got = await handler(get(`/flow-groups/${FLOW}`, KEY_A), { request_id: "r" });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toMatchObject({ FlowGroupId: expect.any(String), FoundByFlowId: FLOW });
  });

  it("answers 404 for a group the store never heard of", async () => {
    const { handler } = await build();
    expect((await handler(get(`/flow-groups/${"B".repeat(32)}`, KEY_A), { request_id: "r" })).statusCode).toBe(404);
  });

  it("lists the groups the caller's key created, and only those", async () => {
    const { handler } = await build();
    const ids = async (key: string) => {
      const got = await handler(get("/flow-groups", key), { request_id: "req-l" });
      expect(got.statusCode).toBe(200);
      expect(json(got).RequestId).toBe("req-l");
      return json(got).FlowGroups.map((group: { FlowGroupId: string }) => group.FlowGroupId);
    };
    expect(await ids(KEY_A)).toEqual([OWNED]);
    expect(await ids(KEY_B)).toEqual([]);
  });

  it("answers the events of a group, after a refresh recorded one", async () => {
    const { handler } = await build();
    await handler(get(`/flow-groups/${OWNED}`, KEY_A, { refresh: "1" }), { request_id: "r" });
    const got = await handler(get(`/flow-groups/${OWNED}/events`, KEY_A), { request_id: "req-e" });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toMatchObject({ FlowGroupId: OWNED, RequestId: "req-e" });
    expect(json(got).Events).toHaveLength(1);
  });
});
