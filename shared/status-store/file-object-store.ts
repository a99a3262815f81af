import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { assertValidKey, assertValidPrefix, InvalidObjectKeyError } from "./object-key";
import { StoreUnavailableError, type ObjectStore } from "./port";

/**
 * The embedded `ObjectStore`: one file per key under a folder (`STORE_DIR`, `.data/` by default).
 *
 * Every write goes to a temporary file in the target's own folder first (same filesystem, so the
 * final step is atomic) and is flushed to disk before it is published:
 * - `put` publishes with `rename`, which replaces the target atomically;
 * - `createExclusive` publishes with `link`, which fails with EEXIST when the target exists.
 *   `open(target, "wx")` would also refuse an existing file, but it creates the name empty and
 *   fills it afterwards, so a concurrent reader (or a crash) could see half an event. `link`
 *   gives the complete file a name in one step, and only if the name is free.
 * Temporary files start with a dot; keys may not, so a listing never shows them.
 */
export function createFileObjectStore(dir: string): ObjectStore {
  const root = path.resolve(dir);

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const target = path.resolve(root, ...key.split("/"));
    // assertValidKey already refuses `..` and absolute keys; this guards against a future change.
    if (!target.startsWith(root + path.sep)) throw new InvalidObjectKeyError("escapes the store folder");
    return target;
  };

  return {
    async createExclusive(key, body) {
      const target = pathOf(key);
      return guard("createExclusive", async () => {
        const temp = await writeTemp(target, body);
        try {
          await fs.link(temp, target);
          return true;
        } catch (error) {
          if (errorCode(error) === "EEXIST") return false;
          throw error;
        } finally {
          await fs.rm(temp, { force: true });
        }
      });
    },

    async put(key, body) {
      const target = pathOf(key);
      await guard("put", async () => {
        const temp = await writeTemp(target, body);
        try {
          await fs.rename(temp, target);
        } catch (error) {
          await fs.rm(temp, { force: true });
          throw error;
        }
      });
    },

    async get(key) {
      const target = pathOf(key);
      return guard("get", async () => {
        try {
          return await fs.readFile(target, "utf8");
        } catch (error) {
          if (isMissing(error)) return undefined;
          throw error;
        }
      });
    },

    async list(prefix) {
      assertValidPrefix(prefix);
      // Only the folder that holds the prefix's last segment needs walking.
      const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
      return guard("list", async () => {
        const keys = await walk(root, folder);
        return keys.filter((key) => key.startsWith(prefix)).sort(compareKeys);
      });
    },

    async delete(key) {
      const target = pathOf(key);
      await guard("delete", () => fs.rm(target, { force: true }));
    },
  };
}

/** Writes `body` to a fresh temporary file beside `target` and flushes it; returns its path. */
async function writeTemp(target: string, body: string): Promise<string> {
  const folder = path.dirname(target);
  await fs.mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx");
  try {
    await handle.writeFile(body, "utf8");
    // Without the flush, a power cut after the rename or link could leave an empty event file.
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/** Every key below `folder` (a key prefix ending at a segment boundary, or ""). */
async function walk(root: string, folder: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(folder === "" ? root : path.join(root, ...folder.split("/")), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const key = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) keys.push(...(await walk(root, key)));
    else if (entry.isFile()) keys.push(key);
  }
  return keys;
}

/** Byte order of the UTF-8 keys, the order COS lists in. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
}

/**
 * Only ENOENT means "no such key". ENOTDIR (a folder of the path is a file) cannot happen with
 * valid keys of the status store's layout, so it is reported as a broken store, not as absence:
 * a reader must never take a broken store for an empty one.
 */
function isMissing(error: unknown): boolean {
  return errorCode(error) === "ENOENT";
}

/** Filesystem failures become `StoreUnavailableError`, naming the operation and errno code only. */
async function guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidObjectKeyError) throw error;
    throw new StoreUnavailableError(`file store ${operation} failed (${errorCode(error) ?? "unknown error"})`, {
      cause: error,
    });
  }
}
