import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Per-key ownership of groups. create-group records who created a group as an owner id derived
 * from the API key's digest (never the key, never the digest itself); group-status answers a read
 * or a `?refresh=1` only to that key. Groups without an owner (created with authentication
 * disabled, before owners were recorded, or known only from callbacks) are readable by every key.
 * The caller's principal is read from the request by `principalOf` (./api-keys.ts, the HTTP side).
 */

/** The owner id recorded on a group created by `principal`. */
export function ownerIdOf(principal: string): string {
  return createHash("sha256").update(`ess-flow-groups/owner\n${principal.toLowerCase()}`, "utf8").digest("hex");
}

/** Whether `principal` may read a group recorded with `owner` (compared in constant time, all 64 digits). */
export function mayRead(owner: string | undefined, principal: string | undefined): boolean {
  if (owner === undefined) return true;
  if (principal === undefined) return true;
  const expected = Buffer.from(owner, "hex");
  const given = Buffer.from(ownerIdOf(principal), "hex");
  return expected.length === given.length && expected.length > 0 && timingSafeEqual(expected, given);
}
