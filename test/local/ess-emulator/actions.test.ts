import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { APP_ID, ESS_GROUP_OPERATOR, ESS_OPERATOR } from "./support/fixtures";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";
import { sample } from "./support/files";

/** Each emulated action of both editions, through the official SDK's typed methods. */

let emulator: RunningEmulator;
let now = Date.now();
beforeAll(async () => {
  emulator = await startEmulator({ clock: () => now });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  now = Date.now();
});

const OPERATOR = { UserId: ESS_OPERATOR };
const AGENT = { AppId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", ProxyOperator: { OpenId: "kevin" } };
const PDF = sample("nda.pdf").toString("base64");

describe("UploadFiles", () => {
  it("ess: uploaded files start flows for an hour", async () => {
    const upload = await essClient(emulator).UploadFiles({
      BusinessType: "DOCUMENT",
      Caller: { OperatorId: ESS_OPERATOR },
      FileInfos: [
        { FileBody: PDF, FileName: "a.pdf" },
        { FileBody: PDF, FileName: "b.pdf" },
      ],
    });
    expect(upload.TotalCount).toBe(2);
    expect(upload.FileIds).toHaveLength(2);
    expect(upload.Deadline).toBe(Math.floor(now / 1000) + 3600);
    const request = seed("ess-example-1");
    request.FlowGroupInfos[0].FileIds = [upload.FileIds![0]];
    request.FlowGroupInfos[1].FileIds = [upload.FileIds![1]];
    await essClient(emulator).CreateFlowGroupByFiles(request as any);
    // One hour and a second later, for the SDK's clock and the emulator's alike.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(now + 3601_000);
      now = Date.now();
      const late = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
      expect(late.code).toBe("ResourceNotFound.Resource");
      expect(late.message).toContain("FlowGroupInfos[0].FileIds[0]");
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ["no BusinessType", { Caller: { OperatorId: ESS_OPERATOR }, FileInfos: [{ FileBody: PDF }] }, "MissingParameter"],
    [
      "an unknown BusinessType",
      { BusinessType: "PICTURE", Caller: { OperatorId: ESS_OPERATOR }, FileInfos: [{ FileBody: PDF }] },
      "InvalidParameter.ParamError",
    ],
    ["no files", { BusinessType: "DOCUMENT", Caller: { OperatorId: ESS_OPERATOR }, FileInfos: [] }, "MissingParameter"],
    [
      "a body that is not base64",
      { BusinessType: "DOCUMENT", Caller: { OperatorId: ESS_OPERATOR }, FileInfos: [{ FileBody: "%%%" }] },
      "InvalidParameter.ParamError",
    ],
    ["no Caller", { BusinessType: "DOCUMENT", FileInfos: [{ FileBody: PDF }] }, "MissingParameter"],
    [
      "an unknown Caller",
      { BusinessType: "DOCUMENT", Caller: { OperatorId: "yDnobody" }, FileInfos: [{ FileBody: PDF }] },
      "ResourceNotFound.User",
    ],
  ])("ess: %s → %s", async (_name, request, code) => {
    expect((await sdkError(essClient(emulator).UploadFiles(request as any))).code).toBe(code);
  });

  it("essbasic: files belong to the application that uploaded them", async () => {
    const upload = await essbasicClient(emulator).UploadFiles({
      Agent: AGENT,
      BusinessType: "DOCUMENT",
      FileInfos: [{ FileBody: PDF, FileName: "c.pdf" }],
    });
    expect(upload.FileIds).toHaveLength(1);
    const request = seed("essbasic-example-1");
    for (const f of request.FlowFileInfos) f.FileIds = upload.FileIds;
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(request as any);
    expect(res.FlowIds).toHaveLength(3);
    const ess = seed("ess-example-1");
    ess.FlowGroupInfos[0].FileIds = upload.FileIds;
    expect((await sdkError(essClient(emulator).CreateFlowGroupByFiles(ess as any))).code).toBe("ResourceNotFound.Resource");
  });
});

describe("DescribeFlowInfo / DescribeFlowDetailInfo", () => {
  it("ess: by FlowIds, in the order asked", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const ids = [res.FlowIds![2]!, res.FlowIds![0]!];
    const detail = await essClient(emulator).DescribeFlowInfo({ Operator: OPERATOR, FlowIds: ids });
    expect(detail.FlowDetailInfos!.map((f) => f.FlowId)).toEqual(ids);
    expect(detail.FlowDetailInfos![0]).toMatchObject({
      FlowName: "子合同3-普通B2C",
      FlowType: "示例合同",
      FlowDescription: "子合同3",
      Creator: ESS_OPERATOR,
    });
    expect(detail.FlowGroupId).toBeUndefined();
  });

  it("ess: another organization's flows do not exist for the caller", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const other = { UserId: ESS_GROUP_OPERATOR };
    expect((await sdkError(essClient(emulator).DescribeFlowInfo({ Operator: other, FlowGroupId: res.FlowGroupId! }))).code).toBe(
      "ResourceNotFound.Flow",
    );
    expect((await sdkError(essClient(emulator).DescribeFlowInfo({ Operator: OPERATOR }))).code).toBe("MissingParameter.FlowId");
  });

  it("essbasic: by group, with the application and organization", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const detail = await essbasicClient(emulator).DescribeFlowDetailInfo({ Agent: AGENT, FlowGroupId: res.FlowGroupId! });
    expect(detail.FlowInfo!.map((f) => f.FlowId)).toEqual(res.FlowIds);
    expect(detail.FlowInfo![1]).toMatchObject({ FlowName: "黄瓜的采购合同", FlowStatus: "PART", CustomData: "5paw55qE5a2Q5ZCI5ZCMMg==" });
  });
});

describe("sign links", () => {
  it("ess CreateFlowSignUrl: a link per approver that opens the emulator's sign page", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const urls = await essClient(emulator).CreateFlowSignUrl({
      Operator: OPERATOR,
      FlowId: res.FlowIds![2]!,
      FlowApproverInfos: [{ ApproverType: 1, ApproverName: "典子谦", ApproverMobile: "13200000000" }],
    });
    const info = urls.FlowApproverUrlInfos![0]!;
    expect(info).toMatchObject({ ApproverType: 1, ApproverMobile: "13200000000" });
    const page = await fetch(info.SignUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("子合同3-普通B2C");
  });

  it("ess CreateFlowSignUrl: unknown approver → ResourceNotFound.FlowApprover; auto-signer → InvalidParameter.ApproverType", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const call = (info: any) =>
      sdkError(essClient(emulator).CreateFlowSignUrl({ Operator: OPERATOR, FlowId: res.FlowIds![0]!, FlowApproverInfos: [info] }));
    expect((await call({ ApproverType: 1, ApproverMobile: "13999999999" })).code).toBe("ResourceNotFound.FlowApprover");
    expect((await call({ ApproverType: 3, RecipientId: res.Approvers![0]!.Approvers![0]!.RecipientId })).code).toBe(
      "InvalidParameter.ApproverType",
    );
  });

  it("ess CreateBatchSignUrl: one link for a person over several flows", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const out = await essClient(emulator).CreateBatchSignUrl({
      Operator: OPERATOR,
      FlowIds: res.FlowIds!,
      Mobile: "18251952320",
      Name: "典子谦",
    });
    expect(out.SignUrl).toMatch(/\/_emulator\/link\/[A-Za-z0-9]{32}$/);
    expect(emulator.state().groups[0]!.flows[1]!.approvers[0]!.recipientId).toBe(res.Approvers![1]!.Approvers![0]!.RecipientId);
    expect(await (await fetch(out.SignUrl!)).text()).toContain("Sign all 1 flow(s)");
    expect(out.ExpiredTime).toBeGreaterThan(Math.floor(now / 1000));
  });

  it("essbasic CreateSignUrls for a group: links for every open hand-signer, none for auto-signers", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const out = await essbasicClient(emulator).CreateSignUrls({
      Agent: AGENT,
      FlowGroupId: res.FlowGroupId!,
      GenerateType: "PERSON",
      Name: "典子谦",
      Mobile: "13200000000",
    });
    expect(out.SignUrlInfos!.map((i) => i.FlowId)).toEqual(res.FlowIds);
    expect(out.SignUrlInfos!.every((i) => i.FlowGroupId === res.FlowGroupId && i.ApproverType === "PERSON")).toBe(true);
    expect(out.ErrorMessages).toEqual(["", "", ""]);
    const all = await essbasicClient(emulator).CreateSignUrls({ Agent: AGENT, FlowGroupId: res.FlowGroupId! });
    expect(all.SignUrlInfos).toHaveLength(3);
  });

  it("essbasic ChannelCreateFlowSignUrl: by RecipientId", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const recipientId = res.Approvers![0]!.Approvers![1]!.RecipientId!;
    const out = await essbasicClient(emulator).ChannelCreateFlowSignUrl({
      Agent: AGENT,
      FlowId: res.FlowIds![0]!,
      FlowApproverInfos: [{ ApproverType: "PERSON", RecipientId: recipientId }],
    });
    expect(out.FlowApproverUrlInfos![0]).toMatchObject({ ApproverType: "PERSON", Mobile: "13200000000" });
    const page = await (await fetch(out.FlowApproverUrlInfos![0]!.SignUrl!)).text();
    expect(page).toContain("番茄的采购合同");
    expect(page).not.toContain("黄瓜的采购合同"); // a flow link covers its flow only
  });
});

describe("CancelFlow / ChannelCancelFlow", () => {
  it("ess: cancels an open flow; a message is required", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    expect((await sdkError(essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: res.FlowIds![1]! } as any))).code).toBe(
      "MissingParameter",
    );
    await essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: res.FlowIds![1]!, CancelMessage: "信息有误" });
    const detail = await essClient(emulator).DescribeFlowInfo({ Operator: OPERATOR, FlowIds: [res.FlowIds![1]!] });
    expect(detail.FlowDetailInfos![0]).toMatchObject({ FlowStatus: 6, FlowMessage: "信息有误" });
    expect(detail.FlowDetailInfos![0]!.FlowApproverInfos!.map((a) => a.ApproveStatus)).toEqual([6, 6]);
  });

  it("essbasic: cancels without a message; another organization cannot", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    await essbasicClient(emulator).ChannelCancelFlow({ Agent: AGENT, FlowId: res.FlowIds![0]! });
    const detail = await essbasicClient(emulator).DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: [res.FlowIds![0]!] });
    expect(detail.FlowInfo![0]!.FlowStatus).toBe("CANCEL");
    const unknownFlow = await sdkError(
      essbasicClient(emulator).ChannelCancelFlow({ Agent: AGENT, FlowId: "yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc" }),
    );
    expect(unknownFlow.code).toBe("ResourceNotFound.Flow");
  });
});
