import type { ScfContext } from "./scf-types";

/**
 * How long a function may spend on its outside calls: what the runtime says it has left, less the
 * margin it keeps to record the outcome and answer. Every handler takes its budget here, with its own
 * named margin, so "how much time is left" is decided in one place (the outbox timer too).
 */
export interface CallBudget {
  /**
   * For a call that takes a timeout (ESS through the SDK): never below one second, so a call is at
   * least tried. Undefined when the runtime does not tell (the callee's own default applies).
   */
  timeoutMs: number | undefined;
  /** For calls that take a deadline (the stores): epoch ms; undefined when the runtime does not tell. */
  deadline: number | undefined;
}

/** What the runtime says the invocation has left, when it does (older runtimes lack `getRemainingTimeInMillis`). */
export function remainingTimeMs(context: ScfContext | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : undefined;
}

/** Shortest timeout a call is given: less would only time out. */
const MIN_CALL_MS = 1_000;

/** The budget of a function with `remainingMs` left (SCF's `getRemainingTimeInMillis`) that keeps `marginMs` for itself. */
export function callBudget(remainingMs: number | undefined, marginMs: number, now: number = Date.now()): CallBudget {
  if (remainingMs === undefined) return { timeoutMs: undefined, deadline: undefined };
  return { timeoutMs: Math.max(MIN_CALL_MS, remainingMs - marginMs), deadline: deadlineWithin(remainingMs, marginMs, now) };
}

/** Epoch ms by which work must end to leave `marginMs` of `remainingMs` (never before `now`). */
export function deadlineWithin(remainingMs: number, marginMs: number, now: number = Date.now()): number {
  return now + Math.max(0, remainingMs - marginMs);
}
