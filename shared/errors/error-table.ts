/**
 * Every error this service answers with, by name, and what it becomes on the wire: the HTTP status,
 * the ESS-style code, and whether its message is written for the caller. The one place HTTP statuses
 * are chosen for our errors (docs/architecture.md, "Errors on the wire").
 *
 * Errors are raised by name where they happen (`throw new GroupNotFound(id)`, classes beside this
 * file); `AppError` reads its row here. `code` is absent where the error carries its own: ESS's code
 * passed through (`Ess*`), or the first issue's code (`ValidationError`, `UploadRefused`).
 *
 * `expose` follows middy's rule: a 4xx message is written for the caller, a 5xx message is replaced
 * by a generic sentence unless the row says the message was written for the caller too.
 */
export interface WireRow {
  status: number;
  code?: string;
  expose?: true;
}

export const ERROR_TABLE = {
  // Requests (shared/http, the local gateway)
  RouteNotFound: { status: 404, code: "ResourceNotFound" },
  MethodNotAllowed: { status: 405, code: "UnsupportedOperation.Method" },
  BodyTooLarge: { status: 413, code: "LimitExceeded.BodySize" },
  UploadTooLarge: { status: 413, code: "LimitExceeded.BodySize" },
  BodyUnreadable: { status: 400, code: "InvalidParameter.Body" },
  JsonTooDeep: { status: 400, code: "InvalidParameter.Body" },
  UnsupportedContentType: { status: 415, code: "InvalidParameter.ContentType" },
  JsonContentTypeRequired: { status: 415, code: "InvalidParameter.ContentType" },
  HostRefused: { status: 403, code: "OperationDenied.Host" },
  OriginRefused: { status: 403, code: "OperationDenied.Origin" },
  ValidationError: { status: 400 },
  UnexpectedError: { status: 500, code: "InternalError" },
  FunctionMisconfigured: { status: 500, code: "InternalError.Configuration" },
  FunctionTimedOut: { status: 502, code: "InternalError.FunctionTimeout", expose: true },
  FunctionAnswerInvalid: { status: 502, code: "InternalError.FunctionResponse", expose: true },
  FunctionFailed: { status: 502, code: "InternalError.FunctionError", expose: true },

  // Access (shared/auth, caller identity)
  ApiKeyMissing: { status: 401, code: "AuthFailure.MissingApiKey" },
  ApiKeyInvalid: { status: 401, code: "AuthFailure.InvalidApiKey" },
  CallerIdentityRefused: { status: 403, code: "UnauthorizedOperation.CallerIdentity" },

  // Idempotency-Key (shared/idempotency, create-group)
  IdempotencyKeyInvalid: { status: 400, code: "InvalidParameter.IdempotencyKey" },
  IdempotencyUnsupported: { status: 400, code: "UnsupportedOperation.IdempotencyKey" },
  IdempotencyKeyReused: { status: 422, code: "InvalidParameter.IdempotencyKeyReused" },
  IdempotencyInProgress: { status: 409, code: "FailedOperation.IdempotencyKeyInUse" },
  IdempotencyKeyExhausted: { status: 409, code: "FailedOperation.IdempotencyKeyInUse" },
  IdempotencyOutcomeUnknown: { status: 409, code: "FailedOperation.IdempotencyOutcomeUnknown" },

  // Groups (shared/groups)
  InvalidFlowGroupId: { status: 400, code: "InvalidParameter.FlowGroupId" },
  GroupNotFound: { status: 404, code: "ResourceNotFound.FlowGroup" },
  GroupNotRecorded: { status: 409, code: "FailedOperation.GroupNotRecorded" },
  NoCallerIdentity: { status: 409, code: "FailedOperation.NoCallerIdentity" },
  ApproverNotFound: { status: 404, code: "ResourceNotFound.FlowApprover" },
  NothingToSign: { status: 409, code: "OperationDenied.NothingToSign" },
  GroupNotSigned: { status: 409, code: "FailedOperation.GroupNotSigned" },
  SignUrlMissing: { status: 502, code: "FailedOperation.SignUrl", expose: true },

  // Uploads (shared/files)
  FilesNotPdf: { status: 415 },
  UploadRefused: { status: 400 },
  UploadAnswerIncomplete: { status: 502, code: "FailedOperation.UploadFiles", expose: true },

  // Callbacks (shared/callback). 401 makes ESS retry, which is right: ESS never sends what they refuse.
  CallbackSignatureInvalid: { status: 401, code: "AuthFailure.SignatureFailure" },
  CallbackSignatureExpired: { status: 401, code: "AuthFailure.SignatureExpire" },
  QuerySignatureCoversNothing: { status: 401, code: "AuthFailure.SignatureFailure" },
  LegacyCallbackUnsigned: { status: 401, code: "AuthFailure.SignatureFailure" },
  CallbackBodyInvalid: { status: 400, code: "InvalidParameter.Body" },
  CallbackEncryptMissing: { status: 400, code: "MissingParameter.Encrypt" },
  CallbackEncryptInvalid: { status: 400, code: "InvalidParameter.Encrypt" },
  CallbackEnvelopeInvalid: { status: 400, code: "InvalidParameter.Envelope" },
  CallbackStoreUnavailable: { status: 503, code: "ResourceUnavailable.Store" },
  CallbackKeyWrong: { status: 500, code: "InternalError.CallbackKey", expose: true },

  // Storage that must not be used as configured (shared/object-store)
  BucketVersioned: { status: 503, code: "ResourceUnavailable.CosBucketVersioning", expose: true },
  BucketCheckFailed: { status: 503, code: "ResourceUnavailable.CosBucketCheck", expose: true },

  // ESS (shared/ess/error-map.ts sorts what the SDK throws into these)
  EssInvalidRequest: { status: 400 },
  EssResourceNotFound: { status: 404 },
  EssRateLimited: { status: 429 },
  EssRefused: { status: 502, expose: true },
  EssTimeout: { status: 502, code: "InternalError.EssTimeout", expose: true },
  EssUnreachable: { status: 502, code: "InternalError.EssUnreachable", expose: true },
  EssAuthFailure: { status: 502, code: "InternalError.EssAuthFailure", expose: true },
  EssInternalError: { status: 502, code: "InternalError.Ess", expose: true },
} as const satisfies Record<string, WireRow>;

/** The name of an error this service answers with. */
export type ErrorName = keyof typeof ERROR_TABLE;

/** The names whose row leaves the code to the error itself. */
export type CodeCarryingName = { [N in ErrorName]: (typeof ERROR_TABLE)[N] extends { code: string } ? never : N }[ErrorName];
