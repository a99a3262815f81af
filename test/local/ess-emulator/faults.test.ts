import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Faults, type RunningEmulator } from "../../../local/ess-emulator";
import { createFaultEngine, FaultConfigError, normalizeFaults } from "../../../local/ess-emulator/faults";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { ESS_OPERATOR } from "./support/fixtures";
import { essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/** Every fault mode, switched on through the in-process API; seeded faults repeat exactly. */

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "fault-token";
let emulator: RunningEmulator;
let receiver: CallbackReceiver;

beforeAll(async () => {
  receiver = await startCallbackReceiver({ key: KEY, token: TOKEN });
  emulator = await startEmulator({
    rateLimitPerSecond: 0,
    callback: { key: KEY, token: TOKEN, urls: { ess: receiver.url }, retry: { initialDelayMs: 5, maxAttempts: 3 } },
  });
});
afterAll(async () => {
  await emulator.stop();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  receiver.reset();
});
afterEach(() => emulator.waitForCallbacksIdle(5000));

const create = () => essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
const describeFlow = () =>
  essClient(emulator).DescribeFlowInfo({ Operator: { UserId: ESS_OPERATOR }, FlowIds: ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP"] });
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? "error",
  );

describe("API faults", () => {
  it("internalErrorNext: the next N calls fail with InternalError and execute nothing", async () => {
    emulator.setFaults({ internalErrorNext: 2 });
    expect(await outcome(create())).toBe("InternalError");
    expect(await outcome(create())).toBe("InternalError");
    expect(await outcome(create())).toBe("ok");
    expect(emulator.stats().groupsCreated).toBe(1);
    expect(emulator.state().groups).toHaveLength(1);
    expect(emulator.stats().calls.CreateFlowGroupByFiles).toBe(3);
  });

  it("actions: faults hit only the named actions", async () => {
    emulator.setFaults({ internalErrorNext: 1, actions: ["CreateFlowGroupByFiles"] });
    expect(await outcome(describeFlow())).toBe("ResourceNotFound.Flow");
    expect(await outcome(create())).toBe("InternalError");
    expect(await outcome(create())).toBe("ok");
  });

  it("requestLimitNext: the next N calls get RequestLimitExceeded", async () => {
    emulator.setFaults({ requestLimitNext: 1 });
    expect(await outcome(create())).toBe("RequestLimitExceeded");
    expect(await outcome(create())).toBe("ok");
  });

  it("internalErrorRate with a seed fails the same calls every time", async () => {
    const run = async (faults: Faults) => {
      emulator.setFaults(faults);
      const out: string[] = [];
      for (let i = 0; i < 24; i++) out.push(await outcome(describeFlow()));
      return out;
    };
    const a = await run({ seed: 42, internalErrorRate: 0.5 });
    const b = await run({ seed: 42, internalErrorRate: 0.5 });
    const c = await run({ seed: 43, internalErrorRate: 0.5 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain("InternalError");
    expect(a).toContain("ResourceNotFound.Flow");
  });

  it("hangNext: the call is never answered until the client gives up; the next one is", async () => {
    emulator.setFaults({ hangNext: 1 });
    const impatient = essClient({ ...emulator });
    (impatient as any).profile.httpProfile.reqTimeout = 1;
    const error = await sdkError(impatient.DescribeFlowInfo({ Operator: { UserId: ESS_OPERATOR }, FlowIds: ["x"] }));
    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/timeout/i);
    expect(emulator.stats().hung).toBe(1);
    expect(await outcome(describeFlow())).toBe("ResourceNotFound.Flow");
  });

  it("latencyMs: answers come later than a client's timeout allows", async () => {
    emulator.setFaults({ latencyMs: 2500, actions: ["DescribeFlowInfo"] });
    const impatient = essClient({ ...emulator });
    (impatient as any).profile.httpProfile.reqTimeout = 1;
    expect((await sdkError(impatient.DescribeFlowInfo({ Operator: { UserId: ESS_OPERATOR }, FlowIds: ["x"] }))).message).toMatch(
      /timeout/i,
    );
    expect(await outcome(create())).toBe("ok"); // another action: no latency
  });
});

describe("callback faults", () => {
  const msgIds = () => receiver.received.map((c) => c.envelope.MsgId);

  it("callbackDuplicateRate: every message arrives twice, same MsgId and bytes", async () => {
    emulator.setFaults({ callbackDuplicateRate: 1 });
    await create();
    await emulator.waitForCallbacksIdle();
    const ids = new Set(msgIds());
    expect(ids.size).toBe(3);
    for (const id of ids) {
      const copies = receiver.received.filter((c) => c.envelope.MsgId === id);
      expect(copies).toHaveLength(2);
      expect(copies[0]!.rawBody.equals(copies[1]!.rawBody)).toBe(true);
    }
    expect(emulator.stats().callbacks).toMatchObject({ messages: 3, duplicated: 3, deliveries: 6, acknowledged: 6 });
  });

  it("callbackShuffle: a batch arrives out of order, the same way for the same seed", async () => {
    const story = () =>
      receiver.received.map(
        (c) =>
          `${c.envelope.MsgType}:${c.envelope.MsgData.FlowName ?? ""}:${c.envelope.MsgData.Operate ?? c.envelope.MsgData.FlowGroupStatus}`,
      );
    const res = await create();
    await emulator.waitForCallbacksIdle();
    receiver.reset();
    emulator.sign({ flowGroupId: res.FlowGroupId! }); // one batch: 4 flow messages + group ALL
    await emulator.waitForCallbacksIdle();
    const natural = story();
    const shuffledRun = async () => {
      emulator.reset();
      receiver.reset();
      const r = await create();
      await emulator.waitForCallbacksIdle();
      receiver.reset();
      emulator.setFaults({ seed: 7, callbackShuffle: true });
      emulator.sign({ flowGroupId: r.FlowGroupId! });
      await emulator.waitForCallbacksIdle();
      return story();
    };
    const first = await shuffledRun();
    const second = await shuffledRun();
    expect(first).not.toEqual(natural);
    expect([...first].sort()).toEqual([...natural].sort());
    expect(second).toEqual(first);
  });

  it("callbackDelayMs: nothing arrives before the delay; reset drops what waits", async () => {
    emulator.setFaults({ callbackDelayMs: 60_000 });
    await create();
    await outcome(describeFlow()); // a full round trip later, still nothing
    expect(receiver.received).toHaveLength(0);
    expect(emulator.stats().callbacks.pending).toBe(3);
    emulator.reset();
    expect(emulator.stats().callbacks.pending).toBe(0);
    emulator.setFaults({ callbackDelayMs: 20 });
    await create();
    await emulator.waitForCallbacksIdle();
    expect(receiver.received).toHaveLength(3);
  });

  it("callbackDropFirstRate: the first attempt is not sent; the retry delivers each message once", async () => {
    emulator.setFaults({ callbackDropFirstRate: 1 });
    await create();
    await emulator.waitForCallbacksIdle();
    expect(new Set(msgIds()).size).toBe(3);
    expect(receiver.received).toHaveLength(3);
    expect(emulator.stats().callbacks).toMatchObject({ dropped: 3, sent: 3, acknowledged: 3 });
  });

  it("callbackCorruptSignatureRate: the signature does not verify and the receiver's refusals exhaust the retries", async () => {
    receiver.respond = (_n, c) => (c!.signatureValid ? 200 : 401);
    emulator.setFaults({ callbackCorruptSignatureRate: 1 });
    await create();
    await emulator.waitForCallbacksIdle();
    expect(receiver.received).toHaveLength(9);
    expect(receiver.received.every((c) => !c.signatureValid && c.signatureHeader?.startsWith("sha256="))).toBe(true);
    expect(emulator.stats().callbacks).toMatchObject({ messages: 3, failed: 3, acknowledged: 0 });
  });

  it("seeded callback faults repeat: the same messages are duplicated for the same seed", async () => {
    const pattern = async () => {
      emulator.reset();
      receiver.reset();
      emulator.setFaults({ seed: 3, callbackDuplicateRate: 0.5 });
      const r = await create();
      emulator.sign({ flowGroupId: r.FlowGroupId! });
      await emulator.waitForCallbacksIdle();
      const counts = new Map<string, number>();
      for (const c of receiver.received) counts.set(c.envelope.MsgId, (counts.get(c.envelope.MsgId) ?? 0) + 1);
      return receiver.received
        .filter((c, i, all) => all.findIndex((x) => x.envelope.MsgId === c.envelope.MsgId) === i)
        .map((c) => counts.get(c.envelope.MsgId));
    };
    const a = await pattern();
    expect(await pattern()).toEqual(a);
    expect(a).toContain(1);
    expect(a).toContain(2);
  });
});

describe("fault settings and decisions", () => {
  it.each([
    [{ nope: 1 }, /unknown fault/],
    [{ internalErrorRate: 1.1 }, /between 0 and 1/],
    [{ hangNext: 1.5 }, /whole number/],
    [{ latencyMs: -1 }, />= 0/],
    [{ actions: "CreateFlowGroupByFiles" }, /list/],
    [{ callbackShuffle: "yes" }, /true or false/],
  ])("normalizeFaults(%j) is refused", (input, message) => {
    expect(() => normalizeFaults(input)).toThrow(FaultConfigError);
    expect(() => normalizeFaults(input)).toThrow(message);
  });

  it("hang, then request limit, then internal error counters are consumed in that order", () => {
    const engine = createFaultEngine({ hangNext: 1, requestLimitNext: 1, internalErrorNext: 1 });
    expect(["A", "A", "A", "A"].map((a) => engine.decideApi(a))).toEqual(["hang", "requestLimit", "internalError", "none"]);
  });

  it("order() never returns a shuffled batch in its original order", () => {
    for (let seed = 0; seed < 50; seed++) {
      const engine = createFaultEngine({ seed, callbackShuffle: true });
      expect(engine.order([1, 2])).toEqual([2, 1]);
      const out = engine.order([1, 2, 3, 4]);
      expect(out).not.toEqual([1, 2, 3, 4]);
      expect([...out].sort()).toEqual([1, 2, 3, 4]);
    }
  });
});
