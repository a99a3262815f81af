import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidObjectKeyError } from "../../../shared/object-store/keys";
import { StoreUnavailableError } from "../../../shared/errors/store-errors";
import type { ObjectStore } from "../../../shared/object-store/port";

/** One adapter under test, fresh and empty for every test. */
export interface ObjectStoreSubject {
  store: ObjectStore;
  /** Most keys one listing page holds in the backend, when it pages (COS); forces pagination. */
  pageSize?: number;
  /** Makes every further call of the backend fail (disk gone, COS answering 5xx…). */
  breakBackend(): Promise<void> | void;
  /** Strings that must never appear in an error (credentials). */
  secrets: string[];
  /**
   * Waits until listings show every write made so far (COS: listings are eventually consistent).
   * Listing tests call it first; everything else must hold without it.
   */
  settle?(): Promise<void> | void;
  cleanup(): Promise<void>;
}

const OPERATIONS: Array<[string, (store: ObjectStore, key: string) => Promise<unknown>]> = [
  ["createExclusive", (store, key) => store.createExclusive(key, "{}")],
  ["put", (store, key) => store.put(key, "{}")],
  ["get", (store, key) => store.get(key)],
  ["getBytes", (store, key) => store.getBytes(key)],
  ["delete", (store, key) => store.delete(key)],
];

const PREFIX_OPERATIONS: Array<[string, (store: ObjectStore, prefix: string) => Promise<unknown>]> = [
  ["list", (store, prefix) => store.list(prefix)],
  ["listPage", (store, prefix) => store.listPage(prefix)],
];

const INVALID_KEYS: Array<[string, string]> = [
  ["empty", ""],
  ["absolute", "/etc/passwd"],
  ["parent segment", "groups/../../etc/passwd"],
  ["current segment", "groups/./a.json"],
  ["backslash", "groups\\a.json"],
  ["double slash", "groups//a.json"],
  ["trailing slash", "groups/a/"],
  ["dot file", "groups/.a.json.tmp"],
  ["space", "groups/a b.json"],
  ["NUL", "groups/a\u0000.json"],
];

/**
 * The `ObjectStore` contract, run against every adapter: what `StatusStore` relies on and nothing
 * else. `makeSubject` is called before each test and must return an empty store.
 */
export function describeObjectStoreContract(name: string, makeSubject: () => Promise<ObjectStoreSubject>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ObjectStoreSubject;
    let store: ObjectStore;

    beforeEach(async () => {
      subject = await makeSubject();
      store = subject.store;
    });
    /** A listing once the backend's listings have caught up. */
    const listed = async (prefix: string) => {
      await subject.settle?.();
      return store.list(prefix);
    };
    const listedPage = async (prefix: string, options: Parameters<ObjectStore["listPage"]>[1]) => {
      await subject.settle?.();
      return store.listPage(prefix, options);
    };
    afterEach(async () => {
      await subject.cleanup();
    });

    describe("createExclusive", () => {
      it("creates a key once and leaves the first body in place", async () => {
        expect(await store.createExclusive("events/m1.json", '{"n":1}')).toBe(true);
        expect(await store.createExclusive("events/m1.json", '{"n":2}')).toBe(false);
        expect(await store.get("events/m1.json")).toBe('{"n":1}');
      });

      it("lets exactly one of many concurrent attempts win, and keeps the winner's body", async () => {
        const bodies = Array.from({ length: 16 }, (_, i) => JSON.stringify({ attempt: i, pad: "x".repeat(2000) }));
        const results = await Promise.all(bodies.map((body) => store.createExclusive("events/race.json", body)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get("events/race.json")).toBe(bodies[results.indexOf(true)]);
      });

      it("refuses a key that put wrote", async () => {
        await store.put("groups/g/snapshot.json", "a");
        expect(await store.createExclusive("groups/g/snapshot.json", "b")).toBe(false);
        expect(await store.get("groups/g/snapshot.json")).toBe("a");
      });
    });

    describe("put and get", () => {
      it("round-trips UTF-8 text exactly", async () => {
        const body = JSON.stringify({ name: "张三", note: "签署完成 ✅", nested: { quote: "\"'<&>" } });
        await store.put("groups/g1/snapshot.json", body);
        expect(await store.get("groups/g1/snapshot.json")).toBe(body);
      });

      it("answers undefined for a key that was never written", async () => {
        expect(await store.get("groups/none/snapshot.json")).toBeUndefined();
      });

      it("stores bytes as given and reads them back as UTF-8 text", async () => {
        const bytes = new TextEncoder().encode(JSON.stringify({ 合同: "签署" }));
        expect(await store.createExclusive("archive/g/f.json", bytes)).toBe(true);
        expect(await store.get("archive/g/f.json")).toBe(JSON.stringify({ 合同: "签署" }));
        await store.put("archive/g/f.json", new Uint8Array([0x7b, 0x7d]));
        expect(await store.get("archive/g/f.json")).toBe("{}");
      });

      it("keeps bytes exactly: every byte value, invalid UTF-8 included, reads back with getBytes", async () => {
        const pdf = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) % 256);
        await store.put("archive/g/f.pdf", pdf, { contentType: "application/pdf" });
        expect(Buffer.from((await store.getBytes("archive/g/f.pdf"))!).equals(Buffer.from(pdf))).toBe(true);
        expect(await store.createExclusive("archive/g/e.pdf", new Uint8Array([0xff, 0xfe, 0x00, 0x80]))).toBe(true);
        expect([...(await store.getBytes("archive/g/e.pdf"))!]).toEqual([0xff, 0xfe, 0x00, 0x80]);
        expect(await store.getBytes("archive/g/none.pdf")).toBeUndefined();
        await store.put("archive/g/t.json", "签署");
        expect(Buffer.from((await store.getBytes("archive/g/t.json"))!).toString("utf8")).toBe("签署");
      });

      it("replaces a body; concurrent readers see one whole body, never a mix", async () => {
        const a = "a".repeat(256 * 1024);
        const b = "b".repeat(200 * 1024);
        await store.put("groups/g/snapshot.json", a);
        const writes = Array.from({ length: 6 }, (_, i) => store.put("groups/g/snapshot.json", i % 2 === 0 ? b : a));
        const reads = Array.from({ length: 12 }, () => store.get("groups/g/snapshot.json"));
        const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
        for (const body of seen) expect(body === a || body === b).toBe(true);
        // Concurrent puts may finish in any order; a later put replaces whichever won.
        const settled = await store.get("groups/g/snapshot.json");
        expect(settled === a || settled === b).toBe(true);
        await store.put("groups/g/snapshot.json", "last");
        expect(await store.get("groups/g/snapshot.json")).toBe("last");
      });
    });

    describe("list", () => {
      it("returns every key under a prefix in lexical order, whatever the write order", async () => {
        const keys = [
          "groups/b/events/2.json",
          "groups/a/group.json",
          "groups/b/events/10.json",
          "flows/f/group.json",
          "groups/b/snapshot.json",
          "events/~ab.json",
          "events/Z.json",
        ];
        for (const key of [...keys].reverse()) await store.put(key, "{}");
        expect(await listed("")).toEqual([...keys].sort());
        expect(await listed("groups/b/")).toEqual(["groups/b/events/10.json", "groups/b/events/2.json", "groups/b/snapshot.json"]);
        expect(await listed("groups/b/events/")).toEqual(["groups/b/events/10.json", "groups/b/events/2.json"]);
      });

      it("matches a prefix that ends inside a segment, and nothing beside it", async () => {
        for (const key of ["groups/ab/x.json", "groups/a/x.json", "groups/abc.json", "groups/b/x.json"]) await store.put(key, "{}");
        expect(await listed("groups/ab")).toEqual(["groups/ab/x.json", "groups/abc.json"]);
      });

      it("answers an empty list for a prefix with no keys", async () => {
        await store.put("groups/a/x.json", "{}");
        expect(await listed("groups/zz/")).toEqual([]);
      });

      it("follows pagination: returns more keys than one page holds, each once", async () => {
        const count = (subject.pageSize ?? 10) * 3 + 1;
        const keys = Array.from({ length: count }, (_, i) => `groups/many/events/m${String(i).padStart(4, "0")}.json`);
        await Promise.all(keys.map((key) => store.createExclusive(key, "{}")));
        await store.put("groups/other/x.json", "{}");
        expect(await listed("groups/many/")).toEqual(keys);
      });
    });

    describe("listPage", () => {
      const keys = Array.from({ length: 7 }, (_, i) => `created/${String(9 - i).padStart(4, "0")}-g${i}.json`);

      it("pages through a prefix in key order with startAfter, each key once", async () => {
        for (const key of keys) await store.createExclusive(key, "{}");
        await store.put("createdX.json", "{}");
        const seen: string[] = [];
        let startAfter: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await listedPage("created/", { limit: 3, ...(startAfter !== undefined ? { startAfter } : {}) });
          seen.push(...result.keys);
          if (!result.truncated) break;
          expect(result.keys).toHaveLength(3);
          startAfter = result.keys[result.keys.length - 1];
        }
        expect(seen).toEqual([...keys].sort());
      });

      it("starts after a key that does not exist, and answers an empty last page", async () => {
        for (const key of keys) await store.createExclusive(key, "{}");
        const sorted = [...keys].sort();
        const page = await listedPage("created/", { startAfter: `${sorted[2]!}~`, limit: 100 });
        expect(page).toEqual({ keys: sorted.slice(3), truncated: false });
        expect(await listedPage("created/", { startAfter: sorted[6]! })).toEqual({ keys: [], truncated: false });
      });
    });

    describe("check", () => {
      it("passes on a store that honours create-exclusive writes", async () => {
        await expect(store.check()).resolves.toBeUndefined();
      });
    });

    describe("delete", () => {
      it("removes a key, then the key can be created again", async () => {
        await store.put("flows/f/events/m.json", "{}");
        await store.delete("flows/f/events/m.json");
        expect(await store.get("flows/f/events/m.json")).toBeUndefined();
        expect(await listed("flows/f/")).toEqual([]);
        expect(await store.createExclusive("flows/f/events/m.json", "again")).toBe(true);
      });

      it("is not an error for a missing key, twice", async () => {
        await expect(store.delete("flows/none/events/m.json")).resolves.toBeUndefined();
        await expect(store.delete("flows/none/events/m.json")).resolves.toBeUndefined();
      });
    });

    describe("errors", () => {
      it.each(INVALID_KEYS)("refuses a key that is %s, before touching storage", async (_, key) => {
        for (const [, run] of OPERATIONS) await expect(run(store, key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        expect(await store.list("")).toEqual([]);
      });

      it.each(["/abs", "a//b", "a/../b", "a/.hidden"])("refuses the listing prefix %j", async (prefix) => {
        for (const [, run] of PREFIX_OPERATIONS) await expect(run(store, prefix)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      });

      it.each(OPERATIONS)("%s on a failing backend throws StoreUnavailableError without secrets", async (_, run) => {
        await store.put("groups/g/snapshot.json", "{}");
        await subject.breakBackend();
        const error = await run(store, "groups/g/snapshot.json").then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StoreUnavailableError);
        const shown = `${String(error)} ${JSON.stringify((error as Error).cause ?? null)}`;
        for (const secret of subject.secrets) expect(shown).not.toContain(secret);
      });

      it.each(PREFIX_OPERATIONS)("%s on a failing backend throws StoreUnavailableError (never an empty list)", async (_, run) => {
        await store.put("groups/g/snapshot.json", "{}");
        await subject.breakBackend();
        await expect(run(store, "groups/")).rejects.toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
