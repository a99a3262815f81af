import { timingSafeEqual } from "node:crypto";
import { NotifySignatureError } from "../errors/notify-errors";
import { computeNotifySignature, NOTIFY_SIGNATURE_SCHEME } from "./signature";

export { NotifySignatureError, type NotifySignatureFailure } from "../errors/notify-errors";
export { NOTIFY_SIGNATURE_HEADER, notifySignatureHeader } from "./signature";

/**
 * The receiver side of push notifications, for the user's own server (README, "Push
 * notifications"): checks `Ess-Notify-Signature` against the raw body before anything else, then
 * parses the event. Depends only on `node:crypto` and the two small files it imports, so it can be
 * copied into a backend as it is.
 *
 * ```ts
 * const event = constructNotifyEvent(rawBody, req.headers["ess-notify-signature"], process.env.NOTIFY_SECRET!);
 * // event.id: deduplicate on it; event.data: the group as GET /flow-groups/{id} answers it
 * ```
 */

/** A push notification: one per observed change of a group, a flow or an approver. */
export interface NotifyEvent<Data = Record<string, unknown>> {
  /** Unique per event; a redelivery carries the same id (and the same body): deduplicate on it. */
  id: string;
  type: "flow_group.updated";
  /** Unix seconds the event was made (when the change was observed). */
  created: number;
  /** 1, 2, 3… per group, in the order the changes were observed; an older sequence is older news. */
  sequence: number;
  /** The group as `GET /flow-groups/{FlowGroupId}` answers it at `created`. */
  data: Data;
}

export interface VerifyOptions {
  /**
   * How far the signature's timestamp may be from `now`, either way, in seconds (default 300). The
   * signature covers the timestamp, so this bounds how long a captured request can be replayed.
   */
  toleranceSeconds?: number;
  /** The clock, epoch milliseconds (default `Date.now`); inject it in tests. */
  now?: () => number;
}

/** Default `toleranceSeconds`. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEX_SIGNATURE = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Throws `NotifySignatureError` unless `header` carries a `v1` signature of `rawBody` under
 * `secret` whose timestamp is within the tolerance. `rawBody` must be the request body exactly as
 * received (a string or bytes): JSON parsed and serialised again is not the text that was signed.
 * Every listed `v1` is tried, so a sender may sign with an old and a new secret while rotating.
 */
export function verifyNotifySignature(
  rawBody: string | Uint8Array,
  header: string | string[] | undefined | null,
  secret: string,
  options: VerifyOptions = {},
): void {
  if (typeof secret !== "string" || secret === "") throw new TypeError("the notification secret is empty");
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array)) {
    const why = "Pass the raw request body (a string or a Buffer), not parsed JSON: the signature covers the exact bytes";
    throw new NotifySignatureError("payload", why);
  }
  if (Array.isArray(header)) header = header.length === 1 ? header[0] : undefined;
  if (typeof header !== "string" || header.trim() === "") throw new NotifySignatureError("missing", "No Ess-Notify-Signature header");

  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === "t" && UNIX_SECONDS.test(value)) timestamp = Number(value);
    else if (name === NOTIFY_SIGNATURE_SCHEME && HEX_SIGNATURE.test(value)) signatures.push(Buffer.from(value, "hex"));
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new NotifySignatureError("malformed", "Ess-Notify-Signature needs t=<unix seconds> and v1=<hex signature>");
  }

  const expected = Buffer.from(computeNotifySignature(timestamp, rawBody, secret), "hex");
  // Every candidate is compared in full (constant time each), so timing says nothing about which matched.
  let matched = false;
  for (const candidate of signatures) matched = timingSafeEqual(candidate, expected) || matched;
  if (!matched) {
    const hint = /\s/.test(secret) ? " (the secret contains whitespace: an extra newline or space?)" : "";
    throw new NotifySignatureError("mismatch", `No v1 signature matches the body: check the secret and that the raw body is used${hint}`);
  }

  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance > 0)) throw new TypeError("toleranceSeconds must be positive");
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    const why = `The signature's timestamp is more than ${tolerance} s from now (a replay, or a clock that is off)`;
    throw new NotifySignatureError("stale", why);
  }
}

/**
 * Verifies the request (see `verifyNotifySignature`) and only then parses its body into the event.
 * Throws `NotifySignatureError` (reason `payload` when a verified body is not a notification event).
 */
export function constructNotifyEvent<Data = Record<string, unknown>>(
  rawBody: string | Uint8Array,
  header: string | string[] | undefined | null,
  secret: string,
  options: VerifyOptions = {},
): NotifyEvent<Data> {
  verifyNotifySignature(rawBody, header, secret, options);
  const text = typeof rawBody === "string" ? rawBody : new TextDecoder("utf-8", { fatal: false }).decode(rawBody);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotifySignatureError("payload", "The signed body is not JSON");
  }
  const event = value as Partial<NotifyEvent<Data>> | null;
  if (
    typeof event !== "object" ||
    event === null ||
    typeof event.id !== "string" ||
    typeof event.type !== "string" ||
    typeof event.created !== "number" ||
    typeof event.data !== "object" ||
    event.data === null
  ) {
    throw new NotifySignatureError("payload", "The signed body is not a notification event (id, type, created, data)");
  }
  return event as NotifyEvent<Data>;
}
