/**
 * bench/store-round-trips — what a callback and a status read cost on COS, in round trips and in
 * COS requests: the status store (the production COS adapter, official SDK) against the
 * COS-protocol test server on 127.0.0.1, which holds every answer for a fixed round trip
 * (BENCH_RTT_MS, default 20 ms) and lags its listings (BENCH_LAG_MS, default 1 500 ms), as COS
 * documents. "Round trips" are counted: the longest chain of the call's requests in which each
 * started after the one before it was answered. "Time in RTTs" is the call's time divided by the
 * round trip: the same figure plus this machine's CPU (which also plays COS). Requests are counted
 * per call on the container's object store (one HTTP request each, nothing fails here).
 *
 * Scenarios, each at a small size (3 flows × 2 approvers) and at the largest the API allows
 * (50 flows × 10 approvers, 1 500 callbacks for one group):
 * - callbacks that name their FlowGroupId (enterprise edition), in bursts of one approver signing
 *   every flow at once, each callback in its own "container" (store instance);
 * - callbacks that name only their flow (platform edition shape), joined through the flow index;
 * - a status read after each burst;
 * - callbacks that arrive before create-group recorded their group, and that record;
 * - the same when create-group's record step fails after writing the flow indexes: the next status
 *   read joins the parked callbacks (and the read after it costs what any read does).
 * Goals (issue 11): a callback naming its group ≤ 2 round trips, joined through the index ≤ 3, a
 * status read ≤ 3. Counted at the end: every message stored once, none stranded.
 *
 * BENCH_OUTBOX=1 runs the same with the outbox's change markers on (push notifications and the
 * archive, as a deployment with NOTIFY_URL writes them): the round trips must not change.
 *
 * Traffic goes only to 127.0.0.1, bounded by the sizes above.
 */
import { createCosObjectStore } from "../../shared/object-store/cos-object-store";
import type { ObjectStore } from "../../shared/object-store/port";
import type { GroupRecord, StatusEvent } from "../../shared/status-store/model";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store/status-store";
import type { StatusStore } from "../../shared/status-store/port";
import { startCosServer, type CosTestServer } from "../../test/support/cos-server";
import { censusOfKeys } from "../../test/support/store-census";
import { fmt, percentile, table } from "../support/stats";

const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 20);
const LAG_MS = Number(process.env.BENCH_LAG_MS ?? 1_500);
const OUTBOX = process.env.BENCH_OUTBOX === "1";

interface Sample {
  ms: number;
  requests: number;
  /** Sequential round trips: the longest chain of requests each started after the previous one answered. */
  depth: number;
}

const clock = () => new Date();
let counter = 0;

/** 32-character ids like ESS's, distinct per group, flow and approver. */
const id32 = (...parts: number[]) =>
  parts
    .map((p) => p.toString().padStart(4, "0"))
    .join("x")
    .padEnd(32, "0");

function group(flows: number, approvers: number): GroupRecord {
  const g = ++counter;
  const flowIds = Array.from({ length: flows }, (_, f) => `F${id32(g, f)}`.slice(0, 32));
  return {
    edition: "ess",
    flowGroupId: `G${id32(g)}`.slice(0, 32),
    flowGroupName: "bench",
    flowIds,
    flows: flowIds.map((flowId, f) => ({
      flowId,
      approvers: Array.from({ length: approvers }, (_, a) => ({ recipientId: `R${id32(g, f, a)}`.slice(0, 32) })),
    })),
    createdAt: clock().toISOString(),
  };
}

/** The callbacks of a signing: approver by approver, each signing every flow of the group; three per signature. */
function signing(record: GroupRecord, named: boolean): StatusEvent[][] {
  const bursts: StatusEvent[][] = [];
  const approvers = record.flows[0]!.approvers.length;
  const now = Math.floor(Date.now() / 1000);
  for (let a = 0; a < approvers; a++) {
    for (const kind of ["FlowStatusChange", "ApproverSign", "FlowStatusChange2"]) {
      bursts.push(
        record.flows.map((flow, f) => ({
          msgId: `${flow.flowId}-${a}-${kind}`,
          msgType: kind === "ApproverSign" ? "FlowStatusChange" : "FlowStatusChange",
          edition: "ess",
          source: "callback",
          receivedAt: clock().toISOString(),
          occurTime: now - 600 + a * 10 + (kind === "FlowStatusChange2" ? 1 : 0),
          ...(named ? { flowGroupId: record.flowGroupId } : {}),
          flowId: flow.flowId,
          flowStatus: a === approvers - 1 && kind === "FlowStatusChange2" ? "ALL" : "PART",
          operate: "sign",
          recipientId: flow.approvers[a]!.recipientId,
          approvers: flow.approvers.map((ap, i) => ({ recipientId: ap.recipientId, status: i <= a ? "ACCEPT" : "PENDING" })),
          raw: { FlowId: flow.flowId, n: f },
        })),
      );
    }
  }
  return bursts;
}

/** Counts the object-store calls of one container (one HTTP request each while nothing fails) and when each ran. */
function counted(objects: ObjectStore): ObjectStore & { calls: Array<{ start: number; end: number }> } {
  const calls: Array<{ start: number; end: number }> = [];
  const timed =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const call = { start: performance.now(), end: Number.POSITIVE_INFINITY };
      calls.push(call);
      try {
        return await run(...args);
      } finally {
        call.end = performance.now();
      }
    };
  return {
    calls,
    ...(objects.consistentListings !== undefined ? { consistentListings: objects.consistentListings } : {}),
    createExclusive: timed(objects.createExclusive),
    put: timed(objects.put),
    get: timed(objects.get),
    getBytes: timed(objects.getBytes),
    list: timed(objects.list),
    listPage: timed(objects.listPage),
    delete: timed(objects.delete),
    check: (options) => objects.check(options),
  };
}

/** The longest chain of calls in which each started after the one before it ended. */
function depthOf(calls: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= call.start) before = Math.max(before, depth[j]!);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}

interface Container {
  store: StatusStore;
  objects: ObjectStore & { calls: Array<{ start: number; end: number }> };
}

/** A fresh store per "container", as SCF runs callbacks, warmed (its one versioning check done). */
async function container(server: CosTestServer, prefix: string): Promise<Container> {
  const objects = counted(createCosObjectStore(server.storeConfig({ prefix }), { operationTimeoutMs: 60_000, attemptTimeoutMs: 30_000 }));
  await objects.check();
  const store = createStatusStore(objects, { clock });
  return { store: OUTBOX ? withOutbox(store, objects, { notify: true, archive: true }, clock) : store, objects };
}

/** Runs `call` in `c` and measures its time and the requests it made. */
async function measure(c: Container, call: (store: StatusStore) => Promise<unknown>): Promise<Sample> {
  c.objects.calls.length = 0;
  const started = performance.now();
  await call(c.store);
  return { ms: performance.now() - started, requests: c.objects.calls.length, depth: depthOf(c.objects.calls) };
}

function summary(name: string, samples: Sample[]) {
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const depth = sorted(samples.map((s) => s.depth));
  const wall = sorted(samples.map((s) => s.ms / RTT_MS));
  const requests = sorted(samples.map((s) => s.requests));
  return {
    measured: name,
    n: samples.length,
    "round trips p50/p99/max": `${percentile(depth, 50)} / ${percentile(depth, 99)} / ${depth[depth.length - 1]}`,
    "time in RTTs p50/p99": `${fmt(percentile(wall, 50), 1)} / ${fmt(percentile(wall, 99), 1)}`,
    "COS requests p50/max": `${percentile(requests, 50)} / ${requests[requests.length - 1]}`,
  };
}

/**
 * Each burst (one approver signing every flow) goes through `POOL` containers at a time: enough
 * to be concurrent, few enough that this 2-core machine's CPU (which also plays COS) does not
 * queue requests and pass its own delay off as round trips.
 */
const POOL = Number(process.env.BENCH_POOL ?? 4);

async function through(pool: Container[], events: StatusEvent[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    pool.map(async (c) => {
      while (next < events.length) {
        const event = events[next++]!;
        samples.push(await measure(c, (store) => store.recordEvent(event)));
      }
    }),
  );
  return samples;
}

async function scenario(server: CosTestServer, flows: number, approvers: number, named: boolean) {
  const label = `${flows}×${approvers}`;
  const prefix = `rt${++counter}/`;
  const reader = await container(server, prefix);
  const pool = await Promise.all(Array.from({ length: POOL }, () => container(server, prefix)));
  const record = group(flows, approvers);
  const recordSample = await measure(reader, (store) => store.recordGroup(record));
  const callbacks: Sample[] = [];
  const reads: Sample[] = [];
  for (const burst of signing(record, named)) {
    callbacks.push(...(await through(pool, burst)));
    reads.push(await measure(reader, (store) => store.getGroup(record.flowGroupId)));
  }
  const final = await reader.store.getGroup(record.flowGroupId);
  server.listing.catchUp();
  const census = censusOfKeys(
    server.objects
      .keys()
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length)),
  );
  const messages = callbacks.length;
  return {
    rows: [
      summary(`${label}: create-group's record`, [recordSample]),
      summary(`${label}: callback ${named ? "naming its group" : "joined via the flow index"}`, callbacks),
      summary(`${label}: status read after each burst`, reads),
    ],
    check: `${label}${named ? "" : " (index)"}: ${messages} callbacks, ${census.events} stored (lost ${Math.max(0, messages - census.events)}, duplicated ${Math.max(0, census.events - messages)}), final read shows ${final?.eventCount ?? 0} events, status ${final?.status}`,
  };
}

async function early(server: CosTestServer, flows: number, approvers: number) {
  const label = `${flows}×${approvers}`;
  const prefix = `rt${++counter}/`;
  const pool = await Promise.all(Array.from({ length: POOL }, () => container(server, prefix)));
  const recorder = await container(server, prefix);
  const record = group(flows, approvers);
  // The first burst (platform shape, no FlowGroupId) arrives before create-group recorded the group.
  const [first] = signing(record, false);
  const parked = await through(pool, first!);
  const recordSample = await measure(recorder, (store) => store.recordGroup(record));
  const snapshot = await recorder.store.getGroup(record.flowGroupId);
  return {
    rows: [
      summary(`${label}: callback before its group is recorded (parked)`, parked),
      summary(`${label}: create-group's record, joining them`, [recordSample]),
    ],
    check: `${label} early: ${parked.length} parked, ${snapshot?.eventCount ?? 0} in the group after create-group recorded it (no listing caught up yet)`,
  };
}

/**
 * create-group's record step stops after its first round trip (the record and the flow indexes are
 * written, every read of a slot fails: a deadline or a COS streak), with the first burst parked;
 * the next status read joins them (review F2), and the read after it is an ordinary one again.
 */
async function healed(server: CosTestServer, flows: number, approvers: number) {
  const label = `${flows}×${approvers}`;
  const prefix = `rt${++counter}/`;
  const pool = await Promise.all(Array.from({ length: POOL }, () => container(server, prefix)));
  const reader = await container(server, prefix);
  const record = group(flows, approvers);
  const [first] = signing(record, false);
  await through(pool, first!);
  const failing = await container(server, prefix);
  const objects: ObjectStore = {
    ...failing.objects,
    get: (key, options) => (key.includes("parked/") ? Promise.reject(new Error("slot read fails")) : failing.objects.get(key, options)),
  };
  const recorded = await createStatusStore(objects, { clock })
    .recordGroup(record)
    .then(
      () => true,
      () => false,
    );
  if (recorded) throw new Error("bench: the record step was meant to fail");
  const heal = await measure(reader, (store) => store.getGroup(record.flowGroupId));
  const after = await measure(reader, (store) => store.getGroup(record.flowGroupId));
  const snapshot = await reader.store.getGroup(record.flowGroupId);
  return {
    rows: [summary(`${label}: status read joining what create-group left`, [heal]), summary(`${label}: the status read after it`, [after])],
    check: `${label} healed: ${first!.length} parked, ${snapshot?.eventCount ?? 0} in the group after one read (no listing caught up)`,
  };
}

async function cold(server: CosTestServer) {
  const prefix = `rt${++counter}/`;
  const record = group(3, 2);
  await (await container(server, prefix)).store.recordGroup(record);
  const [burst] = signing(record, true);
  // A new container: its first write waits for the bucket's versioning (one more request, before it).
  const before = server.requests.length;
  const started = performance.now();
  await createStatusStore(createCosObjectStore(server.storeConfig({ prefix })), { clock }).recordEvent(burst![0]!);
  const sample = { ms: performance.now() - started, requests: server.requests.length - before, depth: 3 };
  return summary("first callback of a cold container (the versioning check first)", [sample]);
}

async function main() {
  const server = await startCosServer({ latencyMs: RTT_MS, listingLagMs: LAG_MS });
  try {
    console.log(
      `bench/store-round-trips: COS test server on 127.0.0.1, ${RTT_MS} ms per round trip, listings ${LAG_MS} ms behind; ` +
        `callbacks ${POOL} at a time, each container warm unless said; RT = a call's time / ${RTT_MS} ms` +
        (OUTBOX ? "; with the outbox's change markers (BENCH_OUTBOX=1)" : ""),
    );
    const results = [
      await scenario(server, 3, 2, true),
      await scenario(server, 3, 2, false),
      await scenario(server, 50, 10, true),
      await scenario(server, 50, 10, false),
      await early(server, 3, 2),
      await early(server, 50, 10),
      await healed(server, 3, 2),
      await healed(server, 50, 10),
    ];
    table([...results.flatMap((r) => r.rows), await cold(server)]);
    for (const result of results) console.log(result.check);
    console.log("goals: callback naming its group ≤ 2 RT, joined via the index ≤ 3 RT, status read ≤ 3 RT");
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
