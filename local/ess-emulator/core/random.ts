import { randomFillSync } from "node:crypto";

/** A source of uniform numbers in [0, 1) and of random bytes. */
export interface Random {
  next(): number;
  /** Fills `out` with random bytes. */
  fill(out: Uint8Array): void;
}

/**
 * A seeded generator (sfc32 core, seed expanded with splitmix32) so faults and ids can be replayed:
 * the same seed gives the same sequence on every machine.
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  return {
    next: () => nextU32() / 4294967296,
    fill: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = nextU32() & 0xff;
    },
  };
}

/**
 * Unpredictable numbers for production-like runs (ids must not collide across restarts). Bytes come
 * from the system CSPRNG through a pool, as one kernel call per id made it the emulator's hot spot.
 */
export function systemRandom(): Random {
  const pool = Buffer.alloc(8192);
  let used = pool.length;
  const take = (count: number): Buffer => {
    if (used + count > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const out = pool.subarray(used, used + count);
    used += count;
    return out;
  };
  return {
    next: () => take(4).readUInt32BE(0) / 4294967296,
    fill: (out) => {
      for (let offset = 0; offset < out.length; offset += 1024) {
        const chunk = take(Math.min(1024, out.length - offset));
        out.set(chunk, offset);
      }
    },
  };
}

/** A permutation of `items` drawn from `random` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
