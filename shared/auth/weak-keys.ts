import { createHash } from "node:crypto";

/**
 * API keys anyone would try first. `API_KEY_HASHES` holds only digests, so the strength of a key
 * cannot be measured at start; what can be done is to refuse the digest of a key on this list.
 * `npm run api-key` makes keys of 256 random bits.
 */
const TRIVIAL_KEYS = [
  "",
  "test",
  "testing",
  "secret",
  "password",
  "changeme",
  "change-me",
  "apikey",
  "api-key",
  "api_key",
  "key",
  "admin",
  "local",
  "dev",
  "demo",
  "example",
  "123456",
  "12345678",
  "1234567890",
  "0000000000000000",
  "a".repeat(32),
];

let digests: Set<string> | undefined;

/** True when `digest` (64 hex digits, any case) is the SHA-256 of a key on the trivial list. */
export function isTrivialKeyDigest(digest: string): boolean {
  digests ??= new Set(TRIVIAL_KEYS.map((key) => createHash("sha256").update(key, "utf8").digest("hex")));
  return digests.has(digest.trim().toLowerCase());
}
