import { describe, expect, it } from "vitest";
import { ESS_APPROVERS, ESSBASIC_APPROVERS, maximalEssbasicRequest, maximalEssRequest } from "../../../bench/validate/maximal-requests";
import { type Body, errorsOf, NOW, show, validate } from "./fixtures";

/** The bench measures these bodies; they must stay valid and as large as each edition allows. */
describe("maximal requests used by the bench", () => {
  it("ess: 50 flows × 10 approvers with sign and fill components validate with no finding", () => {
    const body: Body = maximalEssRequest(NOW);
    expect(body.FlowGroupInfos).toHaveLength(50);
    expect(body.FlowGroupInfos.every((f: Body) => f.Approvers.length === ESS_APPROVERS && f.Components.length > 0)).toBe(true);
    const outcome = validate("ess", body);
    expect(errorsOf(outcome).map(show)).toEqual([]);
    expect(outcome.warnings).toEqual([]);
  });

  it("essbasic: 50 flows × 5 approvers (its maximum) validate with no finding", () => {
    const body: Body = maximalEssbasicRequest(NOW);
    expect(body.FlowFileInfos).toHaveLength(50);
    expect(body.FlowFileInfos.every((f: Body) => f.FlowApprovers.length === ESSBASIC_APPROVERS)).toBe(true);
    const outcome = validate("essbasic", body);
    expect(errorsOf(outcome).map(show)).toEqual([]);
    expect(outcome.warnings).toEqual([]);
  });

  it("one flow more is one too many", () => {
    const body: Body = maximalEssRequest(NOW);
    body.FlowGroupInfos.push(structuredClone(body.FlowGroupInfos[0]));
    expect(errorsOf(validate("ess", body)).map(show)).toEqual(["InvalidParameter.FlowGroupInfos @ FlowGroupInfos"]);
  });

  it("one essbasic approver more is one too many", () => {
    const body: Body = maximalEssbasicRequest(NOW);
    body.FlowFileInfos[49].FlowApprovers.push({ ...body.FlowFileInfos[49].FlowApprovers[4], Mobile: "19800000000" });
    expect(errorsOf(validate("essbasic", body)).map(show)).toEqual(["InvalidParameter.FlowApprovers @ FlowFileInfos[49].FlowApprovers"]);
  });
});
