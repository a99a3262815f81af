import { describe, expect, it } from "vitest";
import type { Edition } from "../../../shared/ess/edition";
import { codeFor, formatPath, lastField, suggestField } from "../../../shared/validation/issues";
import type { RuleId } from "../../../shared/validation/rules";

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["FlowGroupName"], "FlowGroupName"],
    [["FlowFileInfos", 3, "FlowApprovers", 0, "Mobile"], "FlowFileInfos[3].FlowApprovers[0].Mobile"],
    [["FlowGroupInfos", 0, "FileIds", 1], "FlowGroupInfos[0].FileIds[1]"],
  ] as const)("%j → %s", (segments, path) => {
    expect(formatPath(segments)).toBe(path);
  });
});

describe("lastField", () => {
  it.each([
    ["", undefined],
    ["FlowGroupName", "FlowGroupName"],
    ["FlowFileInfos[0].FileIds[0]", "FileIds"],
    ["FlowGroupInfos[2].Approvers[1]", "Approvers"],
    ["A.B.C", "C"],
  ])("%s → %s", (path, field) => {
    expect(lastField(path)).toBe(field);
  });
});

describe("codeFor: the spec pages' own codes for a field", () => {
  it.each([
    ["field-type", "ess", "FlowGroupInfos[0].Approvers[0].ApproverMobile", "InvalidParameter.Mobile"],
    ["field-type", "essbasic", "FlowFileInfos[0].FlowApprovers[0].Mobile", "InvalidParameter.NonsupportMobile"],
    ["field-type", "ess", "FlowGroupInfos[0].Deadline", "InvalidParameter.FlowDeadLine"],
    ["field-type", "ess", "FlowGroupInfos[0].UserData", "InvalidParameter.FlowUserData"],
    ["field-type", "essbasic", "FlowFileInfos[0].FileIds[0]", "InvalidParameter.FlowFileIds"],
    ["field-type", "ess", "FlowGroupInfos[0].Approvers[0].SignComponents[0].ComponentPosY", "InvalidParameter.ComponentPosition"],
    ["field-type", "essbasic", "FlowFileInfos[0].FlowApprovers[0].IdCardType", "InvalidParameter.CardType"],
    ["field-type", "essbasic", "FlowFileInfos[0].Unordered", "InvalidParameter.Unordered"],
    ["required-field", "ess", "FlowGroupInfos[0].FileIds", "MissingParameter.ResourceId"],
    ["required-field", "ess", "FlowGroupInfos[0].Approvers", "MissingParameter.FlowApprover"],
    ["required-field", "essbasic", "FlowFileInfos[0].FlowName", "MissingParameter.FlowName"],
    ["required-field", "ess", "", "MissingParameter"],
    ["mobile.format", "essbasic", "FlowFileInfos[0].FlowApprovers[0].Mobile", "InvalidParameter.NonsupportMobile"],
    ["unknown-field", "ess", "constructor", "UnknownParameter"],
    ["field-type", "ess", "toString", "InvalidParameter.toString"],
  ] as [RuleId, Edition, string, string][])("%s (%s) at %s → %s", (rule, edition, path, code) => {
    expect(codeFor(rule, edition, path)).toBe(code);
  });

  it("refuses a rule that does not exist in the edition (a programming error, not a user one)", () => {
    expect(() => codeFor("deadline.max", "ess", "FlowGroupInfos[0].Deadline")).toThrow(/not defined for ess/);
  });
});

describe("suggestField", () => {
  const approver = ["ApproverType", "ApproverName", "ApproverMobile", "ApproverRoleName", "OrganizationName", "SignComponents"];
  it.each([
    ["ApproverMobil", approver, "ApproverMobile"],
    ["approvermobile", approver, "ApproverMobile"],
    ["ApprvoerName", approver, "ApproverName"],
    ["Mobile", approver, "ApproverMobile"],
    ["Name", approver, "ApproverName"],
    ["RoleName", approver, "ApproverRoleName"],
    ["Signature", approver, undefined],
    ["X", approver, undefined],
    ["ApproverName", ["Name", "Mobile", "ApproverRoleName"], "Name"],
    ["CustomerData", ["UserData", "FlowName"], "UserData"],
  ] as [string, string[], string | undefined][])("%s among %j → %s", (key, known, hint) => {
    expect(suggestField(key, known)).toBe(hint);
  });
});
