import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clearEmulatorState, startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { ESS_OPERATOR } from "./support/fixtures";
import { b64, sample } from "./support/files";
import { essClient } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * The state file keeps the emulator in step with a receiver across restarts: uploads, groups and
 * undelivered callbacks survive; no callback leaves before the state behind it is on disk; a
 * reset (or `clearEmulatorState` when stopped) empties it.
 */

const RETRY = { initialDelayMs: 5, factor: 1, maxAttempts: 1000, timeoutMs: 2000 };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "ess-emulator-state-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "emulator.json");
}

async function emulatorWith(file: string, receiver: CallbackReceiver): Promise<RunningEmulator> {
  const emulator = await startEmulator({
    stateFile: file,
    callback: { key: KEY, token: TOKEN, retry: RETRY, urls: { ess: receiver.url } },
  });
  cleanups.push(() => emulator.stop());
  return emulator;
}

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "persistence-token";
const saved = (file: string) => JSON.parse(readFileSync(file, "utf8"));

/** Polls `condition` until it holds (bounded: fails after `timeoutMs`). */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("state file", () => {
  it("a callback leaves only once the change it reports is in the state file", async () => {
    const file = stateFile();
    const receiver = await startCallbackReceiver({ key: KEY, token: TOKEN });
    cleanups.push(() => receiver.close());
    const seenOnDisk: string[] = [];
    receiver.respond = (_n, c) => {
      const flowId = c?.envelope.MsgData.FlowId as string | undefined;
      if (flowId)
        seenOnDisk.push(existsSync(file) ? (saved(file).flows.find((f: any) => f.flowId === flowId)?.state ?? "missing") : "missing");
      return 200;
    };
    const emulator = await emulatorWith(file, receiver);
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    emulator.sign({ flowGroupId: res.FlowGroupId! });
    await emulator.waitForCallbacksIdle();
    expect(seenOnDisk.length).toBeGreaterThan(0);
    expect(seenOnDisk).not.toContain("missing");
    // Each FlowStatusChange found its flow in the file at least as far along as the message says.
    const last = receiver.received.at(-1)!.envelope;
    expect(last.MsgData.FlowGroupStatus).toBe("ALL");
  });

  it("undelivered callbacks survive a restart and are delivered after it, same MsgId and bytes", async () => {
    const file = stateFile();
    const receiver = await startCallbackReceiver({ key: KEY, token: TOKEN });
    cleanups.push(() => receiver.close());
    receiver.respond = () => 503; // down
    const first = await emulatorWith(file, receiver);
    await essClient(first).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await until(() => new Set(receiver.received.map((c) => c.envelope.MsgId)).size === 3);
    const tried = new Map(receiver.received.map((c) => [c.envelope.MsgId, c.rawBody]));
    expect(tried.size).toBe(3);
    await first.stop();
    expect(saved(file).outbox).toHaveLength(3);

    receiver.reset(); // back up, answering 200
    const second = await emulatorWith(file, receiver);
    await second.waitForCallbacksIdle();
    // At least once: an attempt of the first run still in flight at its stop may arrive too.
    expect([...new Set(receiver.received.map((c) => c.envelope.MsgId))].sort()).toEqual([...tried.keys()].sort());
    for (const c of receiver.received) expect(c.rawBody.equals(tried.get(c.envelope.MsgId)!)).toBe(true);
    await until(() => saved(file).outbox.length === 0);
  });

  it("uploads survive a restart: listed, and their FileIds still start groups", async () => {
    const file = stateFile();
    const first = await startEmulator({ stateFile: file });
    cleanups.push(() => first.stop());
    const up = await essClient({ endpoint: first.fileEndpoint, credentials: first.credentials }).UploadFiles({
      BusinessType: "DOCUMENT",
      Caller: { OperatorId: ESS_OPERATOR },
      FileInfos: [{ FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" }],
    });
    await first.stop();
    expect(existsSync(`${file}.files/${up.FileIds![0]}`)).toBe(true);
    const second = await startEmulator({ stateFile: file });
    cleanups.push(() => second.stop());
    expect(second.state().files).toMatchObject([{ fileId: up.FileIds![0], fileName: "nda.pdf", pages: 2 }]);
    const request = seed("ess-example-1");
    for (const f of request.FlowGroupInfos) f.FileIds = up.FileIds;
    await essClient(second).CreateFlowGroupByFiles(request as any);
  });

  it("a reset empties the file at once; clearEmulatorState deletes a stopped emulator's state", async () => {
    const file = stateFile();
    const emulator = await startEmulator({ stateFile: file });
    cleanups.push(() => emulator.stop());
    await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await essClient({ endpoint: emulator.fileEndpoint, credentials: emulator.credentials }).UploadFiles({
      BusinessType: "DOCUMENT",
      Caller: { OperatorId: ESS_OPERATOR },
      FileInfos: [{ FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" }],
    });
    await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
    expect(saved(file)).toMatchObject({ groups: [], flows: [], files: [], outbox: [] });
    expect(existsSync(`${file}.files`)).toBe(false);

    await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-3") as any);
    await emulator.stop();
    expect(saved(file).groups).toHaveLength(1);
    clearEmulatorState(file);
    const again = await startEmulator({ stateFile: file });
    cleanups.push(() => again.stop());
    expect(again.state().groups).toEqual([]);
  });
});
