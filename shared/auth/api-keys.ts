import { createHash, timingSafeEqual } from "node:crypto";
import { ApiKeyInvalid, ApiKeyMissing } from "../errors/access-errors";
import { header } from "../http/request";
import type { HttpEvent } from "../http/scf-types";
import { BEARER } from "../text/input-patterns";

/** Either the SHA-256 digests of the accepted API keys, or an explicit "no auth" (local stack only); read by shared/config. */
export type AuthSettings = { mode: "api-keys"; keyHashes: Buffer[] } | { mode: "disabled" };

/** Longest API key accepted; longer values are refused before hashing. */
const MAX_KEY_LENGTH = 512;

/** The SHA-256 digest under which a key is configured in `API_KEY_HASHES`. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The key the request presents: `Authorization: Bearer <key>` or `x-api-key`. */
export function presentedKey(event: HttpEvent): string | undefined {
  const authorization = header(event, "authorization");
  const bearer = authorization !== undefined ? BEARER.exec(authorization)?.[1] : undefined;
  return bearer ?? header(event, "x-api-key")?.trim() ?? undefined;
}

/**
 * Refuses (401 with `WWW-Authenticate`) a request without one of the configured keys. Only digests
 * are configured, so the function's environment never holds a usable key. Every configured digest
 * is compared in constant time, and all of them are compared, so timing tells nothing about which
 * or how many keys exist.
 */
export function authenticate(event: HttpEvent, config: AuthSettings): void {
  if (config.mode === "disabled") return;
  const key = presentedKey(event);
  if (key === undefined || key === "" || key.length > MAX_KEY_LENGTH) {
    throw new ApiKeyMissing();
  }
  const digest = createHash("sha256").update(key, "utf8").digest();
  let matched = false;
  for (const candidate of config.keyHashes) matched = timingSafeEqual(digest, candidate) || matched;
  if (!matched) {
    throw new ApiKeyInvalid();
  }
}

/** The authenticated caller: the hex digest of the API key presented; undefined when auth is disabled. */
export function principalOf(event: HttpEvent, auth: AuthSettings): string | undefined {
  if (auth.mode === "disabled") return undefined;
  const key = presentedKey(event);
  return key === undefined ? undefined : hashApiKey(key);
}
