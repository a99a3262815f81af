import { describe, expect, it } from "vitest";
import { ApiKeyInvalid, ApiKeyMissing, CallerIdentityRefused } from "../../../shared/errors/access-errors";
import { type AppError, GENERIC_5XX_MESSAGE } from "../../../shared/errors/app-error";
import {
  CallbackBodyInvalid,
  CallbackEncryptInvalid,
  CallbackEncryptMissing,
  CallbackEnvelopeInvalid,
  CallbackKeyWrong,
  CallbackSignatureExpired,
  CallbackSignatureInvalid,
  CallbackStoreUnavailable,
  LegacyCallbackUnsigned,
  QuerySignatureCoversNothing,
} from "../../../shared/errors/callback-errors";
import { ERROR_TABLE } from "../../../shared/errors/error-table";
import {
  EssAuthFailure,
  EssInternalError,
  EssInvalidRequest,
  EssRateLimited,
  EssRefused,
  EssResourceNotFound,
  EssTimeout,
  EssUnreachable,
} from "../../../shared/errors/ess-errors";
import {
  FilesNotPdf,
  NOT_A_PDF,
  UploadAnswerIncomplete,
  uploadRefusal,
  UploadRefused,
  UploadTooLarge,
} from "../../../shared/errors/file-errors";
import {
  ApproverNotFound,
  GroupNotFound,
  GroupNotRecorded,
  GroupNotSigned,
  InvalidFlowGroupId,
  NoCallerIdentity,
  NothingToSign,
  SignUrlMissing,
} from "../../../shared/errors/group-errors";
import {
  IdempotencyInProgress,
  IdempotencyKeyExhausted,
  IdempotencyKeyInvalid,
  IdempotencyKeyReused,
  IdempotencyOutcomeUnknown,
  IdempotencyUnsupported,
} from "../../../shared/errors/idempotency-errors";
import {
  BodyTooLarge,
  BodyUnreadable,
  FunctionAnswerInvalid,
  FunctionFailed,
  FunctionMisconfigured,
  FunctionTimedOut,
  HostRefused,
  JsonContentTypeRequired,
  JsonTooDeep,
  MethodNotAllowed,
  OriginRefused,
  RouteNotFound,
  UnexpectedError,
  UnsupportedContentType,
  ValidationError,
} from "../../../shared/errors/request-errors";
import { BucketCheckFailed, BucketVersioned } from "../../../shared/errors/store-errors";
import { errorResponse } from "../../../shared/http/response";

const issue = (Code: string) => ({ Path: "FlowGroupName", Code, Message: "is too long" });

/**
 * Every error on the wire, as callers see it: status, ESS-style code, whether the message is shown,
 * and the headers it adds. Written from what each error answered before the table existed, so a row
 * of the table that changes an answer fails here.
 */
const WIRE: Array<[AppError, number, string, "shown" | "generic", Record<string, string>?]> = [
  [new RouteNotFound("get", "/nope?x=1"), 404, "ResourceNotFound", "shown"],
  [new MethodNotAllowed(["GET", "POST"]), 405, "UnsupportedOperation.Method", "shown", { Allow: "GET, POST" }],
  [new BodyTooLarge(10), 413, "LimitExceeded.BodySize", "shown"],
  [new UploadTooLarge(6 * 1024 * 1024), 413, "LimitExceeded.BodySize", "shown"],
  [new BodyUnreadable("Request body is empty; expected a JSON object"), 400, "InvalidParameter.Body", "shown"],
  [new JsonTooDeep("Request body", 32), 400, "InvalidParameter.Body", "shown"],
  [
    new UnsupportedContentType("multipart/form-data or application/json"),
    415,
    "InvalidParameter.ContentType",
    "shown",
    { Accept: "multipart/form-data, application/json" },
  ],
  [new JsonContentTypeRequired(), 415, "InvalidParameter.ContentType", "shown"],
  [new HostRefused(), 403, "OperationDenied.Host", "shown"],
  [new OriginRefused(), 403, "OperationDenied.Origin", "shown"],
  [new ValidationError([issue("InvalidParameter.FlowGroupName")]), 400, "InvalidParameter.FlowGroupName", "shown"],
  [new UnexpectedError(new Error("internal detail")), 500, "InternalError", "generic"],
  [new FunctionMisconfigured("create-group"), 500, "InternalError.Configuration", "generic"],
  [new FunctionTimedOut("create-group", 30_000), 502, "InternalError.FunctionTimeout", "shown"],
  [new FunctionAnswerInvalid("create-group"), 502, "InternalError.FunctionResponse", "shown"],
  [new FunctionFailed("create-group"), 502, "InternalError.FunctionError", "shown"],
  [new ApiKeyMissing(), 401, "AuthFailure.MissingApiKey", "shown", { "WWW-Authenticate": 'Bearer realm="ess-flow-groups"' }],
  [
    new ApiKeyInvalid(),
    401,
    "AuthFailure.InvalidApiKey",
    "shown",
    { "WWW-Authenticate": 'Bearer realm="ess-flow-groups", error="invalid_token"' },
  ],
  [new CallerIdentityRefused("Operator.UserId", "differs"), 403, "UnauthorizedOperation.CallerIdentity", "shown"],
  [new IdempotencyKeyInvalid(255), 400, "InvalidParameter.IdempotencyKey", "shown"],
  [new IdempotencyUnsupported(), 400, "UnsupportedOperation.IdempotencyKey", "shown"],
  [new IdempotencyKeyReused(), 422, "InvalidParameter.IdempotencyKeyReused", "shown"],
  [new IdempotencyInProgress("still running", 2), 409, "FailedOperation.IdempotencyKeyInUse", "shown", { "Retry-After": "2" }],
  [new IdempotencyKeyExhausted(), 409, "FailedOperation.IdempotencyKeyInUse", "shown"],
  [new IdempotencyOutcomeUnknown(), 409, "FailedOperation.IdempotencyOutcomeUnknown", "shown"],
  [new InvalidFlowGroupId(), 400, "InvalidParameter.FlowGroupId", "shown"],
  [new GroupNotFound("yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO"), 404, "ResourceNotFound.FlowGroup", "shown"],
  [new GroupNotRecorded("yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO"), 409, "FailedOperation.GroupNotRecorded", "shown"],
  [new NoCallerIdentity("essbasic"), 409, "FailedOperation.NoCallerIdentity", "shown"],
  [new ApproverNotFound("RecipientId"), 404, "ResourceNotFound.FlowApprover", "shown"],
  [new NothingToSign("RecipientId", "signed"), 409, "OperationDenied.NothingToSign", "shown"],
  [new GroupNotSigned("yDwFkUUckpstjr3bUuO4zjEwhzGeIkDO", "PART"), 409, "FailedOperation.GroupNotSigned", "shown"],
  [new SignUrlMissing("CreateSchemeUrl", "ess-1"), 502, "FailedOperation.SignUrl", "shown"],
  [new FilesNotPdf([issue(NOT_A_PDF)]), 415, NOT_A_PDF, "shown"],
  [new UploadRefused([issue("InvalidParameter.FileBody")]), 400, "InvalidParameter.FileBody", "shown"],
  [new UploadAnswerIncomplete(2, 1, "ess-2"), 502, "FailedOperation.UploadFiles", "shown"],
  [new CallbackSignatureInvalid("mismatch"), 401, "AuthFailure.SignatureFailure", "shown"],
  [new CallbackSignatureExpired(), 401, "AuthFailure.SignatureExpire", "shown"],
  [new QuerySignatureCoversNothing(), 401, "AuthFailure.SignatureFailure", "shown"],
  [new LegacyCallbackUnsigned(), 401, "AuthFailure.SignatureFailure", "shown"],
  [new CallbackBodyInvalid("is not valid JSON"), 400, "InvalidParameter.Body", "shown"],
  [new CallbackEncryptMissing(), 400, "MissingParameter.Encrypt", "shown"],
  [new CallbackEncryptInvalid(), 400, "InvalidParameter.Encrypt", "shown"],
  [new CallbackEnvelopeInvalid("no MsgId"), 400, "InvalidParameter.Envelope", "shown"],
  [new CallbackStoreUnavailable(new Error("ECONNRESET")), 503, "ResourceUnavailable.Store", "generic"],
  [new CallbackKeyWrong(), 500, "InternalError.CallbackKey", "shown"],
  [new BucketVersioned("Enabled"), 503, "ResourceUnavailable.CosBucketVersioning", "shown"],
  [new BucketCheckFailed("AccessDenied, HTTP 403"), 503, "ResourceUnavailable.CosBucketCheck", "shown"],
  [new EssInvalidRequest("InvalidParameter.FlowName", "bad name"), 400, "InvalidParameter.FlowName", "shown"],
  [new EssResourceNotFound("ResourceNotFound.Flow", "no flow"), 404, "ResourceNotFound.Flow", "shown"],
  [new EssRateLimited("RequestLimitExceeded", "slow down"), 429, "RequestLimitExceeded", "shown", { "Retry-After": "1" }],
  [new EssRefused("OperationDenied.NoQuota"), 502, "OperationDenied.NoQuota", "shown"],
  [new EssTimeout(1_000), 502, "InternalError.EssTimeout", "shown"],
  [new EssUnreachable(503), 502, "InternalError.EssUnreachable", "shown"],
  [new EssAuthFailure(), 502, "InternalError.EssAuthFailure", "shown"],
  [new EssInternalError(), 502, "InternalError.Ess", "shown"],
];

describe("the error table", () => {
  it.each(WIRE.map((row) => [row[0].name, ...row] as const))(
    "%s answers as before",
    (_name, error, status, code, message, headers = {}) => {
      const res = errorResponse(error, "r-1");
      const body = JSON.parse(res.body) as { Error: { Code: string; Message: string } };
      expect(res.statusCode).toBe(status);
      expect(body.Error.Code).toBe(code);
      expect(body.Error.Message).toBe(message === "shown" ? error.message : GENERIC_5XX_MESSAGE);
      expect(res.headers).toMatchObject(headers);
    },
  );

  it("has a row for each error and an error for each row", () => {
    expect(new Set(WIRE.map(([error]) => error.name))).toEqual(new Set(Object.keys(ERROR_TABLE)));
  });

  it("an upload refusal is 415 only when every problem is a file that is not a PDF", () => {
    expect(uploadRefusal([issue(NOT_A_PDF), issue(NOT_A_PDF)]).httpStatus).toBe(415);
    expect(uploadRefusal([issue(NOT_A_PDF), issue("InvalidParameter.FileName")]).httpStatus).toBe(400);
  });
});
