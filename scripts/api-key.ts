/**
 * Makes a new API key and prints it with its SHA-256 digest. Give the key to the caller; put only
 * the digest in API_KEY_HASHES (comma-separated for several keys). `npm run api-key [existing-key]`
 * prints the digest of an existing key instead.
 */
import { randomBytes } from "node:crypto";
import { hashApiKey } from "../shared/auth/api-keys";

const key = process.argv[2] ?? `essk_${randomBytes(24).toString("base64url")}`;
if (process.argv[2] === undefined) console.log(`API key (give to the caller, store nowhere else): ${key}`);
console.log(`SHA-256 digest (append to API_KEY_HASHES):          ${hashApiKey(key)}`);
