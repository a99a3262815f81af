import { createHash } from "node:crypto";

/**
 * Object keys: how ids from the outside (MsgIds, FlowIds, FlowGroupIds) become one segment of a
 * key, and which keys the adapters accept at all. Both adapters share these rules so a key that
 * works on a laptop works in COS, and a hostile id can never climb out of its folder.
 */

/** Ids that are already safe as a key segment are used as they are (readable keys). */
const PLAIN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Marks a hashed segment; it is outside the plain alphabet, so a hash never equals a plain id. */
const HASHED_PREFIX = "~";

/**
 * One key segment for an id: the id itself when it matches `[A-Za-z0-9_-]{1,128}`, else `~` and
 * the hex SHA-256 of its UTF-8 bytes. Deterministic and injective in practice, and never `.`,
 * `..` or anything with a `/`.
 */
export function keySegment(id: string): string {
  if (PLAIN_ID.test(id)) return id;
  return HASHED_PREFIX + createHash("sha256").update(id, "utf8").digest("hex");
}

/** Thrown for a key the store refuses: a programming error, never a storage failure. */
export class InvalidObjectKeyError extends Error {
  constructor(reason: string) {
    super(`Invalid object key: ${reason}`);
    this.name = "InvalidObjectKeyError";
  }
}

const KEY_ALPHABET = /^[A-Za-z0-9_\-.~/]+$/;
const MAX_KEY_LENGTH = 850;

/**
 * Checks a key both adapters can store the same way: relative, `/`-separated, segments of
 * `[A-Za-z0-9_-.~]` that are not empty and do not start with `.` (the file adapter keeps its
 * temporary files under such names, and `.`/`..` would escape a folder).
 */
export function assertValidKey(key: string): void {
  if (key.length === 0) throw new InvalidObjectKeyError("empty");
  if (key.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError("too long");
  if (!KEY_ALPHABET.test(key)) throw new InvalidObjectKeyError("only letters, digits, _ - . ~ and / are allowed");
  for (const segment of key.split("/")) {
    if (segment === "") throw new InvalidObjectKeyError("empty segment (leading, trailing or double /)");
    if (segment.startsWith(".")) throw new InvalidObjectKeyError("a segment starts with a dot");
  }
}

/**
 * Checks a listing prefix: like a key, but it may be empty and may end with `/` or in the middle
 * of a segment.
 */
export function assertValidPrefix(prefix: string): void {
  if (prefix === "") return;
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (trimmed === "") throw new InvalidObjectKeyError("prefix is only /");
  assertValidKey(trimmed);
}
