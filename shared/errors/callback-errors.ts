import { AppError } from "./app-error";

/**
 * Refusals of the callback receiver that protect the store from forged messages. 401 makes ESS
 * retry, which is right: ESS itself never sends what these refuse.
 */

/** A query-form signature on a body without `encrypt`: the signature covers nothing of it. */
export class QuerySignatureCoversNothing extends AppError {
  constructor() {
    super(
      "AuthFailure.SignatureFailure",
      401,
      "A msg_signature covers only encrypt; a callback without encrypt must carry Content-Signature",
    );
    this.name = "QuerySignatureCoversNothing";
  }
}

/** A legacy v1 (bare MsgData) message that is not signed with Content-Signature. */
export class LegacyCallbackUnsigned extends AppError {
  constructor() {
    super(
      "AuthFailure.SignatureFailure",
      401,
      "A legacy v1 callback is accepted only with a Content-Signature over the raw body",
    );
    this.name = "LegacyCallbackUnsigned";
  }
}
