/**
 * ESS's default frequency limit: N requests per second per action per SecretId, over a sliding
 * one-second window. Each key keeps the times of its last N accepted requests in a ring, so a
 * check is O(1).
 */
export interface RateLimiter {
  /** True when the request may proceed (and is counted); false when over the limit. */
  take(key: string, nowMs: number): boolean;
  reset(): void;
}

/** A limiter of `limitPerSecond` per key (0 = no limit). */
export function createRateLimiter(limitPerSecond: number): RateLimiter {
  const rings = new Map<string, { times: Float64Array; next: number }>();
  return {
    take(key, nowMs) {
      if (limitPerSecond <= 0) return true;
      let ring = rings.get(key);
      if (!ring) {
        ring = { times: new Float64Array(limitPerSecond).fill(-Infinity), next: 0 };
        rings.set(key, ring);
      }
      // The slot about to be overwritten holds the oldest of the last N accepted requests.
      if (nowMs - ring.times[ring.next]! < 1000) return false;
      ring.times[ring.next] = nowMs;
      ring.next = (ring.next + 1) % limitPerSecond;
      return true;
    },
    reset() {
      rings.clear();
    },
  };
}
