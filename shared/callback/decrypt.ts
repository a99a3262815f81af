import { createDecipheriv } from "node:crypto";
import { BASE64_CIPHERTEXT } from "../text/input-patterns";

/**
 * Decryption of the `encrypt` field of an ESS callback: AES-256-CBC, key = the 32-byte callback key
 * as UTF-8 bytes, IV = the first 16 bytes of that key, PKCS#7 padding.
 */

/** Why a ciphertext was refused; tells a console probe (`base64`, `length`) from a wrong key (`padding`). */
export type DecryptFailure = "key" | "base64" | "length" | "padding";

/**
 * The `encrypt` value could not be decrypted. Its message names the reason only: never the key, the
 * ciphertext or any plaintext bytes.
 */
export class DecryptError extends Error {
  constructor(readonly reason: DecryptFailure) {
    super(MESSAGES[reason]);
    this.name = "DecryptError";
  }
}

const MESSAGES: Record<DecryptFailure, string> = {
  key: "callback key is not 32 bytes of UTF-8",
  base64: "encrypt is not base64",
  length: "ciphertext length is not a positive multiple of the AES block size",
  padding: "ciphertext does not decrypt with the configured key (bad PKCS#7 padding)",
};

/** Signature of the decrypt step, injectable so tests can spy on when (and whether) it runs. */
export type DecryptFn = (encrypt: string, key: string) => Buffer;

const BLOCK = 16;

/** Decrypts the base64 `encrypt` of a callback with `key`; returns the plaintext bytes. */
export const decryptCallback: DecryptFn = (encrypt, key) => {
  const keyBytes = Buffer.from(key, "utf8");
  if (keyBytes.length !== 32) throw new DecryptError("key");

  // Whitespace is stripped first because some encoders wrap lines.
  const text = encrypt.replace(/\s+/g, "");
  // Buffer.from(…, "base64") skips characters it does not know; refuse them instead, so garbage
  // (a console probe) is reported as such rather than as a padding failure.
  if (text === "" || !BASE64_CIPHERTEXT.test(text) || unpaddedLength(text) % 4 === 1) throw new DecryptError("base64");
  const cipherBytes = Buffer.from(text, "base64");
  if (cipherBytes.length === 0 || cipherBytes.length % BLOCK !== 0) throw new DecryptError("length");

  const decipher = createDecipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, BLOCK));
  // Padding is checked by hand below so a failure is a typed error, not OpenSSL's text.
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  return stripPkcs7(padded);
};

/** Length of base64 text without its trailing `=` padding. */
function unpaddedLength(text: string): number {
  let end = text.length;
  while (end > 0 && text[end - 1] === "=") end--;
  return end;
}

/** Removes PKCS#7 padding, refusing anything that is not exactly `n` bytes of value `n` (1..16). */
export function stripPkcs7(padded: Buffer): Buffer {
  const n = padded[padded.length - 1];
  if (n === undefined || n < 1 || n > BLOCK || n > padded.length) throw new DecryptError("padding");
  let bad = 0;
  // Checks every padding byte without an early exit.
  for (let i = padded.length - n; i < padded.length; i++) bad |= padded[i]! ^ n;
  if (bad !== 0) throw new DecryptError("padding");
  return padded.subarray(0, padded.length - n);
}
