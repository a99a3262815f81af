import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import {
  ESS_FILES,
  ESS_GROUP_OPERATOR,
  ESS_GROUP_SEAL,
  ESSBASIC_FILE,
  extendedFixture,
  NO_AUTOSIGN_APP,
  OTHER_ORG_SEAL,
  quotaFixture,
  UNVERIFIED_OPERATOR,
} from "./support/fixtures";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * What ESS checks on the server side and a client cannot know (files, operators, seals, quota,
 * frequency), plus the documented parameter rules; one row per rule, first error only.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: extendedFixture(), rateLimitPerSecond: 0 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

type Req = Record<string, any>;
const ess = (name: string, change: (r: Req) => void): Req => {
  const r = seed(name);
  change(r);
  return r;
};
const flow0 = (r: Req) => r.FlowGroupInfos[0];
const approver = (r: Req, f: number, a: number) => r.FlowGroupInfos[f].Approvers[a];
const comp = (r: Req, f: number, a: number) => r.FlowGroupInfos[f].Approvers[a].SignComponents[0];

describe("CreateFlowGroupByFiles (ess) server-side rules", () => {
  it.each<[string, Req, string]>([
    ["missing Operator", ess("ess-example-1", (r) => delete r.Operator), "MissingParameter"],
    ["unknown operator", ess("ess-example-1", (r) => (r.Operator.UserId = "yDwfNobodyNobodyNobodyNobody0001")), "ResourceNotFound.User"],
    [
      "operator without real-name verification",
      ess("ess-example-1", (r) => (r.Operator.UserId = UNVERIFIED_OPERATOR)),
      "ResourceNotFound.VerifyUser",
    ],
    [
      "unknown proxy organization",
      ess("ess-example-2", (r) => (r.Agent.ProxyOrganizationId = "yDRSRUUnknownOrganization0000001")),
      "ResourceNotFound.Organization",
    ],
    [
      "proxy organization outside the operator's group",
      ess("ess-example-1", (r) => (r.Agent = { ProxyOrganizationId: "yDRSRUUgygj6qnwfUuO4zjEwGroup001" })),
      "OperationDenied.SubOrgNotJoin",
    ],
    ["missing FlowGroupName", ess("ess-example-1", (r) => delete r.FlowGroupName), "MissingParameter"],
    ["FlowGroupName over 200 characters", ess("ess-example-1", (r) => (r.FlowGroupName = "组".repeat(201))), "InvalidParameter.ParamError"],
    ["a group of one flow", ess("ess-example-1", (r) => (r.FlowGroupInfos = r.FlowGroupInfos.slice(0, 1))), "InvalidParameter.ParamError"],
    [
      "a group of 51 flows",
      ess("ess-example-1", (r) => (r.FlowGroupInfos = Array.from({ length: 51 }, () => structuredClone(r.FlowGroupInfos[1])))),
      "InvalidParameter.ParamError",
    ],
    [
      "a file that was never uploaded",
      ess("ess-example-1", (r) => (flow0(r).FileIds = ["yDwgNeverUploadedNeverUploaded01"])),
      "ResourceNotFound.Resource",
    ],
    ["a channel-edition file", ess("ess-example-1", (r) => (flow0(r).FileIds = [ESSBASIC_FILE])), "ResourceNotFound.Resource"],
    [
      "two files in one flow",
      ess("ess-example-1", (r) => (flow0(r).FileIds = [ESS_FILES[0], ESS_FILES[1]])),
      "OperationDenied.ManyResourceId",
    ],
    ["no file", ess("ess-example-1", (r) => delete flow0(r).FileIds), "MissingParameter.ResourceId"],
    ["an empty FlowName", ess("ess-example-1", (r) => (flow0(r).FlowName = "")), "InvalidParameter.FlowName"],
    ["a Deadline in the past", ess("ess-example-1", (r) => (flow0(r).Deadline = 1_600_000_000)), "InvalidParameter.FlowDeadLine"],
    [
      "UserData over 20480 characters",
      ess("ess-example-1", (r) => (flow0(r).UserData = "a".repeat(20481))),
      "InvalidParameter.FlowUserData",
    ],
    ["a non-http CallbackUrl", ess("ess-example-1", (r) => (flow0(r).CallbackUrl = "ftp://x")), "InvalidParameter.FlowCallbackUrl"],
    ["no approvers", ess("ess-example-1", (r) => (flow0(r).Approvers = [])), "MissingParameter.FlowApprover"],
    ["ApproverType 5", ess("ess-example-1", (r) => (approver(r, 0, 1).ApproverType = 5)), "InvalidParameter.ApproverType"],
    [
      "ApproverType 7 without the whitelist",
      ess("ess-example-1", (r) => (approver(r, 0, 1).ApproverType = 7)),
      "OperationDenied.WhiteListForbid",
    ],
    ["FillType 2", ess("ess-example-1", (r) => (approver(r, 0, 1).ApproverOption = { FillType: 2 })), "InvalidParameter.ParamError"],
    [
      "a mobile that is not a mainland number",
      ess("ess-example-1", (r) => (approver(r, 0, 1).ApproverMobile = "12345")),
      "InvalidParameter.Mobile",
    ],
    [
      "an organization approver without a name",
      ess("ess-example-1", (r) => delete approver(r, 0, 1).ApproverName),
      "MissingParameter.ApproverName",
    ],
    [
      "an organization approver without a mobile",
      ess("ess-example-1", (r) => delete approver(r, 0, 1).ApproverMobile),
      "MissingParameter.ApproverMobile",
    ],
    [
      "an organization approver without an organization",
      ess("ess-example-1", (r) => delete approver(r, 0, 1).OrganizationName),
      "MissingParameter.ApproverOrganizationInfo",
    ],
    [
      "a person with an organization",
      ess("ess-example-1", (r) => (approver(r, 2, 1).OrganizationName = "某企业")),
      "OperationDenied.ErrNoSupportIndividualHasOrganizationName",
    ],
    [
      "an ID card number of the wrong shape",
      ess("ess-example-1", (r) => (approver(r, 2, 1).ApproverIdCardNumber = "1234")),
      "InvalidParameter.CardNumber",
    ],
    ["an unknown card type", ess("ess-example-1", (r) => (approver(r, 2, 1).ApproverIdCardType = "PASSPORT")), "InvalidParameter.CardType"],
    [
      "the same approver twice in a flow",
      ess("ess-example-1", (r) => flow0(r).Approvers.push(structuredClone(approver(r, 0, 1)))),
      "OperationDenied.ApproverRepeat",
    ],
    [
      "an approver without sign components",
      ess("ess-example-1", (r) => (approver(r, 0, 1).SignComponents = [])),
      "MissingParameter.ApproverSignComponent",
    ],
    [
      "a component type that is not a sign component",
      ess("ess-example-1", (r) => (comp(r, 0, 1).ComponentType = "TEXT")),
      "OperationDenied.NoSupportComponentType",
    ],
    [
      "a component on a file the flow does not have",
      ess("ess-example-1", (r) => (comp(r, 0, 1).FileIndex = 1)),
      "InvalidParameter.ComponentFileIndex",
    ],
    ["a component on page 0", ess("ess-example-1", (r) => (comp(r, 0, 1).ComponentPage = 0)), "InvalidParameter.ComponentPage"],
    ["a component of width 0", ess("ess-example-1", (r) => (comp(r, 0, 1).ComponentWidth = 0)), "InvalidParameter.ComponentPosition"],
    [
      "a person given a company seal component",
      ess("ess-example-1", (r) => (comp(r, 2, 1).ComponentType = "SIGN_SEAL")),
      "InvalidParameter.SignComponents",
    ],
    [
      "an auto-signer without a seal",
      ess("ess-example-1", (r) => delete comp(r, 0, 0).ComponentValue),
      "MissingParameter.ServerSignSealId",
    ],
    [
      "an auto-signer with an unknown seal",
      ess("ess-example-1", (r) => (comp(r, 0, 0).ComponentValue = "yDxMjUyUnknownSealUnknownSeal001")),
      "InvalidParameter.SealId",
    ],
    [
      "an auto-signer with another organization's seal",
      ess("ess-example-1", (r) => (comp(r, 0, 0).ComponentValue = ESS_GROUP_SEAL)),
      "OperationDenied.NoPermissionUseServerSignSeal",
    ],
    [
      "an auto-signer with a handwritten component",
      ess("ess-example-1", (r) =>
        approver(r, 0, 0).SignComponents.push({ ...comp(r, 0, 0), ComponentType: "SIGN_SIGNATURE", ComponentValue: undefined }),
      ),
      "OperationDenied.ServerSignNoSupportSignature",
    ],
    [
      "an unknown notify type",
      ess("ess-example-3", (r) => (r.FlowGroupOptions.OtherApproverNotifyType = "email")),
      "InvalidParameter.NotifyType",
    ],
    [
      "an unknown verify type",
      ess("ess-example-3", (r) => (r.FlowGroupOptions.ApproverVerifyType = "Face")),
      "InvalidParameter.ParamError",
    ],
  ])("%s → %s, and nothing is created", async (_name, request, code) => {
    const error = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
    expect(error.code).toBe(code);
    expect(emulator.state().groups).toHaveLength(0);
    expect(emulator.state().quotas.every((q) => q.used === 0)).toBe(true);
  });

  it("reports only the first problem, naming its path", async () => {
    const request = ess("ess-example-1", (r) => {
      r.FlowGroupInfos[1].FlowName = "";
      r.FlowGroupInfos[0].FileIds = ["yDwgNeverUploadedNeverUploaded01"];
    });
    const error = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
    expect(error.code).toBe("ResourceNotFound.Resource");
    expect(error.message).toContain("FlowGroupInfos[0].FileIds[0]");
  });

  it("never echoes personal data in error messages", async () => {
    const request = ess("ess-example-1", (r) => (approver(r, 0, 1).ApproverMobile = "1888888888x"));
    const error = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
    expect(error.message).not.toContain("1888888888");
  });

  it("lets a group operator start through a sub-organization (Agent.ProxyOrganizationId)", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-2") as any);
    const group = emulator.state(res.FlowGroupId).groups[0]!;
    expect(group.organizationName).toBe("典子谦示例企业");
    expect(seed("ess-example-2").Operator.UserId).toBe(ESS_GROUP_OPERATOR);
  });
});

const eb = (change: (r: Req) => void, name = "essbasic-example-1"): Req => {
  const r = seed(name);
  change(r);
  return r;
};
const ebApprover = (r: Req, f: number, a: number) => r.FlowFileInfos[f].FlowApprovers[a];

describe("ChannelCreateFlowGroupByFiles (essbasic) server-side rules", () => {
  it.each<[string, Req, string]>([
    ["missing Agent", eb((r) => delete r.Agent), "MissingParameter"],
    ["unknown AppId", eb((r) => (r.Agent.AppId = "ffffffffffffffffffffffffffffffff")), "ResourceNotFound.Application"],
    ["unknown ProxyOrganizationOpenId", eb((r) => (r.Agent.ProxyOrganizationOpenId = "nobody_org")), "ResourceNotFound"],
    ["unknown ProxyOperator", eb((r) => (r.Agent.ProxyOperator.OpenId = "nobody")), "ResourceNotFound"],
    [
      "operator without real-name verification",
      eb((r) => Object.assign(r.Agent, { ProxyOrganizationOpenId: "other_org", ProxyOperator: { OpenId: "olga" } })),
      "OperationDenied.NoIdentityVerify",
    ],
    [
      "a file that was never uploaded",
      eb((r) => (r.FlowFileInfos[0].FileIds = ["yDR1nNeverUploadedNeverUploaded1"])),
      "ResourceNotFound.Resource",
    ],
    ["an enterprise-edition file", eb((r) => (r.FlowFileInfos[0].FileIds = [ESS_FILES[0]])), "ResourceNotFound.Resource"],
    [
      "another application's file",
      eb((r) => (r.FlowFileInfos[0].FileIds = [ESSBASIC_FILE.replace("yDR1", "yDR2")])),
      "ResourceNotFound.Resource",
    ],
    ["two files in one flow", eb((r) => (r.FlowFileInfos[0].FileIds = [ESSBASIC_FILE, ESSBASIC_FILE])), "InvalidParameter.FlowFileIds"],
    ["a group of one flow", eb((r) => (r.FlowFileInfos = r.FlowFileInfos.slice(0, 1))), "InvalidParameter.ParamError"],
    ["an unknown approver type", eb((r) => (ebApprover(r, 0, 1).ApproverType = "BOSS")), "InvalidParameter.ApproverType"],
    [
      "personal auto-sign without the whitelist",
      eb((r) => (ebApprover(r, 0, 1).ApproverType = "PERSON_AUTO_SIGN")),
      "OperationDenied.ByFilesServerSignForbid",
    ],
    ["a person without a mobile", eb((r) => delete ebApprover(r, 0, 1).Mobile), "InvalidParameter.NonsupportMobile"],
    ["a person with a bad mobile", eb((r) => (ebApprover(r, 0, 1).Mobile = "2000")), "InvalidParameter.NonsupportMobile"],
    ["a person without a name", eb((r) => delete ebApprover(r, 0, 1).Name), "InvalidParameter.Name"],
    [
      "six approvers in a flow",
      eb(
        (r) =>
          (r.FlowFileInfos[0].FlowApprovers = Array.from({ length: 6 }, (_, i) => ({
            ...structuredClone(ebApprover(r, 0, 1)),
            Mobile: `1320000000${i}`,
          }))),
      ),
      "InvalidParameter.FlowApprovers",
    ],
    [
      "the same person twice in a flow",
      eb((r) => r.FlowFileInfos[0].FlowApprovers.push(structuredClone(ebApprover(r, 0, 1)))),
      "InvalidParameter.BizApproverAlreadyExists",
    ],
    [
      "a person given a company seal component",
      eb((r) => (ebApprover(r, 0, 1).SignComponents[0].ComponentType = "SIGN_SEAL")),
      "InvalidParameter.SignComponentType",
    ],
    [
      "an auto-signer with an unknown seal",
      eb((r) => (ebApprover(r, 0, 0).SignComponents[0].ComponentValue = "yDR1kUnknownSealUnknownSeal00001")),
      "ResourceNotFound.Seal",
    ],
    [
      "an auto-signer with another organization's seal",
      eb((r) => (ebApprover(r, 0, 0).SignComponents[0].ComponentValue = OTHER_ORG_SEAL)),
      "OperationDenied.ErrNoResourceAccess",
    ],
    [
      "auto-sign in an application without the whitelist",
      eb((r) => {
        r.Agent.AppId = NO_AUTOSIGN_APP;
        for (const f of r.FlowFileInfos) f.FileIds = [ESSBASIC_FILE.replace("yDR1", "yDR2")];
      }),
      "OperationDenied.ByFilesServerSignForbid",
    ],
    ["CustomerData over 1000 characters", eb((r) => (r.FlowFileInfos[0].CustomerData = "a".repeat(1001))), "InvalidParameter.CustomerData"],
    ["an unknown ApproverVerifyType", eb((r) => (r.ApproverVerifyType = "Face")), "InvalidParameter.ApproverVerifyType"],
    ["Unordered that is not a boolean", eb((r) => (r.FlowFileInfos[0].Unordered = "yes")), "InvalidParameter.Unordered"],
    ["a Deadline in the past", eb((r) => (r.FlowFileInfos[0].Deadline = 1_600_000_000)), "InvalidParameter.FlowDeadLine"],
  ])("%s → %s, and nothing is created", async (_name, request, code) => {
    const error = await sdkError(essbasicClient(emulator).ChannelCreateFlowGroupByFiles(request as any));
    expect(error.code).toBe(code);
    expect(emulator.state().groups).toHaveLength(0);
  });
});

describe("quota", () => {
  let small: RunningEmulator;
  beforeAll(async () => {
    small = await startEmulator({ fixture: quotaFixture(5) });
  });
  afterAll(() => small.stop());
  beforeEach(() => small.reset());

  it("charges one contract per flow; a group that does not fit is refused and charges nothing", async () => {
    await essClient(small).CreateFlowGroupByFiles(seed("ess-example-1") as any); // 3 of 5
    const error = await sdkError(essClient(small).CreateFlowGroupByFiles(seed("ess-example-1") as any));
    expect(error.code).toBe("OperationDenied.NoQuota");
    const used = small.state().quotas.find((q) => q.owner === "ess:yDRSRUUgygj6qnwfUuO4zjEwc193c2hH")!;
    expect(used).toEqual({ owner: "ess:yDRSRUUgygj6qnwfUuO4zjEwc193c2hH", quota: 5, used: 3 });
    await essClient(small).CreateFlowGroupByFiles(seed("ess-example-3") as any); // other organization: its own quota
    expect(small.stats().groupsCreated).toBe(2);
  });

  it("returns a cancelled flow's contract when only auto-signers signed, not when a person signed", async () => {
    const res = await essClient(small).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const [autoSigned, second] = res.FlowIds!;
    const operator = seed("ess-example-1").Operator;
    small.sign({ flowGroupId: res.FlowGroupId!, mobile: "15100000000" }); // 李四 signs flow 2 only
    await essClient(small).CancelFlow({ Operator: operator, FlowId: autoSigned!, CancelMessage: "不需要了" });
    await essClient(small).CancelFlow({ Operator: operator, FlowId: second!, CancelMessage: "不需要了" });
    const used = small.state().quotas.find((q) => q.owner === "ess:yDRSRUUgygj6qnwfUuO4zjEwc193c2hH")!.used;
    expect(used).toBe(2);
  });

  it("applies to the channel edition per organization", async () => {
    await essbasicClient(small).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const error = await sdkError(essbasicClient(small).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any));
    expect(error.code).toBe("OperationDenied.NoQuota");
  });
});

describe("frequency limit", () => {
  let limited: RunningEmulator;
  let now = Date.now();
  beforeAll(async () => {
    limited = await startEmulator({ clock: () => now });
  });
  afterAll(() => limited.stop());

  it("answers the 21st call of an action within one second with RequestLimitExceeded, per action and SecretId", async () => {
    now = Date.now();
    const client = essClient(limited);
    const describe = () =>
      client.DescribeFlowInfo({ Operator: { UserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" }, FlowIds: ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP"] });
    const codes: string[] = [];
    for (let i = 0; i < 21; i++) codes.push((await sdkError(describe())).code!);
    expect(codes.slice(0, 20).every((c) => c === "ResourceNotFound.Flow")).toBe(true);
    expect(codes[20]).toBe("RequestLimitExceeded");
    // Another action is counted apart.
    expect(
      (
        await sdkError(
          client.CancelFlow({
            Operator: { UserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" },
            FlowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP",
            CancelMessage: "x",
          }),
        )
      ).code,
    ).toBe("ResourceNotFound.Flow");
    now += 1001;
    expect((await sdkError(describe())).code).toBe("ResourceNotFound.Flow");
  });
});
