import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { mapEssError } from "../../../shared/ess/error-map";

/** Builds what the official SDK throws for an ESS error answer (TencentCloudSDKHttpException). */
function sdkError(code: string, message = "参数错误", requestId = "s1694570527888078574") {
  const e = new Error(message) as Error & { code: string; requestId: string };
  e.code = code;
  e.requestId = requestId;
  return e;
}

describe("mapEssError", () => {
  it.each([
    ["InvalidParameter.FlowName", 400, "InvalidParameter.FlowName", true],
    ["InvalidParameterValue", 400, "InvalidParameterValue", true],
    ["MissingParameter.FlowApprover", 400, "MissingParameter.FlowApprover", true],
    ["UnknownParameter", 400, "UnknownParameter", true],
    ["ResourceNotFound.Resource", 404, "ResourceNotFound.Resource", true],
    ["ResourceNotFound", 404, "ResourceNotFound", true],
    ["LimitExceeded", 429, "LimitExceeded", true],
    ["RequestLimitExceeded", 429, "RequestLimitExceeded", true],
    ["FailedOperation.RequestLimitExceeded", 429, "FailedOperation.RequestLimitExceeded", true],
    ["AuthFailure.SignatureFailure", 502, "InternalError.EssAuthFailure", true],
    ["AuthFailure.SecretIdNotFound", 502, "InternalError.EssAuthFailure", true],
    ["InternalError.Db", 502, "InternalError.Ess", true],
    ["InternalError", 502, "InternalError.Ess", true],
    ["OperationDenied.NoQuota", 502, "OperationDenied.NoQuota", true],
    ["FailedOperation", 502, "FailedOperation", true],
    ["UnauthorizedOperation.NoPermissionFeature", 502, "UnauthorizedOperation.NoPermissionFeature", true],
  ])("%s → HTTP %i as %s", (essCode, status, code, keepsRequestId) => {
    const mapped = mapEssError(sdkError(essCode));
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.httpStatus).toBe(status);
    expect(mapped.code).toBe(code);
    if (keepsRequestId) expect(mapped.essRequestId).toBe("s1694570527888078574");
  });

  it("passes ESS's message on for 4xx, masking mobiles in it", () => {
    const mapped = mapEssError(sdkError("InvalidParameter.Mobile", "手机号18251952320不合法"));
    expect(mapped.message).toContain("182****2320");
    expect(mapped.message).not.toContain("18251952320");
  });

  it("keeps ESS's free text out of 5xx business refusals (it may name people)", () => {
    const mapped = mapEssError(sdkError("OperationDenied.NoIdentityVerify", "签署人张三未实名"));
    expect(mapped.message).not.toContain("张三");
    expect(mapped.message).toContain("OperationDenied.NoIdentityVerify");
  });

  it("adds Retry-After to rate-limit answers", () => {
    expect(mapEssError(sdkError("RequestLimitExceeded")).headers["Retry-After"]).toBe("1");
  });

  it.each([
    ["network timeout at: http://127.0.0.1:9/", "InternalError.EssTimeout"],
    ["The user aborted a request.", "InternalError.EssTimeout"],
    ["request to http://127.0.0.1:9/ failed, reason: connect ECONNREFUSED 127.0.0.1:9", "InternalError.EssUnreachable"],
  ])("a transport failure (%s) is a 502 %s that does not leak the URL", (message, code) => {
    const mapped = mapEssError(new Error(message), { timeoutMs: 1234 });
    expect(mapped.httpStatus).toBe(502);
    expect(mapped.code).toBe(code);
    expect(mapped.message).not.toContain("127.0.0.1");
  });

  it("an HTTP error without an ESS code is unreachable, with the HTTP status in words", () => {
    const e = Object.assign(new Error("Bad Gateway"), { httpCode: 502, requestId: "" });
    const mapped = mapEssError(e);
    expect(mapped.code).toBe("InternalError.EssUnreachable");
    expect(mapped.message).toContain("HTTP 502");
    expect(mapped.essRequestId).toBeUndefined();
  });
});
