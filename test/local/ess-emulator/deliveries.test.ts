import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type DeliveryEntry, type RunningEmulator } from "../../../local/ess-emulator";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { essClient } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * Every delivery attempt is logged on the emulator's side, failed ones included (a receiver with
 * the wrong key, a receiver that is down), with message type, group, flow, attempt, HTTP status
 * and time; listeners get them in-process and over `GET /_emulator/deliveries`.
 */

const KEY = "0123456789abcdef0123456789abcdef";
const RETRY = { initialDelayMs: 5, factor: 1, maxAttempts: 3, timeoutMs: 1000 };
let emulator: RunningEmulator;
let receiver: CallbackReceiver;

beforeAll(async () => {
  receiver = await startCallbackReceiver({ key: KEY });
  emulator = await startEmulator({ callback: { key: KEY, token: null, retry: RETRY, urls: { ess: receiver.url } } });
});
afterAll(async () => {
  await emulator.stop();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.setCallbackUrl("ess", receiver.url);
  receiver.reset();
});
afterEach(() => emulator.waitForCallbacksIdle(5000));

const feed = async (query = ""): Promise<any> => (await fetch(`${emulator.url}/_emulator/deliveries${query}`)).json();
const create = () => essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);

describe("delivery log", () => {
  it("logs each attempt with type, group, flow, attempt, status, result and time, retries included", async () => {
    const seen: DeliveryEntry[] = [];
    const stop = emulator.onDelivery((e) => seen.push(e));
    receiver.respond = (n) => (n === 1 ? 503 : 200); // the very first attempt is refused
    const before = Date.now();
    const res = await create();
    await emulator.waitForCallbacksIdle();
    stop();
    const log = emulator.deliveries();
    expect(seen).toEqual(log);
    // The retry waits its backoff while later messages go out, so it is logged last.
    expect(log.map((e) => [e.msgType, e.flowId, e.attempt, e.status, e.result])).toEqual([
      ["FlowStatusChange", res.FlowIds![0], 1, 503, "retrying"],
      ["FlowStatusChange", res.FlowIds![1], 1, 200, "delivered"],
      ["FlowGroupStatusChange", undefined, 1, 200, "delivered"],
      ["FlowStatusChange", res.FlowIds![0], 2, 200, "delivered"],
    ]);
    expect(log.every((e) => e.flowGroupId === res.FlowGroupId && e.edition === "ess" && e.at >= before && e.at <= Date.now())).toBe(true);
    expect(log[0]!.retryInMs).toBe(5);
    expect(log[0]!.msgId).toBe(log[3]!.msgId);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4].map((n) => n + log[0]!.seq - 1));
  });

  it("a receiver with the wrong key answers non-200 every time: each attempt and the final failure are logged", async () => {
    const wrongKey = await startCallbackReceiver({ key: "ffffffffffffffffffffffffffffffff" });
    try {
      emulator.setCallbackUrl("ess", wrongKey.url);
      await create();
      await emulator.waitForCallbacksIdle();
      const log = emulator.deliveries();
      expect(log).toHaveLength(3 * 3);
      expect(log.every((e) => e.status === 400)).toBe(true);
      expect(log.filter((e) => e.result === "failed").map((e) => e.attempt)).toEqual([3, 3, 3]);
      expect(emulator.stats().callbacks.failed).toBe(3);
    } finally {
      await wrongKey.close();
    }
  });

  it("a receiver that is down: network errors are logged with their reason, no status", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    emulator.setCallbackUrl("ess", `http://127.0.0.1:${port}/callback`);
    await create();
    await emulator.waitForCallbacksIdle();
    const log = emulator.deliveries();
    expect(log).toHaveLength(9);
    expect(log.every((e) => e.status === undefined && typeof e.error === "string" && e.error.length > 0)).toBe(true);
    expect(log.at(-1)!.result).toBe("failed");
  });

  it("GET /_emulator/deliveries pages with after= and waits with waitMs= for the next attempt", async () => {
    await create();
    await emulator.waitForCallbacksIdle();
    const all = await feed();
    expect(all.deliveries).toHaveLength(3);
    const cursor = all.next;
    const page = await feed(`?after=${all.deliveries[0].seq}&limit=1`);
    expect(page.deliveries.map((d: DeliveryEntry) => d.seq)).toEqual([all.deliveries[1].seq]);

    const waiting = feed(`?after=${cursor}&waitMs=5000`);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await create();
    const next = await waiting;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(next.deliveries.length).toBeGreaterThan(0);
    expect(next.deliveries[0].seq).toBe(cursor + 1);
    const empty = await feed(`?after=${next.last + 100}`);
    expect(empty.deliveries).toEqual([]);
  });

  it("carries no message body or personal data", async () => {
    await create();
    await emulator.waitForCallbacksIdle();
    const text = JSON.stringify(emulator.deliveries());
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(text).not.toContain("encrypt");
  });
});
