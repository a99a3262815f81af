import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { APP_ID, ESS_OPERATOR } from "./support/fixtures";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * A group is signed as a whole: one person's signature covers every flow of the group naming them;
 * auto-signers sign at creation; dynamic approvers are filled, then sign; the ESS read actions
 * report the states with the SDK models' field names and codes.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const OPERATOR = { UserId: ESS_OPERATOR };
const AGENT = { AppId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", ProxyOperator: { OpenId: "kevin" } };

async function describeEss(groupId: string) {
  return essClient(emulator).DescribeFlowInfo({ Operator: OPERATOR, FlowGroupId: groupId });
}

/** Flow status numbers and per-flow approver status numbers, as DescribeFlowInfo reports them. */
async function essStatuses(groupId: string): Promise<Array<[number, number[]]>> {
  const res = await describeEss(groupId);
  return res.FlowDetailInfos!.map((f) => [f.FlowStatus!, f.FlowApproverInfos!.map((a) => a.ApproveStatus!)]);
}

describe("enterprise edition (ess example 1: B2B with auto-sign, B2B, B2C)", () => {
  it("auto-signs at creation and leaves the others pending", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    expect(await essStatuses(res.FlowGroupId!)).toEqual([
      [2, [3, 2]], // PART: the auto-signer ACCEPT, 张三 PENDING
      [1, [2, 2]],
      [1, [2, 2]],
    ]);
    expect(emulator.state(res.FlowGroupId!).groups[0]!.status).toBe("TOSIGN"); // 典子谦 of the starting organization must sign flow 2
  });

  it("one person's signature covers every flow naming them, and the group reaches ALL", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const groupId = res.FlowGroupId!;
    const 典子谦InFlow2 = res.Approvers![1]!.Approvers![0]!.RecipientId!;
    const changed = emulator.sign({ recipientId: 典子谦InFlow2 });
    expect(changed.flows.map((f) => f.flowId)).toEqual([res.FlowIds![1]]); // flow 1 was auto-signed already
    expect(changed.groupStatus).toBe("WAITSIGN");
    emulator.sign({ flowGroupId: groupId, mobile: "18888888888" }); // 张三
    emulator.sign({ flowGroupId: groupId, mobile: "15100000000" }); // 李四
    emulator.sign({ flowGroupId: groupId, mobile: "13700000000" }); // 王五
    const last = emulator.sign({ flowGroupId: groupId, mobile: "13200000000" }); // 典子谦 as a person
    expect(last.groupStatus).toBe("ALL");
    expect(await essStatuses(groupId)).toEqual([
      [4, [3, 3]],
      [4, [3, 3]],
      [4, [3, 3]],
    ]);
    const detail = await describeEss(groupId);
    expect(detail.FlowGroupId).toBe(groupId);
    expect(detail.FlowGroupName).toBe("示例合同组-有3份子合同");
    expect(detail.FlowDetailInfos![0]!.FlowApproverInfos![0]).toMatchObject({
      ApproveType: "ENTERPRISESERVER",
      RecipientId: res.Approvers![0]!.Approvers![0]!.RecipientId,
    });
    expect(detail.FlowDetailInfos![2]!.FlowApproverInfos![1]!.ApproveTime).toBeGreaterThan(0);
  });

  it("signs the same person in several flows at once (same mobile)", async () => {
    const request = seed("ess-example-1");
    request.FlowGroupInfos[0].Approvers[0].ApproverType = 0; // 典子谦 now signs flows 1 and 2 by hand
    delete request.FlowGroupInfos[0].Approvers[0].SignComponents[0].ComponentValue;
    const res = await essClient(emulator).CreateFlowGroupByFiles(request as any);
    const changed = emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18251952320" });
    expect(changed.flows.map((f) => f.flowId)).toEqual([res.FlowIds![0], res.FlowIds![1]]);
    expect((await essStatuses(res.FlowGroupId!)).map(([flow]) => flow)).toEqual([2, 2, 1]);
  });

  it("a rejection ends every flow naming the person; the others stop", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const out = emulator.reject({ flowGroupId: res.FlowGroupId!, mobile: "18888888888" }, "价格不对");
    expect(out.groupStatus).toBe("PART");
    const detail = await describeEss(res.FlowGroupId!);
    expect(detail.FlowDetailInfos![0]).toMatchObject({ FlowStatus: 3, FlowMessage: "价格不对" });
    expect(detail.FlowDetailInfos![0]!.FlowApproverInfos!.map((a) => a.ApproveStatus)).toEqual([3, 4]);
    expect(() => emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18888888888" })).toThrow(/Nothing to sign/);
  });

  it("a passing deadline expires the flows; a cancelled group is INVALID", async () => {
    const a = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    expect(emulator.expire({ flowGroupId: a.FlowGroupId! }).groupStatus).toBe("INVALID");
    expect((await essStatuses(a.FlowGroupId!)).map(([f, as]) => [f, as])).toEqual([
      [5, [3, 5]],
      [5, [5, 5]],
      [5, [5, 5]],
    ]);
    const b = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    await essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: b.FlowIds![2]!, CancelMessage: "撤回" });
    expect(emulator.state(b.FlowGroupId!).groups[0]!.status).toBe("PART");
    const cancelledAgain = await sdkError(
      essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: b.FlowIds![2]!, CancelMessage: "撤回" }),
    );
    expect(cancelledAgain.code).toBe("OperationDenied.FlowStatusForbid");
  });

  it("a flow whose Deadline is behind the clock expires on its own", async () => {
    let now = Date.now();
    const timed = await startEmulator({ clock: () => now });
    try {
      const request = seed("ess-example-1");
      request.FlowGroupInfos[2].Deadline = Math.floor(now / 1000) + 3600;
      await essClient(timed).CreateFlowGroupByFiles(request as any);
      expect(timed.state().groups[0]!.flows.map((f) => f.status)).toEqual(["PART", "INIT", "INIT"]);
      now += 3601_000;
      expect(timed.state().groups[0]!.flows.map((f) => f.status)).toEqual(["PART", "INIT", "DEADLINE"]);
      expect(timed.state().groups[0]!.status).toBe("PART");
    } finally {
      await timed.stop();
    }
  });

  it("ordered flows are signed in the order of their approvers", async () => {
    const request = seed("ess-example-1");
    request.FlowGroupInfos[1].Unordered = false;
    const res = await essClient(emulator).CreateFlowGroupByFiles(request as any);
    expect(() => emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "15100000000" })).toThrow(/not yet the turn/);
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18251952320" });
    expect(emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "15100000000" }).flows[0]!.status).toBe("ALL");
  });

  it("dynamic approvers (ess example 4) wait to be filled, then sign, and the group reaches ALL", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-4") as any);
    const groupId = res.FlowGroupId!;
    expect(await essStatuses(groupId)).toEqual([
      [8, [8, 2]],
      [8, [8, 2]],
      [8, [8, 2]],
    ]);
    expect(() => emulator.sign({ recipientId: res.Approvers![0]!.Approvers![0]!.RecipientId! })).toThrow(/filled first/);
    const filled = emulator.fill(
      { flowGroupId: groupId },
      { approverRoleName: "甲方", name: "赵六", mobile: "13600000000", organizationName: "赵六示例企业" },
    );
    expect(filled.flows).toHaveLength(3);
    expect((await essStatuses(groupId)).map(([f]) => f)).toEqual([1, 1, 1]);
    emulator.sign({ flowGroupId: groupId, mobile: "13600000000" }); // 赵六 signs all three flows at once
    expect(emulator.sign({ flowGroupId: groupId }).groupStatus).toBe("ALL"); // everybody else
    const detail = await describeEss(groupId);
    expect(detail.FlowDetailInfos![0]!.FlowApproverInfos![0]).toMatchObject({
      ApproveName: "赵六",
      OrganizationName: "赵六示例企业",
      ApproveStatus: 3,
    });
  });
});

describe("channel edition (essbasic)", () => {
  it("example 1: ENTERPRISESERVER signs at creation; the person signs all three flows at once", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const detail = await essbasicClient(emulator).DescribeFlowDetailInfo({ Agent: AGENT, FlowGroupId: res.FlowGroupId! });
    expect(detail.FlowInfo!.map((f) => [f.FlowStatus, f.FlowApproverInfos!.map((a) => a.ApproveStatus)])).toEqual([
      ["PART", ["ACCEPT", "PENDING"]],
      ["PART", ["ACCEPT", "PENDING"]],
      ["PART", ["ACCEPT", "PENDING"]],
    ]);
    expect(detail).toMatchObject({ ApplicationId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", FlowGroupName: "采购合同" });
    expect(detail.FlowInfo![0]!.CustomData).toBe("5ZCI5ZCM5Lus5ZCI5ZCM5Lus");
    expect(detail.FlowInfo![0]!.FlowApproverInfos![0]).toMatchObject({
      ProxyOrganizationOpenId: "zk_online_org",
      ProxyOperatorOpenId: "zk",
      ApproveType: "ENTERPRISESERVER",
    });
    const person = res.Approvers![0]!.Approvers![1]!.RecipientId!;
    const out = emulator.sign({ recipientId: person });
    expect(out.flows.map((f) => f.status)).toEqual(["ALL", "ALL", "ALL"]);
    expect(out.groupStatus).toBe("ALL");
  });

  it("example 2: a dynamic auto-signer signs when filled with its organization", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-2") as any);
    const groupId = res.FlowGroupId!;
    emulator.sign({ flowGroupId: groupId, mobile: "13200000000" });
    expect(emulator.state(groupId).groups[0]!.status).toBe("WAITSIGN");
    const out = emulator.fill({ flowGroupId: groupId }, { organizationOpenId: "zk_online_org", openId: "zk" });
    expect(out.groupStatus).toBe("ALL");
    const detail = await essbasicClient(emulator).DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: res.FlowIds! });
    expect(detail.FlowInfo!.every((f) => f.FlowStatus === "ALL")).toBe(true);
    expect(detail.FlowGroupId).toBeUndefined(); // asked by FlowIds, not by group
  });

  it("refuses to fill a dynamic auto-signer into an organization that does not own its seal", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-2") as any);
    expect(() => emulator.fill({ flowGroupId: res.FlowGroupId! }, { organizationOpenId: "no_such_org" })).toThrow(/no organization/);
  });

  it("a person is matched across flows by OpenId within the same organization", async () => {
    const request = seed("essbasic-example-1");
    for (const f of request.FlowFileInfos)
      f.FlowApprovers[1] = {
        ApproverType: "ORGANIZATION",
        OrganizationOpenId: "zk_online_org",
        OpenId: "kevin",
        SignComponents: [{ ...f.FlowApprovers[0].SignComponents[0], ComponentValue: undefined, ComponentPosY: 300 }],
      };
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(request as any);
    expect(emulator.state(res.FlowGroupId!).groups[0]!.status).toBe("TOSIGN");
    expect(emulator.sign({ flowGroupId: res.FlowGroupId!, openId: "kevin" }).groupStatus).toBe("ALL");
  });
});
