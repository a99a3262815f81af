import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { ownerIdOf } from "../../../shared/auth/ownership";
import { listGroups, MAX_SCANNED, parseListQuery } from "../../../shared/groups/list-groups";
import { createLogger } from "../../../shared/log/logger";
import { createCosObjectStore } from "../../../shared/object-store";
import type { ObjectStore } from "../../../shared/object-store/port";
import type { GroupRecord, StatusEvent } from "../../../shared/status-store/model";
import type { StatusStore } from "../../../shared/status-store/port";
import { createStatusStore } from "../../../shared/status-store";
import { startCosServer, type CosTestServer } from "../../support/cos-server";
import { memoryObjectStore } from "../../support/memory-object-store";

/**
 * The group list: newest first, a cursor that neither repeats nor skips, the status filter, one
 * key's groups only — on the in-memory store and on the COS test server with lagging listings.
 */
const log = createLogger({ level: "error" });
const T0 = Date.parse("2026-03-01T00:00:00Z");
const KEY_A = hashApiKey("list-key-a");
const KEY_B = hashApiKey("list-key-b");
const id = (n: number) => `G${String(n).padStart(31, "0")}`;

function record(n: number, owner?: string): GroupRecord {
  return {
    edition: "ess",
    flowGroupId: id(n),
    flowGroupName: `group ${n}`,
    flowIds: [`F${String(n).padStart(31, "0")}`],
    flows: [{ flowId: `F${String(n).padStart(31, "0")}`, approvers: [] }],
    createdAt: new Date(T0 + n * 1000).toISOString(),
    owner,
  };
}

const allSigned = (n: number): StatusEvent => ({
  msgId: `M${n}`,
  msgType: "FlowStatusChange",
  edition: "ess",
  source: "callback",
  receivedAt: new Date(T0 + n * 1000 + 500).toISOString(),
  occurTime: Math.floor((T0 + n * 1000 + 500) / 1000),
  flowGroupId: id(n),
  flowId: `F${String(n).padStart(31, "0")}`,
  flowStatus: "ALL",
  raw: {},
});

async function seeded(objects: ObjectStore, count: number, owner = (n: number) => (n % 3 === 0 ? ownerIdOf(KEY_B) : ownerIdOf(KEY_A))) {
  const store = createStatusStore(objects, { clock: () => new Date(T0 + 10_000_000) });
  for (let n = 1; n <= count; n++) await store.recordGroup(record(n, owner(n)));
  return store;
}

/** Every page from the start, following NextCursor. */
async function everyPage(store: StatusStore, query: Record<string, string>, principal?: string) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listGroups({ query: { ...query, ...(cursor ? { cursor } : {}) }, principal }, { store, log });
    pages.push(page.FlowGroups.map((g) => g.FlowGroupId));
    cursor = page.NextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("parseListQuery", () => {
  it.each([
    [{}, { limit: 20 }],
    [
      { limit: "50", status: "PART" },
      { limit: 50, statuses: new Set(["PART"]) },
    ],
    [{ status: "all, reject" }, { limit: 20, statuses: new Set(["ALL", "REJECT"]) }],
  ])("takes %j", (query, expected) => {
    expect(parseListQuery(query)).toEqual(expected);
  });

  it.each([
    [{ stauts: "PART" }, "stauts"],
    [{ limit: "0" }, "limit"],
    [{ limit: "101" }, "limit"],
    [{ limit: "1e2" }, "limit"],
    [{ status: "SIGNED" }, "status"],
    [{ status: "" }, "status"],
    [{ cursor: "not a cursor!" }, "cursor"],
    [{ cursor: Buffer.from("../../groups/x.json").toString("base64url") }, "cursor"],
  ])("refuses %j, naming %s", (query, path) => {
    expect(() => parseListQuery(query)).toThrowError(
      expect.objectContaining({ httpStatus: 400, issues: [expect.objectContaining({ Path: path })] }),
    );
  });
});

describe("listGroups on the in-memory store", () => {
  it("newest first, page after page, every group once", async () => {
    const store = await seeded(memoryObjectStore(), 25, () => ownerIdOf(KEY_A));
    const pages = await everyPage(store, { limit: "10" }, KEY_A);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_v, i) => id(25 - i)));
  });

  it("one key sees only the groups it created; with authentication off, all of them", async () => {
    const store = await seeded(memoryObjectStore(), 9);
    expect((await everyPage(store, {}, KEY_B)).flat()).toEqual([id(9), id(6), id(3)]);
    expect((await everyPage(store, {}, KEY_A)).flat()).toHaveLength(6);
    expect((await everyPage(store, {}, undefined)).flat()).toHaveLength(9);
    expect((await everyPage(store, {}, hashApiKey("a third key"))).flat()).toEqual([]);
    // From its own index: a key's page never examines another key's groups.
    const own = await store.listGroups({ owner: ownerIdOf(KEY_B), limit: 100 });
    expect(own.entries.map((e) => e.flowGroupId)).toEqual([id(9), id(6), id(3)]);
  });

  it("the status filter reads each group's status as GET /flow-groups/{id} does", async () => {
    const store = await seeded(memoryObjectStore(), 12, () => ownerIdOf(KEY_A));
    for (const n of [2, 5, 11]) await store.recordEvent(allSigned(n));
    const page = await listGroups({ query: { status: "ALL" }, principal: KEY_A }, { store, log });
    expect(page.FlowGroups.map((g) => [g.FlowGroupId, g.Status, g.FlowStatuses])).toEqual([
      [id(11), "ALL", { ALL: 1 }],
      [id(5), "ALL", { ALL: 1 }],
      [id(2), "ALL", { ALL: 1 }],
    ]);
    expect(page.NextCursor).toBeUndefined();
    const rest = await everyPage(store, { status: "INIT", limit: "4" }, KEY_A);
    expect(rest.flat()).toEqual([12, 10, 9, 8, 7, 6, 4, 3, 1].map(id));
  });

  it(`a filter few groups match examines at most ${MAX_SCANNED} groups per page and says where to go on`, async () => {
    const total = MAX_SCANNED + 30;
    const store = await seeded(memoryObjectStore(), total, () => ownerIdOf(KEY_A));
    await store.recordEvent(allSigned(1));
    const first = await listGroups({ query: { status: "ALL" }, principal: KEY_A }, { store, log });
    expect(first.FlowGroups).toEqual([]);
    expect(first.NextCursor).toBeDefined();
    const second = await listGroups({ query: { status: "ALL", cursor: first.NextCursor! }, principal: KEY_A }, { store, log });
    expect(second.FlowGroups.map((g) => g.FlowGroupId)).toEqual([id(1)]);
    expect(second.NextCursor).toBeUndefined();
  });

  it("a listing that lags hides a group created a moment ago from the first page, and never skips it", async () => {
    const objects = memoryObjectStore();
    const store = await seeded(objects, 6, () => ownerIdOf(KEY_A));
    const first = await listGroups({ query: { limit: "3" }, principal: KEY_A }, { store, log });
    objects.lagListings();
    await store.recordGroup(record(7, ownerIdOf(KEY_A)));
    // Older pages are unaffected; the new group is not listed yet (but readable by id).
    const second = await listGroups({ query: { limit: "3", cursor: first.NextCursor! }, principal: KEY_A }, { store, log });
    expect(second.FlowGroups.map((g) => g.FlowGroupId)).toEqual([id(3), id(2), id(1)]);
    expect((await everyPage(store, {}, KEY_A)).flat()).not.toContain(id(7));
    expect(await store.getGroup(id(7))).toBeDefined();
    objects.catchUp();
    expect((await everyPage(store, {}, KEY_A)).flat()[0]).toBe(id(7));
  });
});

describe("listGroups on COS (the test server, listings lagging)", () => {
  let server: CosTestServer;
  beforeAll(async () => {
    server = await startCosServer();
  });
  afterAll(() => server.stop());

  it("pages through 120 groups newest first on GET Bucket pages; a group written during the lag shows once COS lists it", async () => {
    const objects = createCosObjectStore(server.storeConfig({ prefix: "list-groups/" }));
    const store = await seeded(objects, 120, () => ownerIdOf(KEY_A));
    const pages = await everyPage(store, { limit: "50" }, KEY_A);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(Array.from({ length: 120 }, (_v, i) => id(120 - i)));

    server.listing.lagMs = 3_600_000;
    await store.recordGroup(record(121, ownerIdOf(KEY_A)));
    expect((await listGroups({ query: { limit: "1" }, principal: KEY_A }, { store, log })).FlowGroups[0]!.FlowGroupId).toBe(id(120));
    server.listing.catchUp();
    server.listing.lagMs = 0;
    expect((await listGroups({ query: { limit: "1" }, principal: KEY_A }, { store, log })).FlowGroups[0]!.FlowGroupId).toBe(id(121));
  });
});
