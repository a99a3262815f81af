import { createHmac } from "node:crypto";

/**
 * The push-notification signature, Stripe's scheme with our header name:
 * `Ess-Notify-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is inside the signed text, so a captured request cannot be replayed later with a
 * fresh `t`; the receiver bounds how old `t` may be. Shared by the sender (the outbox function) and
 * the receiver helper, and nothing else: it depends on `node:crypto` only.
 */

/** The header that carries the signature (HTTP header names are case-insensitive). */
export const NOTIFY_SIGNATURE_HEADER = "Ess-Notify-Signature";

/** The signature scheme this version writes and accepts. */
export const NOTIFY_SIGNATURE_SCHEME = "v1";

/** Hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`; the body is taken as its exact bytes. */
export function computeNotifySignature(timestamp: number, body: string | Uint8Array, secret: string): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestamp}.`, "utf8");
  hmac.update(typeof body === "string" ? Buffer.from(body, "utf8") : body);
  return hmac.digest("hex");
}

/** The `Ess-Notify-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function notifySignatureHeader(body: string | Uint8Array, secret: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError("timestamp must be whole unix seconds");
  return `t=${timestamp},${NOTIFY_SIGNATURE_SCHEME}=${computeNotifySignature(timestamp, body, secret)}`;
}
