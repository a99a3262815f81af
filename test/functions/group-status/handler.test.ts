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
  const ess: EssPort = {
    ...unusedEss(),
    createFlowGroup: async () => {
      throw new Error("not used");
    },
    describeGroup: async (id) => {
      described.push(id);
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
  return { handler, described };
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
