import { existsSync } from "node:fs";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFileObjectStore } from "../../../shared/object-store/file-object-store";
import { describeObjectStoreContract } from "./object-store.contract";

/** The store's flushes go through here, so a test can watch them (every other call is the real one). */
const flushes = vi.hoisted(() => ({ watch: undefined as ((fd: number) => void) | undefined }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) =>
    real.fsync(fd, (error) => {
      if (!error) flushes.watch?.(fd);
      callback(error);
    })) as typeof real.fsync;
  return { ...real, default: { ...real, fsync }, fsync };
});

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "ess-file-store-"));
}

/** Every file below `dir`, relative, including dot-files. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

describeObjectStoreContract("file adapter", async () => {
  const parent = await tempDir();
  const root = path.join(parent, "store");
  return {
    store: createFileObjectStore(root),
    async breakBackend() {
      // The store's folder becomes a file: every path below it now fails with ENOTDIR.
      await fs.rm(root, { recursive: true, force: true });
      await fs.writeFile(root, "not a folder");
    },
    secrets: [],
    cleanup: () => fs.rm(parent, { recursive: true, force: true }),
  };
});

describe("file adapter specifics", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("stores each key as one file at the path the key names, creating folders as needed", async () => {
    const store = createFileObjectStore(dir);
    await store.put("groups/g1/snapshot.json", "{}");
    expect(await store.createExclusive("events/m1.json", "{}")).toBe(true);
    expect(await filesBelow(dir)).toEqual([path.join("events", "m1.json"), path.join("groups", "g1", "snapshot.json")]);
  });

  it("leaves no temporary file behind, whether createExclusive wins or loses", async () => {
    const store = createFileObjectStore(dir);
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.createExclusive("events/m.json", `body ${i}`)));
    await store.put("events/other.json", "x");
    expect(await filesBelow(dir)).toEqual([path.join("events", "m.json"), path.join("events", "other.json")]);
  });

  it("never lists a temporary file a crashed writer left behind", async () => {
    const store = createFileObjectStore(dir);
    await store.put("events/m.json", "{}");
    await fs.writeFile(path.join(dir, "events", ".m2.json.0a1b2c.tmp"), "{half");
    expect(await store.list("events/")).toEqual(["events/m.json"]);
  });

  it("never writes outside its folder, whatever the key", async () => {
    const inner = path.join(dir, "store");
    const store = createFileObjectStore(inner);
    for (const key of ["../escape.json", "a/../../escape.json", "/tmp/escape.json", "..\\escape.json"]) {
      await expect(store.put(key, "x")).rejects.toThrow(/Invalid object key/);
    }
    expect(await filesBelow(dir)).toEqual([]);
  });

  it("creates files 0600 and folders 0700: only the service's user reads stored personal data", async () => {
    const root = path.join(dir, "store");
    const store = createFileObjectStore(root);
    await store.createExclusive("groups/g1/events/m1.json", "{}");
    await store.put("groups/g1/snapshot.json", "{}", { rebuildable: true });
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
    const modes = await Promise.all(
      [root, ...entries.map((e) => path.join(e.parentPath ?? e.path, e.name))].map(
        async (p) => [path.relative(dir, p), (await fs.stat(p)).mode & 0o777] as const,
      ),
    );
    expect(modes.length).toBeGreaterThan(4);
    for (const [name, mode] of modes) {
      const isFolder = (await fs.stat(path.join(dir, name))).isDirectory();
      expect([name, mode.toString(8)]).toEqual([name, isFolder ? "700" : "600"]);
    }
  });

  it("reads what another instance on the same folder wrote (two containers, one disk)", async () => {
    const a = createFileObjectStore(dir);
    const b = createFileObjectStore(dir);
    expect(await a.createExclusive("events/m.json", "from a")).toBe(true);
    expect(await b.createExclusive("events/m.json", "from b")).toBe(false);
    expect(await b.get("events/m.json")).toBe("from a");
  });
  it("flushes a new file's data before giving it its name, so a name found after a power cut always has its data", async () => {
    // Flushing after the link would leave a window (link, power cut, no data) that only a repair by
    // rename could close, and a rename lets two concurrent creators of one key both win.
    const target = path.join(dir, "events", "m.json");
    const namedAtFlush: boolean[] = [];
    flushes.watch = () => namedAtFlush.push(existsSync(target));
    try {
      const store = createFileObjectStore(dir);
      expect(await store.createExclusive("events/m.json", '{"msgId":"m"}')).toBe(true);
      expect(namedAtFlush[0]).toBe(false);
    } finally {
      flushes.watch = undefined;
    }
  });

  it("lets exactly one of many concurrent creators of one key win", async () => {
    const store = createFileObjectStore(dir);
    const other = createFileObjectStore(dir);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? store : other).createExclusive("events/m.json", `{"writer":${i}}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await filesBelow(dir)).toEqual([path.join("events", "m.json")]);
  });

  it("answers a create only after the new file and its folder are flushed to disk (and a duplicate only after what it found is)", async () => {
    const flushed: number[] = [];
    flushes.watch = (fd) => flushed.push(fd);
    try {
      const store = createFileObjectStore(dir);
      expect(await store.createExclusive("events/m.json", "{}")).toBe(true);
      expect(flushed).toHaveLength(2);
      // A duplicate flushes its own data before it can know (the link decides), then what it found and the folder.
      expect(await store.createExclusive("events/m.json", "{}")).toBe(false);
      expect(flushed).toHaveLength(5);
      const lax = createFileObjectStore(dir, { fsync: false });
      expect(await lax.createExclusive("events/n.json", "{}")).toBe(true);
      expect(flushed).toHaveLength(5);
    } finally {
      flushes.watch = undefined;
    }
  });
});
