import { describe, expect, it } from "vitest";
import { memoryObjectStore } from "../../support/memory-object-store";
import { describeObjectStoreContract } from "./object-store.contract";

// The fake the status-store and idempotency tests use honours the same contract as the adapters.
describeObjectStoreContract("in-memory test fake", async () => {
  const store = memoryObjectStore();
  return { store, breakBackend: () => store.breakBackend(), secrets: [], cleanup: async () => {} };
});

describeObjectStoreContract("in-memory test fake, listings lagging", async () => {
  const store = memoryObjectStore();
  store.lagListings();
  return { store, breakBackend: () => store.breakBackend(), settle: () => store.catchUp(), secrets: [], cleanup: async () => {} };
});

describe("in-memory fake: lagging listings", () => {
  it("hides new keys and keeps deleted ones in listings until catchUp, while single-key reads see the truth", async () => {
    const store = memoryObjectStore();
    await store.put("a/old.json", "1");
    store.lagListings();
    await store.createExclusive("a/new.json", "2");
    await store.delete("a/old.json");
    expect(await store.list("a/")).toEqual(["a/old.json"]);
    expect(await store.get("a/new.json")).toBe("2");
    expect(await store.get("a/old.json")).toBeUndefined();
    store.catchUp();
    expect(await store.list("a/")).toEqual(["a/new.json"]);
  });
});
