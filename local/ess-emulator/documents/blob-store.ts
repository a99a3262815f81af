import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The bytes of uploaded files, by FileId. In memory; with a directory (beside the state file)
 * each file is also written there when uploaded, so a restarted emulator can still serve the
 * documents of its flows.
 */
export class BlobStore {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly dir?: string) {}

  put(fileId: string, bytes: Buffer): void {
    this.memory.set(fileId, bytes);
    if (this.dir === undefined) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.dir, fileId), bytes, { mode: 0o600 });
  }

  get(fileId: string): Buffer | undefined {
    const cached = this.memory.get(fileId);
    if (cached !== undefined || this.dir === undefined) return cached;
    const path = join(this.dir, fileId);
    if (!/^[A-Za-z0-9]+$/.test(fileId) || !existsSync(path)) return undefined;
    const bytes = readFileSync(path);
    this.memory.set(fileId, bytes);
    return bytes;
  }

  /** Forgets every file (and deletes the directory). */
  clear(): void {
    this.memory.clear();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}
