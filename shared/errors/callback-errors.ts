import { AppError } from "./app-error";

/**
 * Refusals of the callback receiver (shared/callback/receive-callback.ts). A 4xx or 5xx makes ESS
 * retry the message, which is right for each of these: ESS itself never sends what the 4xx refuse,
 * and the 5xx are failures on this side that a retry gets past once fixed.
 */

/** No signature where one is required, or one that does not match. */
export class CallbackSignatureInvalid extends AppError {
  constructor(reason: "missing" | "malformed" | "mismatch") {
    super("CallbackSignatureInvalid", reason === "missing" ? "Callback signature is missing" : "Callback signature does not match");
  }
}

/** A query-form signature whose timestamp is older than the configured window. */
export class CallbackSignatureExpired extends AppError {
  constructor() {
    super("CallbackSignatureExpired", "Callback signature timestamp is too old");
  }
}

/** A query-form signature on a body without `encrypt`: the signature covers nothing of it. */
export class QuerySignatureCoversNothing extends AppError {
  constructor() {
    super("QuerySignatureCoversNothing", "A msg_signature covers only encrypt; a callback without encrypt must carry Content-Signature");
  }
}

/** A legacy v1 (bare MsgData) message that is not signed with Content-Signature. */
export class LegacyCallbackUnsigned extends AppError {
  constructor() {
    super("LegacyCallbackUnsigned", "A legacy v1 callback is accepted only with a Content-Signature over the raw body");
  }
}

/** An outer body that is not a JSON object (`why` says how, never what it held). */
export class CallbackBodyInvalid extends AppError {
  constructor(why: string) {
    super("CallbackBodyInvalid", `Callback body ${why}`);
  }
}

/** Strict mode: a body without `encrypt`. */
export class CallbackEncryptMissing extends AppError {
  constructor() {
    super("CallbackEncryptMissing", "Callback body has no encrypt field");
  }
}

/** Strict mode: an `encrypt` that does not decrypt to JSON. */
export class CallbackEncryptInvalid extends AppError {
  constructor() {
    super("CallbackEncryptInvalid", "Callback encrypt does not decrypt to JSON");
  }
}

/** A message that decrypted with our key but is not an envelope we can read. */
export class CallbackEnvelopeInvalid extends AppError {
  constructor(why: string) {
    super("CallbackEnvelopeInvalid", why);
  }
}

/** The status store failed: 503, so ESS retries. */
export class CallbackStoreUnavailable extends AppError {
  constructor(cause: unknown) {
    super("CallbackStoreUnavailable", "The status store is unavailable; retry later", { cause });
  }
}

/** A signed callback (so ESS sent it) that our key cannot open: the configured callback key is wrong. */
export class CallbackKeyWrong extends AppError {
  constructor() {
    super("CallbackKeyWrong", "A signed callback could not be decrypted; the service's callback key is wrong");
  }
}
