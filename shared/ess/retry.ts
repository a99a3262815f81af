import type { AppError } from "../errors/app-error";
import { isRateLimitCode } from "./error-map";

/** Which failures a call may be repeated after. */
export type RetryPolicy = "reads" | "rate-limit-only";

/**
 * Whether `error` may be retried under `policy`.
 * - `rate-limit-only` (creates): only when ESS said "too many requests" — it then created nothing.
 *   A timeout or 5xx may hide a group that was created, so it is never retried automatically.
 * - `reads` (Describe*): also ESS internal errors, unreachable ESS and timeouts.
 */
export function isRetryable(error: AppError, policy: RetryPolicy): boolean {
  if (isRateLimitCode(error.code)) return true;
  if (policy === "rate-limit-only") return false;
  return ["InternalError.Ess", "InternalError.EssUnreachable", "InternalError.EssTimeout"].includes(error.code);
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** Total time the call may take, retries included (from the function's remaining time). */
  budgetMs: number;
  /** Longest single attempt. */
  attemptTimeoutMs: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Shortest attempt worth starting: below this the attempt would only time out. */
const MIN_ATTEMPT_MS = 500;

/**
 * Runs `attempt` and repeats it after retryable failures with exponential backoff and full jitter,
 * never past the budget. `attempt` receives the time it may take.
 */
export async function withRetries<T>(attempt: (timeoutMs: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 4;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 2_000;
  const deadline = now() + options.budgetMs;

  for (let attemptNo = 1; ; attemptNo++) {
    const left = deadline - now();
    try {
      return await attempt(Math.max(1, Math.min(options.attemptTimeoutMs, left)));
    } catch (error) {
      const appError = error as AppError;
      if (attemptNo >= maxAttempts || !isRetryable(appError, options.policy)) throw error;
      const delay = Math.floor(random() * Math.min(cap, base * 2 ** (attemptNo - 1)));
      if (deadline - now() - delay < MIN_ATTEMPT_MS) throw error;
      await sleep(delay);
    }
  }
}
