import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { APP_ID, ESS_OPERATOR } from "./support/fixtures";
import { b64, pageText, sample } from "./support/files";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * The end of a group's life through the official SDK: cancel (ess CancelFlow, essbasic
 * ChannelCancelFlow and ChannelBatchCancelFlows) with the callbacks ESS sends, reminders (ess
 * CreateFlowReminds / CreateFlowGroupReminds, essbasic ChannelCreateFlowReminds) with their caps and
 * no callback, and the signed contracts (ess DescribeFileUrls, essbasic DescribeResourceUrlsByFlows)
 * as PDFs with a signature page, behind links that expire.
 */

const KEY = "0123456789abcdef0123456789abcdef";
let emulator: RunningEmulator;
let receiver: CallbackReceiver;
let now = Date.now();
beforeAll(async () => {
  receiver = await startCallbackReceiver({ key: KEY });
  emulator = await startEmulator({
    clock: () => now,
    callback: { key: KEY, token: null, retry: { initialDelayMs: 5, maxAttempts: 2 }, urls: {} },
  });
});
afterAll(async () => {
  await emulator.stop();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  now = Date.now();
  emulator.setCallbackUrl("ess", receiver.url);
  emulator.setCallbackUrl("essbasic", receiver.url);
  receiver.reset();
});
afterEach(() => emulator.waitForCallbacksIdle(5000));

const OPERATOR = { UserId: ESS_OPERATOR };
const AGENT = { AppId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", ProxyOperator: { OpenId: "kevin" } };
const types = () =>
  receiver.received.map((c) => `${c.envelope.MsgType}${c.envelope.MsgData.Operate ? `:${c.envelope.MsgData.Operate}` : ""}`);
async function settled(): Promise<void> {
  await emulator.waitForCallbacksIdle();
}

describe("cancel", () => {
  it("ess CancelFlow: FlowStatusChange (cancel, 6) then FlowGroupStatusChange", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    await settled();
    receiver.reset();
    await essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: res.FlowIds![2]!, CancelMessage: "信息有误" });
    await settled();
    expect(types()).toEqual(["FlowStatusChange:cancel", "FlowGroupStatusChange"]);
    expect(receiver.received[0]!.envelope.MsgData).toMatchObject({ FlowCallbackStatus: 6, FlowMessage: "信息有误" });
    expect(receiver.received[1]!.envelope.MsgData.FlowGroupStatus).toBe("PART");
    const emoji = await sdkError(essClient(emulator).CancelFlow({ Operator: OPERATOR, FlowId: res.FlowIds![1]!, CancelMessage: "撤销😀" }));
    expect(emoji.code).toBe("InvalidParameter.CancelReason");
  });

  it("essbasic ChannelBatchCancelFlows: every flow of the group, per-flow failures, and a CancelFlows callback with the TaskId", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    await essbasicClient(emulator).ChannelCancelFlow({ Agent: AGENT, FlowId: res.FlowIds![0]! });
    await settled();
    receiver.reset();
    const out = await essbasicClient(emulator).ChannelBatchCancelFlows({
      Agent: AGENT,
      FlowIds: [...res.FlowIds!, "yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc"],
    });
    expect(out.TaskId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(out.FailMessages!.map((m) => m !== "")).toEqual([true, false, false, true]);
    await settled();
    expect(types()).toEqual(["FlowStatusChange:cancel", "FlowStatusChange:cancel", "FlowGroupStatusChange", "CancelFlows"]);
    const result = receiver.received[3]!.envelope;
    expect(result.MsgVersion).toBe("ThirdPartyApp");
    expect(result.MsgData).toMatchObject({ TaskId: out.TaskId, TaskStatus: "END", SuccessFlowIds: res.FlowIds!.slice(1) });
    expect(result.MsgData.FailureFlows.map((f: any) => f.FlowId)).toEqual([res.FlowIds![0], "yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc"]);
    expect(emulator.state(res.FlowGroupId!).groups[0]!.status).toBe("INVALID");
  });

  it("essbasic ChannelBatchCancelFlows: all cancelled → FailMessages []; bad reasons and too many flows refused", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    expect(
      (await sdkError(essbasicClient(emulator).ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: res.FlowIds!, CancelMessage: "🙂" }))).code,
    ).toBe("InvalidParameter.CancelReason");
    const many = Array.from({ length: 101 }, () => res.FlowIds![0]!);
    expect((await sdkError(essbasicClient(emulator).ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: many }))).code).toBe(
      "LimitExceeded.FlowIds",
    );
    expect((await essbasicClient(emulator).ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: res.FlowIds! })).FailMessages).toEqual([]);
    expect(emulator.state(res.FlowGroupId!).groups[0]!.flows.every((f) => f.message === "自动撤销（通过接口实现）")).toBe(true);
  });
});

describe("remind", () => {
  it("ess CreateFlowReminds: per flow; at most 3 reminders per approver and flow; ended flows cannot; no callback", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    await settled();
    receiver.reset();
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18888888888" }); // flow 1 now ALL
    await settled();
    receiver.reset();
    const call = () => essClient(emulator).CreateFlowReminds({ Operator: OPERATOR, FlowIds: res.FlowIds! });
    for (let i = 0; i < 3; i++) expect((await call()).RemindFlowRecords!.map((r) => r.CanRemind)).toEqual([false, true, true]);
    const fourth = (await call()).RemindFlowRecords!;
    expect(fourth.map((r) => r.CanRemind)).toEqual([false, false, false]);
    expect(fourth[1]!.RemindMessage).not.toBe("");
    expect(emulator.state(res.FlowGroupId!).groups[0]!.flows[1]!.approvers.map((a) => a.remindCount)).toEqual([3, 3]);
    await settled();
    expect(receiver.received).toEqual([]);
  });

  it("ess CreateFlowGroupReminds: one record per signatory with each flow's outcome", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    const out = await essClient(emulator).CreateFlowGroupReminds({ Operator: OPERATOR, FlowGroupId: res.FlowGroupId! });
    const records = out.RemindFlowGroupRecords!;
    // 张三, 典子谦 (employee), 李四, 王五, 典子谦 (person): the same mobile as a person and an employee is two signatories.
    expect(records).toHaveLength(5);
    const employee = records.find((r) => r.Mobile === "18251952320")!;
    expect(employee.FlowIds).toEqual([res.FlowIds![1]]);
    expect(employee.RemindMessageList!.map((m) => m.Status)).toEqual([0]);
    for (let i = 0; i < 2; i++) await essClient(emulator).CreateFlowGroupReminds({ Operator: OPERATOR, FlowGroupId: res.FlowGroupId! });
    const over = await essClient(emulator).CreateFlowGroupReminds({ Operator: OPERATOR, FlowGroupId: res.FlowGroupId! });
    expect(over.RemindFlowGroupRecords!.flatMap((r) => r.RemindMessageList!.map((m) => m.Status))).toEqual([5, 5, 5, 5, 5]);
  });

  it("essbasic ChannelCreateFlowReminds: once per person and flow", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const call = () => essbasicClient(emulator).ChannelCreateFlowReminds({ Agent: AGENT, FlowIds: res.FlowIds! });
    expect((await call()).RemindFlowRecords!.map((r) => r.CanRemind)).toEqual([true, true, true]);
    expect((await call()).RemindFlowRecords!.map((r) => r.CanRemind)).toEqual([false, false, false]);
  });
});

describe("signed documents", () => {
  async function signedGroup() {
    const up = await essClient({ endpoint: emulator.fileEndpoint, credentials: emulator.credentials }).UploadFiles({
      BusinessType: "DOCUMENT",
      Caller: { OperatorId: ESS_OPERATOR },
      FileInfos: [{ FileBody: b64(sample("purchase-contract.pdf")), FileName: "purchase-contract.pdf" }],
    });
    const request = seed("ess-example-1");
    for (const f of request.FlowGroupInfos) f.FileIds = up.FileIds;
    const res = await essClient(emulator).CreateFlowGroupByFiles(request as any);
    emulator.sign({ flowGroupId: res.FlowGroupId! });
    return res;
  }

  it("ess DescribeFileUrls (FLOW): each flow's PDF is the upload plus a signature page naming who signed and when", async () => {
    const res = await signedGroup();
    const out = await essClient(emulator).DescribeFileUrls({ Operator: OPERATOR, BusinessType: "FLOW", BusinessIds: res.FlowIds! });
    expect(out.TotalCount).toBe(3);
    const download = await fetch(out.FileUrls![1]!.Url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    const pdf = new Uint8Array(await download.arrayBuffer());
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(3 + 1);
    const text = await pageText(pdf, 3);
    expect(text).toContain("签署页 Signature page");
    expect(text).toContain("子合同2-普通B2B");
    expect(text).toContain("签署完成 (all signed)");
    expect(text).toMatch(/典子谦 · 典子谦示例企业/);
    expect(text.match(/已签署 signed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+8\)/g)).toHaveLength(2);
  });

  it("links expire: 5 minutes by default, UrlTtl seconds when given", async () => {
    const res = await signedGroup();
    const byDefault = (
      await essClient(emulator).DescribeFileUrls({ Operator: OPERATOR, BusinessType: "FLOW", BusinessIds: [res.FlowIds![0]!] })
    ).FileUrls![0]!.Url;
    const short = (
      await essClient(emulator).DescribeFileUrls({ Operator: OPERATOR, BusinessType: "FLOW", BusinessIds: [res.FlowIds![0]!], UrlTtl: 60 })
    ).FileUrls![0]!.Url;
    now += 61_000;
    expect((await fetch(short)).status).toBe(403);
    expect((await fetch(byDefault)).status).toBe(200);
    now += 240_000;
    expect((await fetch(byDefault)).status).toBe(403);
  });

  it.each([
    ["BusinessType TEMPLATE", { BusinessType: "TEMPLATE" }, "InvalidParameter.BusinessType"],
    ["21 flows", { BusinessIds: Array.from({ length: 21 }, () => "yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc") }, "InvalidParameter.BusinessId"],
    ["an unknown flow", { BusinessIds: ["yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc"] }, "ResourceNotFound.Flow"],
    ["UrlTtl over a day", { UrlTtl: 86_401 }, "InvalidParameter.ParamError"],
  ])("ess DescribeFileUrls: %s → %s", async (_name, extra, code) => {
    const res = await signedGroup();
    const err = await sdkError(
      essClient(emulator).DescribeFileUrls({ Operator: OPERATOR, BusinessType: "FLOW", BusinessIds: res.FlowIds!, ...extra } as any),
    );
    expect(err.code).toBe(code);
  });

  it("essbasic DescribeResourceUrlsByFlows: a link per flow (fixture files get a stand-in page), per-flow errors", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    emulator.sign({ flowGroupId: res.FlowGroupId! });
    const out = await essbasicClient(emulator).DescribeResourceUrlsByFlows({
      Agent: AGENT,
      FlowIds: [res.FlowIds![0]!, "yDwiSUUg0e3wm2UyoVjXz1xWSYus0Jtc"],
    });
    expect(out.ErrorMessages!.map((m) => m === "")).toEqual([true, false]);
    const info = out.FlowResourceUrlInfos![0]!.ResourceUrlInfos![0]!;
    expect(info).toMatchObject({ Name: "采购合同.pdf", Type: "PDF" });
    const pdf = new Uint8Array(await (await fetch(info.Url!)).arrayBuffer());
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(2);
    expect(await pageText(pdf, 1)).toContain("签署完成 (all signed)");
  });
});
