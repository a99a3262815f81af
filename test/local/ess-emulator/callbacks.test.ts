import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { essbasicClient, essClient } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * Callbacks as a receiver sees them, decrypted and verified by the test's own implementation of
 * the protocol (support/callback-receiver.ts).
 */

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "callback-token-for-tests";
const RETRY = { initialDelayMs: 5, factor: 2, maxAttempts: 3, timeoutMs: 2000 };

let emulator: RunningEmulator;
let essReceiver: CallbackReceiver;
let essbasicReceiver: CallbackReceiver;

beforeAll(async () => {
  essReceiver = await startCallbackReceiver({ key: KEY, token: TOKEN });
  essbasicReceiver = await startCallbackReceiver({ key: KEY, token: TOKEN });
  emulator = await startEmulator({
    callback: { key: KEY, token: TOKEN, retry: RETRY, urls: { ess: essReceiver.url, essbasic: essbasicReceiver.url } },
  });
});
afterAll(async () => {
  await emulator.stop();
  await essReceiver.close();
  await essbasicReceiver.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.setCallbackUrl("ess", essReceiver.url);
  emulator.setCallbackUrl("essbasic", essbasicReceiver.url);
  essReceiver.reset();
  essbasicReceiver.reset();
});
afterEach(() => emulator.waitForCallbacksIdle(5000));

const summary = (r: CallbackReceiver) =>
  r.received.map(({ envelope: { MsgType, MsgData } }) =>
    MsgType === "FlowGroupStatusChange"
      ? `group ${MsgData.FlowGroupStatus}`
      : `${MsgData.FlowName} ${MsgData.Operate} ${MsgData.FlowCallbackShowStatus ?? MsgData.FlowStatus}`,
  );

describe("enterprise edition callbacks (CustomApp)", () => {
  it("are encrypted, signed, and tell the creation story in order", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    await emulator.waitForCallbacksIdle();
    expect(summary(essReceiver)).toEqual([
      "子合同1-B2B(发起方企业自动签署) start INIT",
      "子合同2-普通B2B start INIT",
      "子合同3-普通B2C start INIT",
      "子合同1-B2B(发起方企业自动签署) sign PART",
      "group TOSIGN",
    ]);
    expect(essbasicReceiver.received).toHaveLength(0);
    for (const c of essReceiver.received) {
      expect(c.signatureValid).toBe(true);
      expect(c.signatureHeader).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(c.envelope.MsgId).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(c.envelope.MsgVersion).toBe("CustomApp");
    }
    expect(new Set(essReceiver.received.map((c) => c.envelope.MsgId)).size).toBe(5);
    const sign = essReceiver.received[3]!.envelope.MsgData;
    expect(sign).toMatchObject({
      FlowId: res.FlowIds![0],
      FlowType: "示例合同",
      FlowCallbackStatus: 2,
      FlowCallbackShowStatus: "PART",
      Operate: "sign",
      RecipientId: res.Approvers![0]!.Approvers![0]!.RecipientId,
      UserData: "",
      FlowGroupMessage: { FlowGroupId: res.FlowGroupId, FlowGroupName: "示例合同组-有3份子合同" },
    });
    expect(sign.OccurTime).toBeGreaterThan(1_600_000_000);
    expect(sign.Approvers).toEqual([
      expect.objectContaining({
        RecipientId: res.Approvers![0]!.Approvers![0]!.RecipientId,
        ApproverType: 3,
        ApproveCallbackStatus: 3,
        ApproveCallbackShowStatus: "ACCEPT",
        ApproverName: "典子谦",
        ApproverMobile: "18251952320",
      }),
      expect.objectContaining({
        ApproverType: 0,
        ApproveCallbackStatus: 2,
        ApproveCallbackShowStatus: "PENDING",
        ApproveTime: 0,
        ApproveMessage: "",
      }),
    ]);
    expect(essReceiver.received[4]!.envelope.MsgData).toEqual({
      FlowGroupId: res.FlowGroupId,
      FlowGroupName: "示例合同组-有3份子合同",
      FlowGroupStatus: "TOSIGN",
      OccurTime: expect.any(Number),
    });
  });

  it("report each signing, the finish of every flow, and the group reaching ALL last", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await emulator.waitForCallbacksIdle();
    essReceiver.received.length = 0;
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18251952320" });
    emulator.sign({ flowGroupId: res.FlowGroupId! });
    await emulator.waitForCallbacksIdle();
    expect(summary(essReceiver)).toEqual([
      "子合同1-B2B(发起方企业自动签署) sign PART",
      "子合同1-B2B(发起方企业自动签署) finish ALL",
      "子合同2-普通B2C sign PART",
      "子合同2-普通B2C finish ALL",
      "group ALL",
    ]);
  });

  it("report a rejection with its reason and the stopped approvers", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    emulator.reject({ flowGroupId: res.FlowGroupId!, mobile: "13700000000" }, "不同意");
    await emulator.waitForCallbacksIdle();
    const reject = essReceiver.received.find((c) => c.envelope.MsgData.Operate === "reject")!.envelope.MsgData;
    expect(reject).toMatchObject({ FlowCallbackStatus: 3, FlowCallbackShowStatus: "REJECT", FlowMessage: "不同意" });
    expect(reject.Approvers.map((a: any) => a.ApproveCallbackShowStatus)).toEqual(["REJECT", "STOP"]);
    expect(summary(essReceiver).at(-1)).toBe("group PART");
  });
});

describe("channel edition callbacks (ThirdPartyApp)", () => {
  it("use words for statuses, CustomerData, OpenIds, and carry no FlowGroupMessage", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    await emulator.waitForCallbacksIdle();
    expect(essReceiver.received).toHaveLength(0);
    expect(summary(essbasicReceiver)).toEqual([
      "番茄的采购合同 start INIT",
      "黄瓜的采购合同 start INIT",
      "马铃薯的采购合同 start INIT",
      "番茄的采购合同 sign PART",
      "黄瓜的采购合同 sign PART",
      "马铃薯的采购合同 sign PART",
      "group WAITSIGN",
    ]);
    const first = essbasicReceiver.received[3]!.envelope;
    expect(first.MsgVersion).toBe("ThirdPartyApp");
    expect(first.MsgData).toMatchObject({
      FlowId: res.FlowIds![0],
      FlowStatus: "PART",
      CustomerData: "5ZCI5ZCM5Lus5ZCI5ZCM5Lus",
      Operate: "sign",
    });
    expect(first.MsgData.FlowGroupMessage).toBeUndefined();
    expect(first.MsgData.UserData).toBeUndefined();
    expect(first.MsgData.FlowCallbackStatus).toBeUndefined();
    expect(first.MsgData.Approvers[0]).toMatchObject({
      ApproverType: "ENTERPRISESERVER",
      OpenId: "zk",
      OrganizationOpenId: "zk_online_org",
      ApproveStatus: "ACCEPT",
    });
    expect(first.MsgData.Approvers[1]).toMatchObject({ ApproverType: "PERSON", ApproveStatus: "PENDING", OpenId: "" });
    expect(essbasicReceiver.received.every((c) => c.signatureValid)).toBe(true);
  });
});

describe("delivery", () => {
  it("retries non-200 answers with the same MsgId and the same bytes", async () => {
    // Every message is refused twice, then accepted on the third (last allowed) attempt.
    essReceiver.respond = (_n, c) => (essReceiver.received.filter((r) => r.envelope.MsgId === c!.envelope.MsgId).length <= 2 ? 503 : 200);
    await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await emulator.waitForCallbacksIdle();
    const ids = [...new Set(essReceiver.received.map((c) => c.envelope.MsgId))];
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const copies = essReceiver.received.filter((c) => c.envelope.MsgId === id);
      expect(copies).toHaveLength(3);
      for (const c of copies) expect(c.rawBody.equals(copies[0]!.rawBody)).toBe(true);
    }
    const stats = emulator.stats().callbacks;
    expect(stats.acknowledged).toBe(3);
    expect(stats.sent).toBe(9);
    expect(stats.failed).toBe(0);
    expect(stats.pending).toBe(0);
  });

  it("gives up after the last attempt and counts the failure", async () => {
    essReceiver.respond = () => 500;
    await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await emulator.waitForCallbacksIdle();
    const stats = emulator.stats().callbacks;
    expect(stats.failed).toBe(stats.messages);
    expect(stats.sent).toBe(3 * stats.messages);
    expect(stats.acknowledged).toBe(0);
    expect(stats.byEdition.ess.failed).toBe(stats.messages);
  });

  it("counts messages of an edition without a URL as skipped, and delivers once a URL is set", async () => {
    emulator.setCallbackUrl("ess", undefined);
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    expect(emulator.stats().callbacks.skipped).toBe(3); // 2 starts + group status
    emulator.setCallbackUrl("ess", essReceiver.url);
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18888888888" });
    await emulator.waitForCallbacksIdle();
    expect(summary(essReceiver)).toEqual(["子合同1-B2B(发起方企业自动签署) sign PART"]);
  });

  it("sends no Content-Signature when no token is configured", async () => {
    const plain = await startEmulator({ callback: { key: KEY, token: null, retry: RETRY, urls: { ess: essReceiver.url } } });
    try {
      await essClient(plain).CreateFlowGroupByFiles(seed("ess-example-3") as any);
      await plain.waitForCallbacksIdle();
      expect(essReceiver.received.length).toBeGreaterThan(0);
      expect(essReceiver.received.every((c) => c.signatureHeader === undefined)).toBe(true);
    } finally {
      await plain.stop();
    }
  });
});
