import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../../local/ess-emulator/protocol/rate-limiter";

/** The sliding-window frequency limit, one row per situation. */
describe("rate limiter (sliding one-second window)", () => {
  it.each([
    ["20 calls in the same millisecond pass, the 21st does not", [...Array(20).fill(0), 0], [...Array(20).fill(true), false]],
    ["a call 1000 ms after the oldest passes again", [...Array(20).fill(0), 999, 1000], [...Array(20).fill(true), false, true]],
    ["a steady 20 per second never trips", Array.from({ length: 60 }, (_, i) => i * 50), Array(60).fill(true)],
  ])("%s", (_name, times, expected) => {
    const limiter = createRateLimiter(20);
    expect(times.map((t) => limiter.take("k", t))).toEqual(expected);
  });

  it("keeps keys apart and can be disabled", () => {
    const limiter = createRateLimiter(1);
    expect([limiter.take("a", 0), limiter.take("b", 0), limiter.take("a", 1)]).toEqual([true, true, false]);
    const off = createRateLimiter(0);
    expect(Array.from({ length: 100 }, () => off.take("a", 0)).every(Boolean)).toBe(true);
  });
});
