import { AppError } from "./app-error";

/**
 * Errors of the object-store port (`shared/object-store/`). Two kinds:
 * - `StoreUnavailableError`: the storage failed or did not answer in time. Transient: the callback
 *   answers 503 so ESS retries, a read answers 5xx. Carries the operation, COS code, HTTP status
 *   and request id, never credentials.
 * - `StoreRefusedError` (an `AppError`, 503 with a code naming the cause): the storage answers, but
 *   this service must not use it, e.g. a COS bucket whose versioning was ever enabled. Nothing is
 *   written; the message says what to change.
 * `InvalidObjectKeyError` is a programming error (a key the store refuses), never a storage failure.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

export class InvalidObjectKeyError extends Error {
  constructor(reason: string) {
    super(`Invalid object key: ${reason}`);
    this.name = "InvalidObjectKeyError";
  }
}

/** The storage must not be used as configured; each subclass names why. */
export abstract class StoreRefusedError extends AppError {}

/**
 * The COS bucket has (or once had) versioning: COS then ignores `x-cos-forbid-overwrite`, every
 * create-exclusive write "wins", and a redelivered callback or a second create with one
 * Idempotency-Key would be stored (or sent to ESS) twice. Versioning can be suspended but never
 * turned off, so the only fix is another bucket (or prefix in a bucket that never had it).
 */
export class BucketVersioned extends StoreRefusedError {
  constructor(status: string) {
    super(
      "BucketVersioned",
      `The COS bucket's versioning is ${status}: COS ignores x-cos-forbid-overwrite on such a bucket, so nothing is written ` +
        "(messages could be stored twice). Versioning can never be turned off again: " +
        "use a bucket that never had it (see README, The store).",
    );
  }
}

/** The bucket's versioning could not be read (e.g. the role lacks cos:GetBucketVersioning): refused rather than guessed. */
export class BucketCheckFailed extends StoreRefusedError {
  constructor(detail: string) {
    super(
      "BucketCheckFailed",
      `The COS bucket's versioning could not be checked (${detail}); nothing is written until it can be. ` +
        "Grant the function role cos:GetBucketVersioning on the bucket (see README, The store).",
    );
  }
}
