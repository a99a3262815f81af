import { describe, expect, it } from "vitest";
import { callBudget, deadlineWithin, remainingTimeMs } from "../../../shared/http/time-budget";
import type { ScfContext } from "../../../shared/http/scf-types";

describe("callBudget", () => {
  it.each([
    // remaining, margin, timeoutMs, deadline offset from now
    [10_000, 1_500, 8_500, 8_500],
    [2_000, 1_500, 1_000, 500], // a call is tried for at least a second
    [1_000, 1_500, 1_000, 0], // the store's deadline is never in the past
  ])("%i ms left, %i ms margin → timeout %i ms, deadline now + %i ms", (remaining, margin, timeoutMs, offset) => {
    expect(callBudget(remaining, margin, 1_000_000)).toEqual({ timeoutMs, deadline: 1_000_000 + offset });
  });

  it("leaves both undefined when the runtime does not say what is left (the callee's default applies)", () => {
    expect(callBudget(undefined, 1_000, 5)).toEqual({ timeoutMs: undefined, deadline: undefined });
  });
});

describe("remainingTimeMs", () => {
  it("asks the context when it can, and is undefined without one", () => {
    expect(remainingTimeMs({ getRemainingTimeInMillis: () => 4_321 } as unknown as ScfContext)).toBe(4_321);
    expect(remainingTimeMs({} as ScfContext)).toBeUndefined();
    expect(remainingTimeMs(undefined)).toBeUndefined();
  });
});

describe("deadlineWithin", () => {
  it("keeps the margin, and never lies before now", () => {
    expect(deadlineWithin(50_000, 3_000, 1_000)).toBe(48_000);
    expect(deadlineWithin(2_000, 3_000, 1_000)).toBe(1_000);
  });
});
