import { EventEmitter } from "node:events";
import type { DeliveryLog } from "./dispatcher";

/**
 * Every callback delivery attempt the emulator makes, failed ones included, numbered in order:
 * what `GET /_emulator/deliveries` serves and what in-process listeners (`npm start`,
 * `npm run callbacks:listen`) subscribe to. The last `capacity` entries are kept.
 */

/** A delivery attempt with its place in the feed. */
export interface DeliveryEntry extends DeliveryLog {
  /** 1-based, increasing for the life of the emulator (a reset does not restart it). */
  seq: number;
}

export class DeliveryFeed {
  private readonly entries: DeliveryEntry[] = [];
  private seq = 0;
  private readonly events = new EventEmitter();

  constructor(private readonly capacity = 5000) {
    this.events.setMaxListeners(0);
  }

  add(log: DeliveryLog): DeliveryEntry {
    const entry = { ...log, seq: ++this.seq };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.events.emit("delivery", entry);
    return entry;
  }

  /** Entries after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit = 500): DeliveryEntry[] {
    const start = this.entries.findIndex((e) => e.seq > seq);
    return start < 0 ? [] : this.entries.slice(start, start + limit);
  }

  /** The last sequence number handed out (0 before the first delivery). */
  lastSeq(): number {
    return this.seq;
  }

  /** Calls `listener` for every later delivery; returns the function that stops it. */
  subscribe(listener: (entry: DeliveryEntry) => void): () => void {
    this.events.on("delivery", listener);
    return () => this.events.off("delivery", listener);
  }

  /** Entries after `seq`; when there are none yet, waits up to `waitMs` for the next one. */
  async wait(seq: number, waitMs: number, limit = 500): Promise<DeliveryEntry[]> {
    const ready = this.after(seq, limit);
    if (ready.length > 0 || waitMs <= 0) return ready;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      const stop = this.subscribe(done);
      function done(): void {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
    return this.after(seq, limit);
  }

  /** Forgets the entries (numbering goes on, so a follower's cursor stays valid). */
  clear(): void {
    this.entries.length = 0;
  }
}
