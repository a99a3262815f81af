import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { applyCallerIdentity, identityWarnings, readerIdentity } from "../../../shared/groups/identity";

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
    expect(applyCallerIdentity("ess", { FlowGroupName: "x" }, essId)).toEqual({
      FlowGroupName: "x",
      Operator: { UserId: essId.operatorUserId },
    });
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

/**
 * Every identity field of both editions (audit finding 5): what a pinned deployment does with it.
 * Each row: edition, configuration, body, and either the path refused with 403 or the body sent.
 */
describe("identity pinning, field by field", () => {
  const essPinned = { operatorUserId: "op-pinned" };
  const essPinnedProxy = { operatorUserId: "op-pinned", proxyOrganizationId: "sub-pinned" };
  const basicPinned = { essbasicAppId: "app", proxyOrganizationOpenId: "org", proxyOperatorOpenId: "kevin" };
  const basicAppOnly = { essbasicAppId: "app" };
  type Row = [string, "ess" | "essbasic", Record<string, string>, Record<string, unknown>, string | Record<string, unknown>];

  const refused: Row[] = [
    ["ess Operator.UserId of someone else", "ess", essPinned, { Operator: { UserId: "other" } }, "Operator.UserId"],
    [
      "ess Agent.ProxyOrganizationId while only the operator is pinned (the audited hole)",
      "ess",
      essPinned,
      { Operator: { UserId: "op-pinned" }, Agent: { ProxyOrganizationId: "yDRSRUUgygj6qnwfUuO4zjEwc193c2hH" } },
      "Agent.ProxyOrganizationId",
    ],
    [
      "ess Agent.ProxyOrganizationId of another sub-organization",
      "ess",
      essPinnedProxy,
      { Agent: { ProxyOrganizationId: "other-sub" } },
      "Agent.ProxyOrganizationId",
    ],
    [
      "ess Agent.ProxyOrganizationId when only it is pinned",
      "ess",
      { proxyOrganizationId: "sub-pinned" },
      { Agent: { ProxyOrganizationId: "other-sub" } },
      "Agent.ProxyOrganizationId",
    ],
    ["ess Operator.OpenId", "ess", essPinned, { Operator: { OpenId: "someone" } }, "Operator.OpenId"],
    ["ess Operator.Channel", "ess", essPinned, { Operator: { Channel: "YUFU" } }, "Operator.Channel"],
    ["ess Agent.AppId", "ess", essPinnedProxy, { Agent: { AppId: "app" } }, "Agent.AppId"],
    ["ess Agent.ProxyAppId", "ess", essPinnedProxy, { Agent: { ProxyAppId: "app" } }, "Agent.ProxyAppId"],
    ["ess Agent.ProxyOperator", "ess", essPinnedProxy, { Agent: { ProxyOperator: "someone" } }, "Agent.ProxyOperator"],
    ["essbasic Agent.AppId of another app", "essbasic", basicPinned, { Agent: { AppId: "other" } }, "Agent.AppId"],
    [
      "essbasic Agent.ProxyOrganizationOpenId of another org",
      "essbasic",
      basicPinned,
      { Agent: { ProxyOrganizationOpenId: "other" } },
      "Agent.ProxyOrganizationOpenId",
    ],
    [
      "essbasic Agent.ProxyOperator.OpenId of another operator",
      "essbasic",
      basicPinned,
      { Agent: { ProxyOperator: { OpenId: "other" } } },
      "Agent.ProxyOperator.OpenId",
    ],
    ["essbasic Agent.ProxyOrganizationId", "essbasic", basicPinned, { Agent: { ProxyOrganizationId: "x" } }, "Agent.ProxyOrganizationId"],
    ["essbasic Agent.ProxyAppId", "essbasic", basicAppOnly, { Agent: { ProxyAppId: "x" } }, "Agent.ProxyAppId"],
    [
      "essbasic Agent.ProxyOperator.CustomUserId",
      "essbasic",
      basicPinned,
      { Agent: { ProxyOperator: { CustomUserId: "x" } } },
      "Agent.ProxyOperator.CustomUserId",
    ],
    [
      "essbasic Agent.ProxyOperator.Channel",
      "essbasic",
      basicPinned,
      { Agent: { ProxyOperator: { Channel: "x" } } },
      "Agent.ProxyOperator.Channel",
    ],
    ["essbasic Operator.OpenId", "essbasic", basicPinned, { Operator: { OpenId: "x" } }, "Operator.OpenId"],
    ["essbasic Operator.CustomUserId", "essbasic", basicPinned, { Operator: { CustomUserId: "x" } }, "Operator.CustomUserId"],
    ["essbasic Operator.Channel", "essbasic", basicPinned, { Operator: { Channel: "x" } }, "Operator.Channel"],
  ];
  it.each(refused)("refuses (403) %s", (_case, edition, identity, body, path) => {
    let error: unknown;
    try {
      applyCallerIdentity(edition, body, identity);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ httpStatus: 403, code: "UnauthorizedOperation.CallerIdentity" });
    expect((error as Error).message).toContain(path as string);
  });

  const sent: Row[] = [
    [
      "ess: the pinned sub-organization is filled in",
      "ess",
      essPinnedProxy,
      { FlowGroupName: "x" },
      { FlowGroupName: "x", Operator: { UserId: "op-pinned" }, Agent: { ProxyOrganizationId: "sub-pinned" } },
    ],
    [
      "ess: the same sub-organization passes",
      "ess",
      essPinnedProxy,
      { Agent: { ProxyOrganizationId: "sub-pinned" } },
      { Operator: { UserId: "op-pinned" }, Agent: { ProxyOrganizationId: "sub-pinned" } },
    ],
    [
      "ess: an empty ProxyOrganizationId counts as absent",
      "ess",
      essPinned,
      { Agent: { ProxyOrganizationId: "" } },
      { Operator: { UserId: "op-pinned" }, Agent: { ProxyOrganizationId: "" } },
    ],
    [
      "ess: ClientIp/ProxyIp are not identities",
      "ess",
      essPinned,
      { Operator: { ClientIp: "1.1.1.1", ProxyIp: "2.2.2.2" } },
      { Operator: { UserId: "op-pinned", ClientIp: "1.1.1.1", ProxyIp: "2.2.2.2" } },
    ],
    [
      "ess unpinned: anything goes to ESS as given",
      "ess",
      {},
      { Operator: { UserId: "u", OpenId: "o" }, Agent: { ProxyOrganizationId: "s" } },
      { Operator: { UserId: "u", OpenId: "o" }, Agent: { ProxyOrganizationId: "s" } },
    ],
    [
      "essbasic, app pinned only: the caller chooses the sub-organization",
      "essbasic",
      basicAppOnly,
      { Agent: { ProxyOrganizationOpenId: "any", ProxyOperator: { OpenId: "any" } } },
      { Agent: { AppId: "app", ProxyOrganizationOpenId: "any", ProxyOperator: { OpenId: "any" } } },
    ],
  ];
  it.each(sent)("sends %s", (_case, edition, identity, body, expected) => {
    expect(applyCallerIdentity(edition, body, identity)).toEqual(expected);
  });

  it("reads groups as the pinned sub-organization", () => {
    expect(readerIdentity("ess", essPinnedProxy)).toEqual({
      edition: "ess",
      operatorUserId: "op-pinned",
      proxyOrganizationId: "sub-pinned",
    });
  });

  it("says at start what a partial pinning leaves to callers", () => {
    expect(identityWarnings(basicAppOnly)).toEqual([expect.stringContaining("pinned in part")]);
    expect(identityWarnings({ proxyOrganizationId: "s" })).toEqual([expect.stringContaining("ESS_OPERATOR_USER_ID")]);
    expect(identityWarnings({ ...essPinnedProxy, ...basicPinned })).toEqual([]);
  });
});
