// Named imports: a default import of a builtin becomes a copy of its every export at load (esbuild's
// interop), 0.3 ms of each bundle's cold start, although deployed functions use COS.
import {
  closeSync,
  type Dirent,
  fsync,
  linkSync,
  mkdirSync,
  open,
  openSync,
  promises,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  write,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve as resolvePath, sep } from "node:path";
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
 *   gives the complete file a name in one step, and only if the name is free. The file's data is
 *   flushed before its link, so a name never stands for data that is not on disk (a repair of an
 *   empty file would need a rename, which would let two concurrent creators both win).
 * Temporary files start with a dot; keys may not, so a listing never shows them. Files are created
 * 0600 and folders 0700 (what a reader of `STORE_DIR` could otherwise see: every signer's name,
 * mobile and ID number); folders made by an older version keep their mode.
 *
 * With flushes on (the default), every call that changes metadata runs on libuv's thread pool:
 * while ext4 commits its journal (what each flush asks for), creating, linking or removing a file,
 * even a write that moves its mtime, waits for the commit to finish. Made synchronously, those
 * waits stopped the whole event loop (bench/callbacks: three quarters of the server's time blocked
 * in `open`), so no other callback could even be decrypted meanwhile. Opening an existing file or
 * folder to flush it and closing a descriptor change nothing and stay synchronous, as does every
 * call without flushes: each takes microseconds, less than a round trip through the thread pool.
 */
export function createFileObjectStore(dir: string, options: FileObjectStoreOptions = {}): ObjectStore {
  const root = resolvePath(dir);
  const durable = options.fsync ?? true;
  const io = durable ? threadPoolIo : inlineIo;
  /** Folders known to exist, so most writes skip the mkdir call. */
  const folders = new Set<string>();

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const target = resolvePath(root, ...key.split("/"));
    // assertValidKey already refuses `..` and absolute keys; this guards against a future change.
    if (!target.startsWith(root + sep)) throw new InvalidObjectKeyError("escapes the store folder");
    return target;
  };

  const ensureFolder = async (folder: string) => {
    if (folders.has(folder)) return;
    await io.mkdir(folder);
    folders.add(folder);
  };

  /** A fresh temporary file beside `target`, open for writing. */
  const openTemp = async (target: string): Promise<{ temp: string; fd: number }> => {
    const folder = dirname(target);
    await ensureFolder(folder);
    const temp = join(folder, `.${basename(target)}.${tempTag}-${(tempCounter++).toString(36)}.tmp`);
    try {
      return { temp, fd: await io.open(temp, "wx") };
    } catch (error) {
      // The folder may have been removed behind our back (tests, manual clean-up): once more.
      if (errorCode(error) !== "ENOENT") throw error;
      folders.delete(folder);
      await ensureFolder(folder);
      return { temp, fd: await io.open(temp, "wx") };
    }
  };

  /** Writes `body` to a fresh temporary file beside `target` (flushed when `flush`); returns its path. */
  const writeTemp = async (target: string, body: string | Uint8Array, flush: boolean): Promise<string> => {
    const { temp, fd } = await openTemp(target);
    try {
      await io.write(fd, body);
      // Without the flush, a power cut after the rename could leave an empty file.
      if (flush) await fsyncAsync(fd);
    } catch (error) {
      await io.close(fd);
      await io.unlinkIfPresent(temp);
      throw error;
    }
    await io.close(fd);
    return temp;
  };

  /** Flushes a file or folder that is already there (a duplicate's event; a folder's new entries). */
  const flushPath = async (file: string) => {
    const fd = await io.open(file, "r");
    try {
      await fsyncAsync(fd);
    } finally {
      await io.close(fd);
    }
  };

  const listAll = (prefix: string): string[] => {
    assertValidPrefix(prefix);
    // Only the folder that holds the prefix's last segment needs walking.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    return walk(root, folder)
      .filter((key) => key.startsWith(prefix))
      .sort(compareKeys);
  };

  return {
    async createExclusive(key, body) {
      const target = pathOf(key);
      return guard("createExclusive", async () => {
        const { temp, fd } = await openTemp(target);
        // The temporary name and descriptor go once the outcome is known, beside the folder's flush.
        const cleanUp = () => Promise.all([io.close(fd), io.unlinkIfPresent(temp)]);
        let created = false;
        try {
          await io.write(fd, body);
          // Flushed before the link: a name, once given, always has its data on disk, so a file found
          // under a key is complete and EEXIST always means "stored before" (no repair of an empty
          // file, whose rename would let two concurrent creators both win).
          if (durable) await fsyncAsync(fd);
          try {
            await io.link(temp, target);
            created = true;
          } catch (error) {
            if (errorCode(error) !== "EEXIST") throw error;
          }
          // A duplicate flushes what it found, so nobody answers for a message that is not on disk.
          if (!created && durable) await flushPath(target);
        } catch (error) {
          await cleanUp();
          throw error;
        }
        await Promise.all([cleanUp(), durable ? flushPath(dirname(target)) : undefined]);
        return created;
      });
    },

    async put(key, body, putOptions = {}) {
      const target = pathOf(key);
      const flush = durable && !putOptions.rebuildable;
      await guard("put", async () => {
        const temp = await writeTemp(target, body, flush);
        try {
          // Asynchronous even without flushes: ext4 flushes a file's data when it is renamed over an
          // existing one (auto_da_alloc), which would block the event loop for the whole write-out.
          await threadPoolIo.rename(temp, target);
        } catch (error) {
          await io.unlinkIfPresent(temp);
          throw error;
        }
        if (flush) await flushPath(dirname(target));
      });
    },

    async get(key) {
      const target = pathOf(key);
      return guard("get", async () => {
        try {
          return readFileSync(target, "utf8");
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
          return new Uint8Array(readFileSync(target));
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
      await guard("delete", async () => io.unlinkIfPresent(target));
    },

    // A folder has no versioning to refuse: writes through link() are exclusive by the filesystem.
    async check() {},

    consistentListings: true,
  };
}

/** The file calls the store makes, either on the thread pool or inline (see `createFileObjectStore`). */
interface FileIo {
  open(file: string, flags: "wx" | "r"): Promise<number>;
  write(fd: number, body: string | Uint8Array): Promise<void>;
  link(existing: string, name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  close(fd: number): Promise<void>;
  /** Removes a file; a missing one is not an error (`rm` would walk it like a folder first). */
  unlinkIfPresent(file: string): Promise<void>;
  mkdir(folder: string): Promise<void>;
}

const ignoreMissing = (error: unknown): undefined => {
  if (errorCode(error) !== "ENOENT") throw error;
  return undefined;
};

const threadPoolIo: FileIo = {
  // Creating waits for the journal; opening what exists to flush it does not. The callback form:
  // a FileHandle would close its descriptor when collected.
  open: (file, flags) =>
    flags === "r"
      ? inlineOpen(file, flags)
      : new Promise((resolve, reject) => open(file, flags, FILE_MODE, (error, fd) => (error ? reject(error) : resolve(fd)))),
  write: async (fd, body) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    for (let offset = 0; offset < bytes.length; ) offset += await writeAsync(fd, bytes, offset);
  },
  link: (existing, name) => promises.link(existing, name),
  rename: (from, to) => promises.rename(from, to),
  close: async (fd) => closeSync(fd),
  unlinkIfPresent: (file) => promises.unlink(file).catch(ignoreMissing),
  mkdir: async (folder) => {
    await promises.mkdir(folder, { recursive: true, mode: FOLDER_MODE });
  },
};

const inlineOpen = async (file: string, flags: "wx" | "r") => openSync(file, flags, FILE_MODE);

const inlineIo: FileIo = {
  open: inlineOpen,
  write: async (fd, body) => {
    if (typeof body === "string") writeFileSync(fd, body, "utf8");
    else writeFileSync(fd, body);
  },
  link: async (existing, name) => linkSync(existing, name),
  rename: async (from, to) => renameSync(from, to),
  close: async (fd) => closeSync(fd),
  unlinkIfPresent: async (file) => {
    try {
      unlinkSync(file);
    } catch (error) {
      ignoreMissing(error);
    }
  },
  mkdir: async (folder) => {
    mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  },
};

function writeAsync(fd: number, bytes: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, bytes, offset, bytes.length - offset, null, (error, written) => (error ? reject(error) : resolve(written))),
  );
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Every key below `folder` (a key prefix ending at a segment boundary, or ""). */
function walk(root: string, folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder === "" ? root : join(root, ...folder.split("/")), { withFileTypes: true });
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
