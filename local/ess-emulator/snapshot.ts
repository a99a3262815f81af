import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import type { World, WorldSnapshot } from "./core/world";

/**
 * Optional persistence: the state is read from a JSON file at start and written back (atomically,
 * debounced) after changes and at stop, so a restarted emulator still knows its groups.
 */

export function loadSnapshot(path: string): WorldSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, "utf8")) as WorldSnapshot;
  if (data.version !== 1) throw new Error(`snapshot ${path} has unknown version ${String(data.version)}`);
  return data;
}

/** Writes the state atomically (temporary file, then rename). */
export function saveSnapshot(path: string, world: World): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(world.toSnapshot()));
  renameSync(temporary, path);
}

/** Debounced snapshot saving. */
export interface SnapshotWriter {
  markDirty(): void;
  /** Writes now if anything changed. */
  flush(): void;
  close(): void;
}

/** Saves `world` to `path` at most every `debounceMs` after changes. */
export function createSnapshotWriter(path: string, world: World, debounceMs = 250, onError: (e: unknown) => void = () => undefined): SnapshotWriter {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      saveSnapshot(path, world);
    } catch (error) {
      onError(error);
    }
  };
  return {
    markDirty() {
      dirty = true;
      timer ??= setTimeout(flush, debounceMs);
    },
    flush,
    close() {
      flush();
    },
  };
}
