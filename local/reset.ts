/**
 * `npm run reset`: empties the local stack's folder (`STORE_DIR`, default `.data`) — the status
 * store and, beside it, the emulator's state — so the next `npm start` begins with neither groups
 * nor uploads, both sides in step. It refuses while `npm start` runs on that folder (stop it first),
 * and refuses a folder holding anything the stack did not write (a `STORE_DIR` pointing elsewhere
 * by mistake): nothing is deleted then.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { EMULATOR_STATE_FOLDER, runningStackOf } from "./stack";

/** What the stack writes at the top of its folder: the store's key prefixes and the emulator's state. */
const STACK_ENTRIES = new Set([
  "groups",
  "flows",
  "events",
  "parked",
  "waiting",
  "created",
  "owners",
  "idempotency",
  "outbox",
  "archive",
  EMULATOR_STATE_FOLDER,
]);

export function resetLocalState(storeDir: string): { removed: boolean; groups: number; message: string } {
  const folder = path.resolve(storeDir);
  if (!existsSync(folder)) return { removed: false, groups: 0, message: `${folder} does not exist: nothing to reset` };
  const running = runningStackOf(storeDir);
  if (running !== undefined) {
    throw new Error(`a local stack (pid ${running.pid}) is running on ${folder}: stop npm start first (Ctrl-C), then reset`);
  }
  const entries = readdirSync(folder);
  const foreign = entries.filter((entry) => !STACK_ENTRIES.has(entry));
  if (foreign.length > 0) {
    throw new Error(
      `${folder} holds ${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}, ` +
        "which the local stack did not write: nothing was deleted",
    );
  }
  const groups = existsSync(path.join(folder, "groups")) ? readdirSync(path.join(folder, "groups")).length : 0;
  const emulatorState = existsSync(path.join(folder, EMULATOR_STATE_FOLDER));
  for (const entry of entries) rmSync(path.join(folder, entry), { recursive: true, force: true });
  return {
    removed: true,
    groups,
    message:
      `reset ${folder}: the status store (${groups} group${groups === 1 ? "" : "s"})` +
      `${emulatorState ? " and the emulator's state beside it" : ""} removed`,
  };
}

if (require.main === module) {
  try {
    console.log(resetLocalState(process.env.STORE_DIR ?? ".data").message);
  } catch (error) {
    console.error(`reset refused: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
