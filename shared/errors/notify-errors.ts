/**
 * Why a push notification was refused by the receiver helper (`shared/notify/receiver.ts`), which
 * runs in the user's own code. A plain `Error` (not an `AppError`): the user's server decides what to
 * answer; the usual answer is 400, so that a forged or replayed request is not taken for an event.
 *
 * - `missing`: no `Ess-Notify-Signature` header;
 * - `malformed`: the header has no `t=` timestamp or no `v1=` signature;
 * - `mismatch`: no `v1` signature matches the body under the secret (wrong secret, or a body that
 *   was parsed and re-serialised before it was checked);
 * - `stale`: the signature matches but its timestamp is further from the clock than the tolerance
 *   (a replay, or a clock that is off);
 * - `payload`: the body is not raw bytes or text, or, once verified, is not a notification event.
 */
export type NotifySignatureFailure = "missing" | "malformed" | "mismatch" | "stale" | "payload";

export class NotifySignatureError extends Error {
  constructor(
    readonly reason: NotifySignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = "NotifySignatureError";
  }
}
