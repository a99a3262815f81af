/**
 * Strength rules for the secrets this service is configured with. A weak callback key or token
 * lets anyone who guesses it forge callbacks, so the functions refuse to start with one (the
 * message names the variable and the rule, never the value).
 */

/** Shortest callback token accepted. */
export const MIN_TOKEN_LENGTH = 16;
/** Fewest distinct characters a callback key or token must contain. */
export const MIN_DISTINCT_CHARACTERS = 8;
/** A secret made of one block of at most this many characters, repeated, is refused. */
const MAX_REPEATED_BLOCK = 8;

/** Why `value` is too weak to be a secret, or undefined when it passes the rules above. */
export function secretWeakness(value: string, minLength: number): string | undefined {
  const chars = Array.from(value);
  if (chars.length < minLength) return `must be at least ${minLength} characters`;
  if (new Set(chars).size < MIN_DISTINCT_CHARACTERS)
    return `is too weak: it must contain at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  for (let period = 1; period <= MAX_REPEATED_BLOCK && period < chars.length; period++) {
    if (isPeriodic(chars, period)) return "is too weak: it repeats one short block of characters";
  }
  return undefined;
}

function isPeriodic(chars: readonly string[], period: number): boolean {
  for (let i = period; i < chars.length; i++) if (chars[i] !== chars[i - period]) return false;
  return true;
}

/** Whether the environment is a deployed SCF function (SCF sets `TENCENTCLOUD_RUNENV=SCF` itself). */
export function runsOnScf(env: { TENCENTCLOUD_RUNENV?: string | undefined }): boolean {
  return env.TENCENTCLOUD_RUNENV?.trim().toUpperCase() === "SCF";
}
