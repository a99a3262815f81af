import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { applyCallerIdentity } from "../../../shared/groups/identity";

const none = {};
const essId = { operatorUserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" };
const agentId = { essbasicAppId: "app", proxyOrganizationOpenId: "org", proxyOperatorOpenId: "kevin" };

describe("applyCallerIdentity", () => {
  it("leaves the body alone when nothing is configured", () => {
    const body = { FlowGroupName: "x" };
    expect(applyCallerIdentity("ess", body, none)).toBe(body);
    expect(applyCallerIdentity("essbasic", body, none)).toBe(body);
  });

  it("fills an omitted ess operator", () => {
    expect(applyCallerIdentity("ess", { FlowGroupName: "x" }, essId)).toEqual({ FlowGroupName: "x", Operator: { UserId: essId.operatorUserId } });
  });

  it("keeps the same operator and the body's other Operator fields", () => {
    const body = { Operator: { UserId: essId.operatorUserId, ClientIp: "1.1.1.1" } };
    expect(applyCallerIdentity("ess", body, essId)).toEqual(body);
  });

  it("fills an omitted essbasic agent, part by part", () => {
    expect(applyCallerIdentity("essbasic", { Agent: { AppId: "app" } }, agentId)).toEqual({
      Agent: { AppId: "app", ProxyOrganizationOpenId: "org", ProxyOperator: { OpenId: "kevin" } },
    });
  });

  it.each([
    ["ess", { Operator: { UserId: "someoneElse" } }, essId, "Operator.UserId"],
    ["essbasic", { Agent: { AppId: "other" } }, agentId, "Agent.AppId"],
    ["essbasic", { Agent: { ProxyOrganizationOpenId: "other" } }, agentId, "Agent.ProxyOrganizationOpenId"],
    ["essbasic", { Agent: { ProxyOperator: { OpenId: "other" } } }, agentId, "Agent.ProxyOperator.OpenId"],
  ] as const)("refuses with 403 a %s body naming another identity (%o)", (edition, body, identity, path) => {
    try {
      applyCallerIdentity(edition, body, identity);
      throw new Error("expected 403");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).httpStatus).toBe(403);
      expect((error as AppError).message).toContain(path);
    }
  });

  it("leaves malformed identity parts for validation to report", () => {
    expect(applyCallerIdentity("ess", { Operator: "x" }, essId)).toEqual({ Operator: "x" });
    expect(applyCallerIdentity("essbasic", [1], agentId)).toEqual([1]);
  });
});
