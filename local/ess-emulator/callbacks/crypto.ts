import { createCipheriv, createHmac } from "node:crypto";

/**
 * How ESS protects a callback: AES-256-CBC under the 32-byte callback key (its UTF-8 bytes), IV =
 * the key's first 16 bytes, PKCS#7 padding, base64 in `{"encrypt": …}`; and, when a token is
 * configured, `Content-Signature: sha256=<hex HMAC-SHA256(token, raw body)>`.
 */

export function assertCallbackKey(key: string): void {
  if (Buffer.byteLength(key, "utf8") !== 32) throw new Error("the callback key must be exactly 32 bytes (UTF-8)");
}

/** base64 of AES-256-CBC(plaintext) under the callback key. */
export function encryptPayload(plaintext: string, key: string): string {
  const keyBytes = Buffer.from(key, "utf8");
  const cipher = createCipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, 16));
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** The raw HTTP body of a callback carrying `envelope`. */
export function callbackBody(envelope: unknown, key: string): Buffer {
  return Buffer.from(JSON.stringify({ encrypt: encryptPayload(JSON.stringify(envelope), key) }), "utf8");
}

/** The `Content-Signature` header value of `body`. */
export function contentSignature(body: Buffer, token: string): string {
  return `sha256=${createHmac("sha256", token).update(body).digest("hex")}`;
}

/** A signature that cannot verify: the same shape with its last hex digit changed. */
export function corruptSignature(signature: string): string {
  const last = signature.slice(-1);
  return signature.slice(0, -1) + (last === "0" ? "1" : "0");
}
