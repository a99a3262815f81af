import fs from "node:fs";
import path from "node:path";
import { InvalidObjectKeyError, StoreUnavailableError } from "../errors/store-errors";
import { assertValidKey, assertValidPrefix, compareKeys, pageLimit } from "./keys";
import type { ObjectStore } from "./port";

/** Files are readable by the service's own user only: events hold names, mobiles and ID numbers. */
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

/**
 * Temporary names are unique by process (pid and start time) and a counter shared by every store
 * of the process, which is cheaper than asking the CSPRNG for each write.
 */
const tempTag = `${process.pid.toString(36)}-${Date.now().toString(36)}`;
let tempCounter = 0;

export interface FileObjectStoreOptions {
  /**
   * Flush every write that is not `rebuildable` to disk — the file, then its folder entry — before
   * it is acknowledged, so an acknowledged event survives a power cut, not only a process crash.
   * Default true.
   */
  fsync?: boolean;
}

/**
 * The embedded `ObjectStore`: one file per key under a folder (`STORE_DIR`, `.data/` by default).
 *
 * Every write goes to a temporary file in the target's own folder first (same filesystem, so the
 * final step is atomic) and is published in one step:
 * - `put` publishes with `rename`, which replaces the target atomically;
 * - `createExclusive` publishes with `link`, which fails with EEXIST when the target exists.
 *   `open(target, "wx")` would also refuse an existing file, but it creates the name empty and
 *   fills it afterwards, so a concurrent reader (or a crash) could see half an event. `link`
 *   gives the complete file a name in one step, and only if the name is free.
 * Temporary files start with a dot; keys may not, so a listing never shows them. Files are created
 * 0600 and folders 0700 (what a reader of `STORE_DIR` could otherwise see: every signer's name,
 * mobile and ID number); folders made by an older version keep their mode.
 *
 * Files here are small (an event is about a kilobyte), so the calls that only touch the page cache
 * are synchronous: each takes microseconds, less than a round trip through libuv's thread pool.
 * Waiting for the disk (`fsync`) runs on the thread pool, so concurrent writers' flushes overlap
 * and the filesystem can commit them together.
 */
export function createFileObjectStore(dir: string, options: FileObjectStoreOptions = {}): ObjectStore {
  const root = path.resolve(dir);
  const durable = options.fsync ?? true;
  /** Folders known to exist, so most writes skip the mkdir call. */
  const folders = new Set<string>();

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const target = path.resolve(root, ...key.split("/"));
    // assertValidKey already refuses `..` and absolute keys; this guards against a future change.
    if (!target.startsWith(root + path.sep)) throw new InvalidObjectKeyError("escapes the store folder");
    return target;
  };

  const ensureFolder = (folder: string) => {
    if (folders.has(folder)) return;
    fs.mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
    folders.add(folder);
  };

  /** A fresh temporary file beside `target`, open for writing. */
  const openTemp = (target: string): { temp: string; fd: number } => {
    const folder = path.dirname(target);
    ensureFolder(folder);
    const temp = path.join(folder, `.${path.basename(target)}.${tempTag}-${(tempCounter++).toString(36)}.tmp`);
    try {
      return { temp, fd: fs.openSync(temp, "wx", FILE_MODE) };
    } catch (error) {
      // The folder may have been removed behind our back (tests, manual clean-up): once more.
      if (errorCode(error) !== "ENOENT") throw error;
      folders.delete(folder);
      ensureFolder(folder);
      return { temp, fd: fs.openSync(temp, "wx", FILE_MODE) };
    }
  };

  /** Writes `body` to a fresh temporary file beside `target` (flushed when `flush`); returns its path. */
  const writeTemp = async (target: string, body: string | Uint8Array, flush: boolean): Promise<string> => {
    const { temp, fd } = openTemp(target);
    try {
      writeAll(fd, body);
      // Without the flush, a power cut after the rename could leave an empty file.
      if (flush) await fsyncAsync(fd);
    } catch (error) {
      fs.closeSync(fd);
      unlinkIfPresent(temp);
      throw error;
    }
    fs.closeSync(fd);
    return temp;
  };

  /** Flushes a file that is already there (what a duplicate relies on). */
  const flushFile = async (file: string) => {
    const fd = fs.openSync(file, "r");
    try {
      await fsyncAsync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  /** Makes a new or renamed entry of `folder` durable: the folder itself must be flushed too. */
  const flushFolder = async (folder: string) => {
    const fd = fs.openSync(folder, "r");
    try {
      await fsyncAsync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  const listAll = (prefix: string): string[] => {
    assertValidPrefix(prefix);
    // Only the folder that holds the prefix's last segment needs walking.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    return walk(root, folder).filter((key) => key.startsWith(prefix)).sort(compareKeys);
  };

  return {
    async createExclusive(key, body) {
      const target = pathOf(key);
      return guard("createExclusive", async () => {
        const { temp, fd } = openTemp(target);
        let created = false;
        try {
          writeAll(fd, body);
          try {
            fs.linkSync(temp, target);
            created = true;
          } catch (error) {
            if (errorCode(error) !== "EEXIST") throw error;
          }
          if (durable) {
            // Flushed after the link: on ext4 one journal commit then holds the data, the inode and
            // the new entry, and the folder's flush below finds nothing left to write. A duplicate
            // flushes what it found, so nobody answers for a message that is not on disk.
            if (created) await fsyncAsync(fd);
            else await flushFile(target);
          }
        } finally {
          fs.closeSync(fd);
          unlinkIfPresent(temp);
        }
        if (durable) await flushFolder(path.dirname(target));
        return created;
      });
    },

    async put(key, body, putOptions = {}) {
      const target = pathOf(key);
      const flush = durable && !putOptions.rebuildable;
      await guard("put", async () => {
        const temp = await writeTemp(target, body, flush);
        try {
          // Asynchronous on purpose: ext4 flushes a file's data when it is renamed over an existing
          // one (auto_da_alloc), which would block the event loop for the whole write-out.
          await fs.promises.rename(temp, target);
        } catch (error) {
          unlinkIfPresent(temp);
          throw error;
        }
        if (flush) await flushFolder(path.dirname(target));
      });
    },

    async get(key) {
      const target = pathOf(key);
      return guard("get", async () => {
        try {
          return fs.readFileSync(target, "utf8");
        } catch (error) {
          if (isMissing(error)) return undefined;
          throw error;
        }
      });
    },

    async getBytes(key) {
      const target = pathOf(key);
      return guard("get", async () => {
        try {
          return new Uint8Array(fs.readFileSync(target));
        } catch (error) {
          if (isMissing(error)) return undefined;
          throw error;
        }
      });
    },

    async list(prefix) {
      return guard("list", async () => listAll(prefix));
    },

    async listPage(prefix, pageOptions = {}) {
      const limit = pageLimit(pageOptions.limit);
      return guard("list", async () => {
        const after = pageOptions.startAfter;
        const keys = listAll(prefix).filter((key) => after === undefined || compareKeys(key, after) > 0);
        return { keys: keys.slice(0, limit), truncated: keys.length > limit };
      });
    },

    async delete(key) {
      const target = pathOf(key);
      await guard("delete", async () => unlinkIfPresent(target));
    },

    // A folder has no versioning to refuse: writes through link() are exclusive by the filesystem.
    async check() {},

    consistentListings: true,
  };
}

function writeAll(fd: number, body: string | Uint8Array): void {
  if (typeof body === "string") fs.writeFileSync(fd, body, "utf8");
  else fs.writeFileSync(fd, body);
}

/** Removes a file; a missing one is not an error (`rmSync` would walk it like a folder first). */
function unlinkIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Every key below `folder` (a key prefix ending at a segment boundary, or ""). */
function walk(root: string, folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder === "" ? root : path.join(root, ...folder.split("/")), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const key = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) keys.push(...walk(root, key));
    else if (entry.isFile()) keys.push(key);
  }
  return keys;
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
