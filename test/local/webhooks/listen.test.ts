import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type DeliveryEntry, type RunningEmulator } from "../../../local/ess-emulator";
import { deliveryLine } from "../../../local/webhooks/delivery-line";
import { listenDeliveries } from "../../../local/webhooks/listen";
import { startCallbackReceiver, type CallbackReceiver } from "../ess-emulator/support/callback-receiver";
import { essClient } from "../ess-emulator/support/sdk";
import { seed } from "../ess-emulator/support/seeds";

/**
 * `npm run callbacks:listen` follows the emulator's delivery log over HTTP: every attempt, failed
 * ones included, once each and in order, one line per attempt with type, group, flow, attempt,
 * status and time; it waits for an emulator that is not up yet.
 */
const KEY = "0123456789abcdef0123456789abcdef";
let emulator: RunningEmulator;
let receiver: CallbackReceiver;

beforeAll(async () => {
  receiver = await startCallbackReceiver({ key: KEY });
  emulator = await startEmulator({
    callback: {
      key: KEY,
      token: null,
      retry: { initialDelayMs: 5, factor: 1, maxAttempts: 3, timeoutMs: 1000 },
      urls: { ess: receiver.url },
    },
  });
});
afterAll(async () => {
  await emulator.stop();
  await receiver.close();
});

describe("callbacks:listen", () => {
  it("prints every attempt once, in order, failed ones included", async () => {
    const seen: DeliveryEntry[] = [];
    const controller = new AbortController();
    const listening = listenDeliveries({ emulatorUrl: emulator.url, signal: controller.signal, waitMs: 200, onEntry: (e) => seen.push(e) });
    receiver.respond = (n) => (n === 1 ? 503 : 200);
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as never);
    await emulator.waitForCallbacksIdle();
    const deadline = Date.now() + 5_000;
    while (seen.length < emulator.deliveries().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await listening;
    expect(seen).toEqual(emulator.deliveries());
    expect(seen.map((e) => e.result)).toContain("retrying");
    const line = deliveryLine(seen[0]!);
    expect(line).toContain("FlowStatusChange");
    expect(line).toContain(`group ${res.FlowGroupId}`);
    expect(line).toContain(`flow ${res.FlowIds![0]}`);
    expect(line).toContain("attempt 1");
    expect(line).toMatch(/HTTP 503, retry in 5 ms/);
    expect(line).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} {2}retrying/);
  });

  it("says the emulator is unreachable and keeps trying", async () => {
    const reasons: string[] = [];
    const controller = new AbortController();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const listening = listenDeliveries({
      emulatorUrl: `http://127.0.0.1:${port}`,
      signal: controller.signal,
      retryMs: 20,
      onEntry: () => undefined,
      onUnreachable: (reason) => reasons.push(reason),
    });
    while (reasons.length < 2) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await listening;
    expect(reasons[0]).toMatch(/ECONNREFUSED|connect/);
  });
});
