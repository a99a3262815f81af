import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { EssAuthFailure, EssInternalError, EssTimeout, EssUnreachable } from "../../../shared/errors/ess-errors";
import { mapEssError } from "../../../shared/ess/error-map";
import { isRetryable, withRetries, type RetryPolicy } from "../../../shared/ess/retry";

/** The error the adapter throws for `code`: ESS's own codes through the SDK error map, ours by name. */
const ours: Record<string, () => AppError> = {
  "InternalError.EssTimeout": () => new EssTimeout(1_000),
  "InternalError.EssUnreachable": () => new EssUnreachable(undefined),
  "InternalError.Ess": () => new EssInternalError(),
  "InternalError.EssAuthFailure": () => new EssAuthFailure(),
};
const err = (code: string): AppError => ours[code]?.() ?? mapEssError({ code, message: code });

describe("isRetryable", () => {
  it.each([
    ["RequestLimitExceeded", "rate-limit-only", true],
    ["LimitExceeded", "rate-limit-only", true],
    ["FailedOperation.RequestLimitExceeded", "rate-limit-only", true],
    ["InternalError.EssTimeout", "rate-limit-only", false],
    ["InternalError.Ess", "rate-limit-only", false],
    ["InternalError.EssUnreachable", "rate-limit-only", false],
    ["InternalError.EssTimeout", "reads", true],
    ["InternalError.Ess", "reads", true],
    ["InternalError.EssUnreachable", "reads", true],
    ["InvalidParameter.FlowName", "reads", false],
    ["InternalError.EssAuthFailure", "reads", false],
    ["OperationDenied.NoQuota", "reads", false],
  ] as const)("%s under %s → %s", (code, policy, expected) => {
    expect(isRetryable(err(code), policy as RetryPolicy)).toBe(expected);
  });
});

/** A virtual clock: sleeping advances it, so tests run instantly and deterministically. */
function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

describe("withRetries", () => {
  it("retries a retryable failure with exponential backoff and returns the success", async () => {
    const c = clock();
    let attempts = 0;
    const result = await withRetries(
      async () => {
        attempts++;
        if (attempts < 3) throw err("RequestLimitExceeded");
        return "ok";
      },
      { policy: "rate-limit-only", budgetMs: 10_000, attemptTimeoutMs: 5_000, now: c.now, sleep: c.sleep, random: () => 0.999 },
    );
    expect(result).toBe("ok");
    expect(attempts).toBe(3);
    expect(c.sleeps).toEqual([199, 399]);
  });

  it("never retries what the policy forbids", async () => {
    let attempts = 0;
    await expect(
      withRetries(
        async () => {
          attempts++;
          throw err("InternalError.EssTimeout");
        },
        { policy: "rate-limit-only", budgetMs: 10_000, attemptTimeoutMs: 5_000, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ code: "InternalError.EssTimeout" });
    expect(attempts).toBe(1);
  });

  it("stops at maxAttempts", async () => {
    let attempts = 0;
    await expect(
      withRetries(
        async () => {
          attempts++;
          throw err("InternalError.Ess");
        },
        { policy: "reads", budgetMs: 60_000, attemptTimeoutMs: 1_000, maxAttempts: 4, sleep: async () => undefined, random: () => 0 },
      ),
    ).rejects.toBeInstanceOf(AppError);
    expect(attempts).toBe(4);
  });

  it("never goes past the budget, and gives each attempt only what is left", async () => {
    const c = clock();
    const timeouts: number[] = [];
    await expect(
      withRetries(
        async (timeoutMs) => {
          timeouts.push(timeoutMs);
          c.advance(timeoutMs);
          throw err("InternalError.EssTimeout");
        },
        { policy: "reads", budgetMs: 2_500, attemptTimeoutMs: 1_000, maxAttempts: 10, now: c.now, sleep: c.sleep, random: () => 0.5 },
      ),
    ).rejects.toMatchObject({ code: "InternalError.EssTimeout" });
    expect(c.now()).toBeLessThanOrEqual(2_500);
    expect(timeouts[0]).toBe(1_000);
    expect(timeouts.length).toBeGreaterThan(1);
  });
});
