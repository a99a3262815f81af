import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { PendingDelivery } from "./callbacks/dispatcher";
import type { WorldState } from "./core/world";

/**
 * Optional persistence: the state is read from a JSON file at start and written back (atomically,
 * debounced) after changes and at stop, so a restarted emulator still knows its groups, its
 * uploaded files (kept in `<file>.files/`) and the callbacks it has not delivered yet. Callbacks
 * leave only once the state that produced them is on disk (the engine holds them until `onSaved`),
 * so a receiver never stores a change the restarted emulator forgot; a message saved as pending is
 * sent again after a restart, with its MsgId, as ESS retries.
 */

/** What the file holds. Version 1 files (before the outbox) still load. */
export interface EmulatorState extends Omit<WorldState, "version"> {
  version: 1 | 2;
  /** Callbacks not delivered yet. */
  outbox?: PendingDelivery[];
}

/** The folder beside the state file holding uploaded files' bytes. */
export function blobDirOf(stateFile: string): string {
  return `${stateFile}.files`;
}

export function loadState(path: string): EmulatorState | undefined {
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, "utf8")) as EmulatorState;
  if (data.version !== 1 && data.version !== 2) throw new Error(`state file ${path} has unknown version ${String(data.version)}`);
  return data;
}

/** Writes the state atomically (temporary file, then rename), readable by its owner only. */
export function saveState(path: string, state: EmulatorState): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state), { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * Deletes a stopped emulator's saved state (the file and its uploaded files), so the next start is
 * empty. A running emulator is reset with `reset()` / `POST /_emulator/reset` instead, which also
 * saves the empty state at once.
 */
export function clearEmulatorState(stateFile: string): void {
  rmSync(stateFile, { force: true });
  rmSync(blobDirOf(stateFile), { recursive: true, force: true });
}

/** Debounced state file saving. */
export interface StateWriter {
  markDirty(): void;
  /** Writes now if anything changed. */
  flush(): void;
  close(): void;
}

/** Saves `take()` to `path` at most every `debounceMs` after changes; `onSaved` runs after each successful write. */
export function createStateWriter(
  path: string,
  take: () => EmulatorState,
  options: { debounceMs?: number; onSaved?: () => void; onError?: (e: unknown) => void } = {},
): StateWriter {
  const debounceMs = options.debounceMs ?? 100;
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      saveState(path, take());
      options.onSaved?.();
    } catch (error) {
      // Retried a second later (held callbacks wait meanwhile).
      dirty = true;
      timer = setTimeout(flush, 1000);
      timer.unref();
      options.onError?.(error);
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
