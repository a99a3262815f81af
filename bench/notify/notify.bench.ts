/**
 * bench/notify — push notifications through the outbox, in one process: the status store with its
 * outbox markers (what the callback function runs), the outbox drain (what the timer function
 * runs, ticked every BENCH_PERIOD_MS as its timer does) and a loopback receiver that checks every
 * signature with the receiver helper, as a user's backend would. Prints:
 *
 * 1. the largest group (50 flows × 10 approvers, ~1,500 callbacks: each approver signs every flow,
 *    and each signature comes with two messages that change no status): notifications made and
 *    delivered, and the delay from a callback's answer until the receiver holds a notification that
 *    shows its change (p50, p99, max) with the receiver healthy;
 * 2. throughput: BENCH_GROUPS groups with one change each, drained at once: notifications per second.
 *
 * The folder store is used (BENCH_FSYNC, default true), or with BENCH_STORE=cos the production COS
 * adapter against the COS-protocol test server on 127.0.0.1 holding every answer for a round trip
 * (BENCH_RTT_MS, default 20) and lagging its listings (BENCH_LAG_MS, default 1 500) as COS documents:
 * a marker missing from a listing waits for the next pass.
 * Traffic goes only to 127.0.0.1 and is bounded.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { groupView } from "../../shared/groups/views";
import { createLogger } from "../../shared/log/logger";
import { postNotification } from "../../shared/notify/delivery";
import { constructNotifyEvent } from "../../shared/notify/receiver";
import { createCosObjectStore, createFileObjectStore } from "../../shared/object-store";
import type { ObjectStore } from "../../shared/object-store/port";
import { startCosServer, type CosTestServer } from "../../test/support/cos-server";
import { drainOutbox, type OutboxDeps } from "../../shared/outbox/drain";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store";
import type { GroupRecord, StatusEvent } from "../../shared/status-store/model";
import { fmt, percentile, table } from "../support/stats";

const PERIOD_MS = Number(process.env.BENCH_PERIOD_MS ?? 5_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 300);
const FSYNC = (process.env.BENCH_FSYNC ?? "true") !== "false";
const ON_COS = process.env.BENCH_STORE === "cos";
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 20);
const LAG_MS = Number(process.env.BENCH_LAG_MS ?? 1_500);
const FLOWS = 50;
const APPROVERS = 10;
/** Pause between two approvers' signing sessions (each signs all 50 flows at once). */
const BETWEEN_APPROVERS_MS = Number(process.env.BENCH_BETWEEN_MS ?? 1_500);
const SECRET = "bench-notify-secret-7c1e5a9f2b3d4086";

const id32 = (prefix: string, n: number) => `${prefix}${String(n).padStart(32 - prefix.length, "0")}`;

interface Received {
  at: number;
  data: {
    FlowGroupId: string;
    Flows: Array<{ FlowId: string; Status: string; Approvers: Array<{ RecipientId: string; Status: string }> }>;
  };
}

async function startReceiver(received: Received[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const event = constructNotifyEvent<Received["data"]>(Buffer.concat(chunks), req.headers["ess-notify-signature"], SECRET);
      received.push({ at: Date.now(), data: event.data });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, server };
}

function record(flowGroupId: string, flowIds: string[], approvers: number): GroupRecord {
  return {
    edition: "ess",
    flowGroupId,
    flowGroupName: "bench",
    flowIds,
    flows: flowIds.map((flowId) => ({
      flowId,
      approvers: Array.from({ length: approvers }, (_, a) => ({ recipientId: `${flowId.slice(0, 26)}R${String(a).padStart(5, "0")}` })),
    })),
    createdAt: new Date().toISOString(),
  };
}

let msgSeq = 0;
function signEvent(flowGroupId: string, flowId: string, signed: number, approvers: number): StatusEvent {
  const all = signed === approvers;
  const now = new Date();
  return {
    msgId: `bench-${++msgSeq}`,
    msgType: "FlowStatusChange",
    edition: "ess",
    source: "callback",
    receivedAt: now.toISOString(),
    occurTime: Math.floor(now.getTime() / 1000),
    flowGroupId,
    flowId,
    flowStatus: all ? "ALL" : "PART",
    operate: all ? "finish" : "sign",
    approvers: Array.from({ length: approvers }, (_, a) => ({
      recipientId: `${flowId.slice(0, 26)}R${String(a).padStart(5, "0")}`,
      status: a < signed ? ("ACCEPT" as const) : ("PENDING" as const),
    })),
    raw: {},
  };
}

/** A message that changes no status (ESS sends many kinds besides status changes). */
function otherEvent(flowGroupId: string, flowId: string): StatusEvent {
  return {
    msgId: `bench-${++msgSeq}`,
    msgType: "ReviewerFlowRead",
    edition: "ess",
    source: "callback",
    receivedAt: new Date().toISOString(),
    flowGroupId,
    flowId,
    raw: {},
  };
}

async function main() {
  const storeDir = await mkdtemp(path.join(process.env.BENCH_STORE_PARENT ?? tmpdir(), "bench-notify-"));
  const received: Received[] = [];
  const receiver = await startReceiver(received);
  let cos: CosTestServer | undefined;
  let objects: ObjectStore;
  if (ON_COS) {
    cos = await startCosServer({ latencyMs: RTT_MS, listingLagMs: LAG_MS });
    objects = createCosObjectStore(cos.storeConfig({ prefix: "bench/" }));
  } else {
    objects = createFileObjectStore(storeDir, { fsync: FSYNC });
  }
  const storeLabel = ON_COS ? `COS test server (round trip ${RTT_MS} ms, listings ${LAG_MS} ms behind)` : `folder store (fsync ${FSYNC})`;
  const clock = () => new Date();
  const inner = createStatusStore(objects, { clock });
  const store = withOutbox(inner, objects, { notify: true, archive: false }, clock);
  const deps: OutboxDeps = {
    objects,
    store: inner,
    view: (snapshot) => groupView(snapshot),
    notify: { url: new URL(receiver.url), secret: SECRET, timeoutMs: 10_000, post: postNotification },
    clock,
    log: createLogger({ level: "error" }),
  };
  const runs: Promise<unknown>[] = [];
  // As the outbox function runs it: lingering about one period after its last work.
  const LINGER_MS = Number(process.env.BENCH_LINGER_MS ?? PERIOD_MS - 500);
  const tick = () => runs.push(drainOutbox(deps, { deadline: Date.now() + 57_000, lingerMs: LINGER_MS }));
  try {
    // 1. The largest group, signed approver after approver, the timer ticking every PERIOD_MS.
    const G = id32("BenchGroup", 1);
    const flowIds = Array.from({ length: FLOWS }, (_, f) => id32(`BenchFlow${f}x`, f));
    await store.recordGroup(record(G, flowIds, APPROVERS));
    const timer = setInterval(tick, PERIOD_MS);
    tick();
    const answered: Array<{ flowId: string; recipientId: string; at: number }> = [];
    let callbacks = 0;
    const started = Date.now();
    for (let a = 1; a <= APPROVERS; a++) {
      await Promise.all(
        flowIds.map(async (flowId) => {
          const sign = signEvent(G, flowId, a, APPROVERS);
          await store.recordEvent(sign);
          answered.push({ flowId, recipientId: sign.approvers![a - 1]!.recipientId!, at: Date.now() });
          for (const event of [otherEvent(G, flowId), otherEvent(G, flowId)]) await store.recordEvent(event);
          callbacks += 3;
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, BETWEEN_APPROVERS_MS));
    }
    const signingMs = Date.now() - started;
    const deadline = Date.now() + PERIOD_MS * 3 + 30_000;
    const allSeen = () => received.some((r) => r.data.FlowGroupId === G && r.data.Flows.every((f) => f.Status === "ALL"));
    while (!allSeen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(timer);
    await Promise.all(runs);

    // Delay of each signature: until the first notification showing that approver ACCEPT in that flow.
    const delays = answered
      .map(({ flowId, recipientId, at }) => {
        const shown = received.find(
          (r) =>
            r.at >= at &&
            r.data.Flows.find((f) => f.FlowId === flowId)?.Approvers.find((x) => x.RecipientId === recipientId)?.Status === "ACCEPT",
        );
        return shown === undefined ? Number.POSITIVE_INFINITY : shown.at - at;
      })
      .sort((x, y) => x - y);
    const bigGroupEvents = received.filter((r) => r.data.FlowGroupId === G).length;

    // 2. Throughput: GROUPS groups with one change each, one drain.
    const groupIds = Array.from({ length: GROUPS }, (_, g) => id32("BenchT", g));
    for (const [g, id] of groupIds.entries()) {
      const flows = [id32(`T${g}a`, g), id32(`T${g}b`, g)];
      await store.recordGroup(record(id, flows, 2));
      await store.recordEvent(signEvent(id, flows[0]!, 1, 2));
    }
    const before = received.length;
    const t0 = Date.now();
    const report = await drainOutbox(deps, { deadline: Date.now() + 120_000 });
    const drainMs = Date.now() - t0;
    const throughput = ((received.length - before) / drainMs) * 1000;

    console.log(
      `bench/notify — ${storeLabel}, timer every ${PERIOD_MS} ms, runs linger ${LINGER_MS} ms after work, ` +
        "loopback receiver verifying each signature\n",
    );
    table([
      {
        case: `largest group: ${FLOWS} flows × ${APPROVERS} approvers`,
        callbacks,
        "signing took": `${fmt(signingMs / 1000, 1)} s`,
        notifications: bigGroupEvents,
        "delay p50": `${fmt(percentile(delays, 50), 0)} ms`,
        "delay p99": `${fmt(percentile(delays, 99), 0)} ms`,
        "delay max": `${fmt(delays.at(-1)!, 0)} ms`,
        "signatures never shown": delays.filter((d) => !Number.isFinite(d)).length,
      },
    ]);
    console.log("");
    table([
      {
        case: `throughput: ${GROUPS} groups, one change each, one drain`,
        notifications: report.delivered,
        "drain took": `${fmt(drainMs / 1000, 2)} s`,
        "notifications/s": fmt(throughput, 0),
        passes: report.passes,
      },
    ]);
    console.log(
      "\nDelay = from a callback's answer to the receiver holding a notification that shows it. With the receiver healthy it is " +
        "bounded by the timer period for the first change after a quiet spell, and by the poll interval (500 ms) plus one pass " +
        "while a run is draining or lingering.",
    );
  } finally {
    receiver.server.close();
    await cos?.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
