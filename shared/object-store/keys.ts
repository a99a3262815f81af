import { createHash } from "node:crypto";
import { InvalidObjectKeyError } from "../errors/store-errors";
import { MAX_LIST_PAGE } from "./port";

export { InvalidObjectKeyError };

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

/**
 * Byte order of the UTF-8 keys: the order COS lists in, and the one order every adapter, the
 * test fake and the COS test server use.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates, UTF-16 order is UTF-8 byte order; above, only the bytes can tell.
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  }
  return a.length - b.length;
}

/** A listing page size within 1 and `MAX_LIST_PAGE` (default the maximum). */
export function pageLimit(limit: number | undefined): number {
  return Math.min(MAX_LIST_PAGE, Math.max(1, Math.floor(limit ?? MAX_LIST_PAGE)));
}
