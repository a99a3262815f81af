import { describe, expect, it } from "vitest";
import { EssInvalidRequest, EssRateLimited } from "../../../shared/errors/ess-errors";
import { ValidationError } from "../../../shared/errors/request-errors";
import { errorResponse, MAX_ISSUES_IN_BODY } from "../../../shared/http/response";

describe("errorResponse", () => {
  it("caps the issues in a body and says how many were left out", () => {
    const issues = Array.from({ length: 250 }, (_, i) => ({
      Path: `FlowFileInfos[${i}].FlowName`,
      Code: "InvalidParameter.FlowName",
      Message: "too long",
    }));
    const body = JSON.parse(errorResponse(new ValidationError(issues), "r1").body);
    expect(body.Error.Issues).toHaveLength(MAX_ISSUES_IN_BODY);
    expect(body.Error.IssuesOmitted).toBe(150);
    expect(body.Error.Message).toContain("250 parameter errors");
  });

  it("hides the message of an unexpected error, and its stack", () => {
    const res = errorResponse(new Error("connect ECONNREFUSED 10.0.0.1 with key AKIDsecret"), "r2");
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("AKIDsecret");
    expect(res.body).not.toContain("10.0.0.1");
    expect(JSON.parse(res.body)).toMatchObject({ Error: { Code: "InternalError" }, RequestId: "r2" });
  });

  it("keeps ESS's RequestId and the error's headers", () => {
    const res = errorResponse(new EssRateLimited("RequestLimitExceeded", "slow down", { essRequestId: "s1" }), "r3");
    expect(res.headers["Retry-After"]).toBe("1");
    expect(JSON.parse(res.body).Error.EssRequestId).toBe("s1");
  });

  it("masks mobiles even in a 4xx message written carelessly", () => {
    const res = errorResponse(new EssInvalidRequest("InvalidParameter.Mobile", "18251952320 is not valid"), "r4");
    expect(res.body).not.toContain("18251952320");
  });
});
