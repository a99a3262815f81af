import type { Random } from "./random";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Largest multiple of 62 below 256: bytes above it are redrawn so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** Makes the identifiers ESS hands out. */
export interface IdSource {
  /** 32 characters of [A-Za-z0-9], starting with `yD` like the ids in the ESS examples. */
  id(): string;
  /** Like `s1694570527888078574`: `s`, the epoch milliseconds, six more digits. */
  requestId(): string;
  /** 32 characters of [A-Za-z0-9]. */
  msgId(): string;
}

/** Ids from `random` (seeded or not); request ids also use the clock. */
export function createIdSource(random: Random, now: () => number): IdSource {
  const buffer = new Uint8Array(64);
  const randomChars = (count: number): string => {
    let out = "";
    while (out.length < count) {
      random.fill(buffer);
      for (let i = 0; i < buffer.length && out.length < count; i++) {
        const byte = buffer[i]!;
        if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % 62];
      }
    }
    return out;
  };
  return {
    id: () => `yD${randomChars(30)}`,
    msgId: () => randomChars(32),
    requestId: () => `s${Math.floor(now())}${String(Math.floor(random.next() * 1_000_000)).padStart(6, "0")}`,
  };
}

/** True for strings shaped like ESS ids (32 of [A-Za-z0-9]). */
export function isEssId(value: string): boolean {
  return /^[A-Za-z0-9]{32}$/.test(value);
}
