import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { constructNotifyEvent, NotifySignatureError, type NotifyEvent } from "../../../shared/notify/receiver";
import { startLocalStack, type LocalStack } from "../../../local/stack";

/**
 * Push notifications and the archive through the whole local stack: create-group and the callback
 * function write their change markers, the outbox function runs on its timer (every 150 ms here),
 * and a real loopback server plays the user's backend with the receiver helper, up, down and
 * misconfigured.
 */
const SECRET = "e2e-notify-secret-3b8d0f6a91c2e475";
type Data = { FlowGroupId: string; Status: string; Flows: Array<{ FlowId: string; Status: string }> };

const backend = {
  mode: "up" as "up" | "down" | "wrong-secret",
  /** Every request the backend verified (a 2xx answer), in arrival order, with its raw body. */
  accepted: [] as Array<{ event: NotifyEvent<Data>; body: string }>,
  refused: [] as string[],
  requests: 0,
};
let server: Server;
let backendUrl: string;
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      backend.requests++;
      if (backend.mode === "down") return void res.writeHead(503).end();
      const body = Buffer.concat(chunks);
      const secret = backend.mode === "wrong-secret" ? "the-user-pasted-another-secret-000" : SECRET;
      try {
        const event = constructNotifyEvent<Data>(body, req.headers["ess-notify-signature"], secret);
        backend.accepted.push({ event, body: body.toString("utf8") });
        res.writeHead(200).end("ok");
      } catch (error) {
        if (!(error instanceof NotifySignatureError)) throw error;
        backend.refused.push(error.reason);
        res.writeHead(400).end(error.reason);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ess`;
  storeDir = await mkdtemp(path.join(tmpdir(), "outbox-e2e-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: process.env.DEBUG_E2E ?? "error", STORE_FSYNC: "false" },
    notify: { url: backendUrl, secret: SECRET },
    timerPeriodMs: 150,
    emulator: { callback: { retry: { maxAttempts: 8, initialDelayMs: 20, factor: 1.5, maxDelayMs: 200, timeoutMs: 2_000 } } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await rm(storeDir, { recursive: true, force: true });
});

async function createAndSign(edition: "ess" | "essbasic", file: string): Promise<{ flowGroupId: string; flowIds: string[] }> {
  const res = await fetch(`${stack.gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: await readFile(path.join("test", "fixtures", "seed", file), "utf8"),
  });
  const body = (await res.json()) as { FlowGroupId: string; FlowIds: string[] };
  expect(res.status).toBe(200);
  for (let round = 0; round < 10; round++) {
    const pending = stack.emulator
      .state(body.FlowGroupId)
      .groups.flatMap((g) => g.flows.flatMap((f) => f.approvers))
      .filter((a) => a.status === "PENDING");
    if (pending.length === 0) break;
    stack.emulator.sign({ recipientId: pending[0]!.recipientId });
  }
  await stack.emulator.waitForCallbacksIdle(10_000);
  return { flowGroupId: body.FlowGroupId, flowIds: body.FlowIds };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventsOf = (flowGroupId: string) => backend.accepted.filter((a) => a.event.data.FlowGroupId === flowGroupId);

/** Per group: sequences 1..n each once as an id, an id always with the same bytes. */
function expectDeliveredOnceByIdInOrder(flowGroupId: string) {
  const got = eventsOf(flowGroupId);
  const byId = new Map<string, Set<string>>();
  for (const { event, body } of got) byId.set(event.id, (byId.get(event.id) ?? new Set()).add(body));
  for (const bodies of byId.values()) expect(bodies.size).toBe(1);
  const firstSeen = [...new Map(got.map(({ event }) => [event.id, event.sequence])).values()];
  expect(firstSeen).toEqual(firstSeen.map((_, i) => i + 1));
}

describe("push notifications through the local stack", () => {
  it("each group's changes arrive signed, in order, ending with the group ALL as GET answers it (both editions)", async () => {
    const groups = [
      await createAndSign("ess", "ess-example-1.request.json"),
      await createAndSign("essbasic", "essbasic-example-1.request.json"),
    ];
    for (const { flowGroupId } of groups) {
      await until("the ALL notification", () => eventsOf(flowGroupId).find((a) => a.event.data.Status === "ALL"));
      // Flows can all be ALL before ESS's group-level callback is stored: the notification of that
      // last change follows. Settled when the newest notification counts as many events as GET does.
      let view: Record<string, unknown> = {};
      const last = await untilAsync(async () => {
        view = (await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}`).then((r) => r.json())) as Record<string, unknown>;
        const newest = eventsOf(flowGroupId).at(-1);
        return (newest?.event.data as Record<string, unknown> | undefined)?.EventCount === view.EventCount ? newest : undefined;
      });
      // GET's answer, less its RequestId; UpdatedAt says when each was read.
      expect({ ...last.event.data, UpdatedAt: undefined }).toEqual({ ...view, RequestId: undefined, UpdatedAt: undefined });
      expectDeliveredOnceByIdInOrder(flowGroupId);
    }
  });

  it("archives each flow's signed PDF once the flow is ALL", async () => {
    const { flowGroupId, flowIds } = await createAndSign("ess", "ess-example-3.request.json");
    const folder = path.join(storeDir, "archive", flowGroupId);
    const names = await untilAsync(async () => {
      // A PDF being written shows as a dot-named temp file until its rename.
      const listed = (await readdir(folder).catch(() => [])).filter((name) => !name.startsWith("."));
      return listed.length === flowIds.length ? listed : undefined;
    });
    expect(names.sort()).toEqual(flowIds.map((id) => `${id}.pdf`).sort());
    for (const name of names) {
      const pdf = await readFile(path.join(folder, name));
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const state = JSON.parse(await readFile(path.join(storeDir, "outbox", "groups", flowGroupId, "state.json"), "utf8"));
      expect(state.archive[name.slice(0, -4)]).toMatchObject({ state: "done", sha256: createHash("sha256").update(pdf).digest("hex") });
    }
  });

  it("a backend down for a while gets every change afterwards, none twice without the same id; ESS answered meanwhile", async () => {
    backend.mode = "down";
    const requestsBefore = backend.requests;
    const groups = [
      await createAndSign("ess", "ess-example-3.request.json"),
      await createAndSign("essbasic", "essbasic-example-1.request.json"),
    ];
    // ESS's callbacks were all answered 200 while the backend was down: nothing waits on it.
    expect(stack.emulator.stats().callbacks.failed).toBe(0);
    await until("delivery attempts to the down backend", () => backend.requests > requestsBefore);
    for (const { flowGroupId } of groups) expect(eventsOf(flowGroupId)).toEqual([]);

    backend.mode = "up";
    // The outbox's backoff (at most 5 min) has only just begun: the next probe comes within seconds.
    for (const { flowGroupId } of groups) {
      await until(
        "the ALL notification after the backend is back",
        () => eventsOf(flowGroupId).find((a) => a.event.data.Status === "ALL"),
        30_000,
      );
      expectDeliveredOnceByIdInOrder(flowGroupId);
    }
  });

  it("a backend checking with the wrong secret refuses every notification (400), and gets them once it is fixed", async () => {
    backend.mode = "wrong-secret";
    const refusedBefore = backend.refused.length;
    const { flowGroupId } = await createAndSign("ess", "ess-example-1.request.json");
    await until("a refused notification", () => backend.refused.length > refusedBefore);
    expect(backend.refused.slice(refusedBefore).every((reason) => reason === "mismatch")).toBe(true);
    expect(eventsOf(flowGroupId)).toEqual([]);
    backend.mode = "up";
    // A refusal (4xx) holds only this group, with its own backoff (from 1 s).
    await until(
      "the group's notifications once the secret is right",
      () => eventsOf(flowGroupId).find((a) => a.event.data.Status === "ALL"),
      30_000,
    );
    expectDeliveredOnceByIdInOrder(flowGroupId);
  });
});

async function untilAsync<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
