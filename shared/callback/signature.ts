import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { SHA1_HEX, SHA256_HEX, UNIX_SECONDS } from "../text/input-patterns";

/**
 * The two ways ESS signs a callback when a callback token is configured:
 * - header form: `Content-Signature: sha256=<hex HMAC-SHA256(token, raw body bytes)>` (older
 *   senders omit the `sha256=` prefix);
 * - query form: `?timestamp=…&nonce=…&msg_signature=<hex SHA-1 of the sorted [token, timestamp,
 *   nonce, encrypt] joined>`.
 * Every comparison is constant-time over fixed-length digests, so the time taken says nothing about
 * how much of a forged signature was right.
 */

/** Which signature a request carried and whether it holds. */
export type SignatureCheck = { ok: true; form: "header" | "query" } | { ok: false; reason: "missing" | "malformed" | "mismatch" | "stale" };

/** Query parameters of the query form, as they arrive (any may be absent). */
export interface QuerySignatureParams {
  timestamp?: string;
  nonce?: string;
  msgSignature?: string;
}

/** The header form's optional prefix. */
const HEADER_PREFIX = "sha256=";

/** The header value without its `sha256=` prefix (any case). */
function withoutPrefix(headerValue: string): string {
  return headerValue.slice(0, HEADER_PREFIX.length).toLowerCase() === HEADER_PREFIX ? headerValue.slice(HEADER_PREFIX.length) : headerValue;
}

/** Compares two digests without an early exit; a length mismatch is a plain `false`. */
function digestsEqual(expected: Buffer, given: Buffer): boolean {
  // timingSafeEqual throws on different lengths; the length of a digest is public anyway.
  if (expected.length !== given.length) return false;
  return timingSafeEqual(expected, given);
}

/**
 * Verifies the header form on the raw request bytes exactly as received (never a re-serialised
 * body: any byte of difference must fail). Accepts `sha256=<hex>` and a bare `<hex>`.
 */
export function verifyContentSignature(rawBody: Uint8Array, headerValue: string, token: string): boolean {
  const hex = withoutPrefix(headerValue.trim());
  // Buffer.from(hex, "hex") silently drops what is not hex; check the shape first.
  if (!SHA256_HEX.test(hex)) return false;
  const expected = createHmac("sha256", token).update(rawBody).digest();
  return digestsEqual(expected, Buffer.from(hex, "hex"));
}

/**
 * The query form's `msg_signature`: hex SHA-1 of `[token, timestamp, nonce, encrypt]` sorted in
 * code-unit order and concatenated. An absent `encrypt` counts as the empty string.
 */
export function querySignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const parts = [token, timestamp, nonce, encrypt].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha1").update(parts.join(""), "utf8").digest("hex");
}

/**
 * Verifies the query form, and refuses a `timestamp` further than `maxAgeSeconds` from `now` (either
 * way): the signature covers only the timestamp, the nonce and `encrypt`, so a signed URL seen in a
 * log must stop working soon. A replay inside the window is harmless: events are stored once per
 * MsgId. Only bodies with an `encrypt` may rely on this form (see `receiveCallback`).
 */
export function verifyQuerySignature(
  params: Required<QuerySignatureParams>,
  encrypt: string,
  token: string,
  options: { now: Date; maxAgeSeconds: number },
): SignatureCheck {
  if (!SHA1_HEX.test(params.msgSignature.trim())) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(querySignature(token, params.timestamp, params.nonce, encrypt), "hex");
  if (!digestsEqual(expected, Buffer.from(params.msgSignature.trim(), "hex"))) return { ok: false, reason: "mismatch" };
  if (!UNIX_SECONDS.test(params.timestamp) || Math.abs(options.now.getTime() / 1000 - Number(params.timestamp)) > options.maxAgeSeconds) {
    return { ok: false, reason: "stale" };
  }
  return { ok: true, form: "query" };
}

/** True when at least one query-form parameter is present (so the sender meant to use it). */
export function hasQuerySignature(params: QuerySignatureParams): boolean {
  return params.timestamp !== undefined || params.nonce !== undefined || params.msgSignature !== undefined;
}

/**
 * Checks whichever forms a request carries; a valid one of them suffices (ESS uses one or the
 * other). `encrypt` is only read for the query form, and only called when that form is present, so
 * a header-signed body is verified before anything parses it.
 */
export function checkSignature(input: {
  rawBody: Uint8Array;
  contentSignature: string | undefined;
  query: QuerySignatureParams;
  token: string;
  /** The outer body's `encrypt` (empty string when there is none); only the query form needs it. */
  encrypt: () => string;
  now: Date;
  /** The query form's `timestamp` window, either way. */
  maxAgeSeconds: number;
}): SignatureCheck {
  const header = input.contentSignature?.trim() ?? "";
  const hasQuery = hasQuerySignature(input.query);
  if (header === "" && !hasQuery) return { ok: false, reason: "missing" };
  const failures: Array<"malformed" | "mismatch" | "stale"> = [];
  if (header !== "") {
    if (verifyContentSignature(input.rawBody, header, input.token)) return { ok: true, form: "header" };
    failures.push(SHA256_HEX.test(withoutPrefix(header)) ? "mismatch" : "malformed");
  }
  if (hasQuery) {
    const { timestamp, nonce, msgSignature } = input.query;
    if (timestamp === undefined || nonce === undefined || msgSignature === undefined) {
      failures.push("malformed");
    } else {
      const check = verifyQuerySignature({ timestamp, nonce, msgSignature }, input.encrypt(), input.token, {
        now: input.now,
        maxAgeSeconds: input.maxAgeSeconds,
      });
      if (check.ok) return check;
      failures.push(check.reason === "missing" ? "malformed" : check.reason);
    }
  }
  // The most telling reason goes to the log: a stale or wrong signature says more than a bad shape.
  const reason = failures.includes("stale") ? "stale" : failures.includes("mismatch") ? "mismatch" : "malformed";
  return { ok: false, reason };
}
