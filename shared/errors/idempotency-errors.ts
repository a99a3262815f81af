import { AppError } from "./app-error";

/** Refusals of an `Idempotency-Key` (shared/idempotency; create-group). */

/** Empty, too long, or not printable ASCII. */
export class IdempotencyKeyInvalid extends AppError {
  constructor(maxLength: number) {
    super("IdempotencyKeyInvalid", `Idempotency-Key must be 1 to ${maxLength} printable ASCII characters without spaces`);
  }
}

/** A key sent to a deployment without an idempotency store: refused rather than silently ignored. */
export class IdempotencyUnsupported extends AppError {
  constructor() {
    super("IdempotencyUnsupported", "Idempotency-Key is not supported by this deployment");
  }
}

/** The key was used with another request body. */
export class IdempotencyKeyReused extends AppError {
  constructor() {
    super("IdempotencyKeyReused", "This Idempotency-Key was used with a different request body; use a new key for a new request");
  }
}

/** Another request with the key is running, or has just completed (`retryAfterSeconds` says when to ask again). */
export class IdempotencyInProgress extends AppError {
  constructor(message: string, retryAfterSeconds?: number) {
    super(
      "IdempotencyInProgress",
      message,
      retryAfterSeconds === undefined ? {} : { headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  }
}

/** The key's chain of claims is too long to follow: the key cannot be used any more. */
export class IdempotencyKeyExhausted extends AppError {
  constructor() {
    super("IdempotencyKeyExhausted", "Too many claims on this Idempotency-Key; use another key");
  }
}

/** The first request with the key never got ESS's answer: the group may exist, so the key sends nothing again. */
export class IdempotencyOutcomeUnknown extends AppError {
  constructor() {
    super(
      "IdempotencyOutcomeUnknown",
      "The first request with this Idempotency-Key did not get ESS's answer, so the group may exist. " +
        "It is not sent again with this key; check your callbacks or the ESS console before creating it with a new key.",
    );
  }
}
