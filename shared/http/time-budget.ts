/**
 * How long a function may spend on its outside calls: what the runtime says it has left, less the
 * margin it needs to record the outcome and answer. Undefined when the runtime does not tell (the
 * callee's own default applies); never below one second, so a call is at least tried.
 */
export function callBudgetMs(remainingMs: number | undefined, marginMs: number): number | undefined {
  return remainingMs === undefined ? undefined : Math.max(1_000, remainingMs - marginMs);
}
