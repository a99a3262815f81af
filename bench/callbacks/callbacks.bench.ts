/**
 * bench/callbacks — signed, encrypted ESS callbacks through the local API Gateway into the file
 * store, beside a bare echo handler on the same server, in the same run. Prints requests/s and p99
 * for both and their ratio (goal: ≥ 0.3 of echo), then counts the stored events: every 200 must be
 * exactly one stored event (0 lost, 0 duplicated).
 *
 * With fsync on, a callback waits for at least one disk commit (its event file, flushed before the
 * 200). So the bench also measures, in the same run and folder, how many flushed new files the disk
 * commits per second at the same concurrency (nothing else in the loop): the ceiling of any store
 * that flushes each event on its own. It prints that ceiling as a ratio of echo beside the result.
 *
 * Traffic goes only to 127.0.0.1 and is bounded by count and time (BENCH_SECONDS, BENCH_CALLBACKS).
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { closeSync, fsync, openSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { censusOfFolder } from "../../test/support/store-census";
import { fmt, table } from "../support/stats";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 6_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const GROUPS = 100;
const FLOWS_PER_GROUP = 3;
const KEY = "BenchCallbackKey0123456789abcdef";
const TOKEN = "bench-callback-token";

const id32 = () =>
  randomBytes(24)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .padEnd(32, "x")
    .slice(0, 32);

/** One encrypted, signed FlowStatusChange, built here (not with the code under test). */
function callback(group: string, flow: string, n: number) {
  const envelope = {
    MsgId: id32(),
    MsgType: "FlowStatusChange",
    MsgVersion: "CustomApp",
    MsgData: {
      FlowId: flow,
      FlowName: "bench",
      FlowCallbackStatus: n % 3 === 2 ? 4 : 2,
      Operate: "sign",
      OccurTime: 1_800_000_000 + n,
      Approvers: [
        { RecipientId: `${flow.slice(0, 24)}r0000001`, ApproverType: 1, ApproveCallbackStatus: 3, ApproveTime: 1_800_000_000 + n },
      ],
      FlowGroupMessage: { FlowGroupId: group, FlowGroupName: "bench" },
    },
  };
  const key = Buffer.from(KEY, "utf8");
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  const encrypt = Buffer.concat([cipher.update(JSON.stringify(envelope), "utf8"), cipher.final()]).toString("base64");
  const body = JSON.stringify({ encrypt });
  return { body, signature: `sha256=${createHmac("sha256", TOKEN).update(body).digest("hex")}` };
}

async function startServer(storeDir: string): Promise<{ url: string; stop(): void }> {
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", path.join(__dirname, "server.ts")], {
    env: {
      ...process.env,
      ESS_CALLBACK_KEY: KEY,
      ESS_CALLBACK_TOKEN: TOKEN,
      STORE: "file",
      STORE_DIR: storeDir,
      LOG_LEVEL: "error",
      STORE_FSYNC: process.env.STORE_FSYNC ?? "true",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

const fsyncAsync = (fd: number) => new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * New ~1 KB files created, written and flushed (file, then folder) per second by `CONNECTIONS`
 * concurrent writers for `seconds`: the disk's ceiling for one flushed file per callback.
 */
async function diskCommitsPerSecond(parent: string, seconds: number): Promise<number> {
  const folder = path.join(parent, "disk-probe");
  await mkdir(folder, { recursive: true });
  const body = "x".repeat(1_000);
  const until = performance.now() + seconds * 1000;
  let written = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const fd = openSync(path.join(folder, `f${written++}`), "wx", 0o600);
        writeSync(fd, body);
        await fsyncAsync(fd);
        closeSync(fd);
        const dir = openSync(folder, "r");
        await fsyncAsync(dir);
        closeSync(dir);
      }
    }),
  );
  const rate = written / ((performance.now() - started) / 1000);
  await rm(folder, { recursive: true, force: true });
  return rate;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function main() {
  const storeDir = await mkdtemp(path.join(process.env.BENCH_STORE_PARENT ?? tmpdir(), "bench-callbacks-"));
  const server = await startServer(storeDir);
  try {
    const groups = Array.from({ length: GROUPS }, () => ({ id: id32(), flows: Array.from({ length: FLOWS_PER_GROUP }, id32) }));
    const messages = Array.from({ length: CALLBACKS }, (_, n) => {
      const group = groups[n % GROUPS]!;
      return callback(group.id, group.flows[n % FLOWS_PER_GROUP]!, n);
    });
    console.log(
      `bench/callbacks: ${CALLBACKS} distinct callbacks over ${GROUPS} groups, ${CONNECTIONS} connections, ≤ ${SECONDS}s per phase, 127.0.0.1 only`,
    );

    const fsyncOn = (process.env.STORE_FSYNC ?? "true") !== "false";
    const disk = fsyncOn ? await diskCommitsPerSecond(storeDir, Math.min(SECONDS, 3)) : undefined;
    const echo = await run({
      url: `${server.url}/echo`,
      method: "POST",
      body: messages[0]!.body,
      connections: CONNECTIONS,
      duration: SECONDS,
    });

    let next = 0;
    const statuses = new Map<number, number>();
    const started = performance.now();
    // Timed to the last answer: autocannon settles on its next one-second tick, which would count up
    // to a second of nothing against a run that ends early (6,000 callbacks in 2.1 s read as 3 s).
    let lastAnswer = started;
    const callbacks = await run({
      url: `${server.url}/ess/callbacks`,
      connections: CONNECTIONS,
      duration: SECONDS,
      amount: CALLBACKS,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            const message = messages[next++ % messages.length]!;
            return {
              ...request,
              body: message.body,
              headers: { "content-type": "application/json", "content-signature": message.signature },
            };
          },
          onResponse: (status) => {
            lastAnswer = performance.now();
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          },
        },
      ],
    });

    const elapsedS = (lastAnswer - started) / 1000;
    const sent = Math.min(next, messages.length);
    const ok = statuses.get(200) ?? 0;
    const census = await censusOfFolder(storeDir);
    const stored = census.events + census.loose + census.waiting;
    table([
      {
        handler: "echo",
        "req/s": fmt(echo.requests.average, 0),
        "p99 ms": fmt(echo.latency.p99, 1),
        non2xx: echo.non2xx,
        errors: echo.errors,
      },
      {
        handler: "callback → file store",
        "req/s": fmt(callbacks.requests.total / elapsedS, 0),
        "p99 ms": fmt(callbacks.latency.p99, 1),
        non2xx: callbacks.non2xx,
        errors: callbacks.errors,
      },
    ]);
    console.log(`ratio callback/echo req/s: ${fmt(callbacks.requests.total / elapsedS / echo.requests.average, 3)} (goal ≥ 0.3)`);
    if (disk !== undefined) {
      console.log(
        `disk ceiling (same folder, ${CONNECTIONS} writers, each new file flushed with its folder, nothing else): ${fmt(disk, 0)}/s = ` +
          `${fmt(disk / echo.requests.average, 3)} of echo; callbacks reached ${fmt(callbacks.requests.total / elapsedS / disk, 2)} of it`,
      );
    }
    console.log(
      `callbacks sent: ${sent}, answered 200: ${ok}, other answers: ${JSON.stringify(Object.fromEntries([...statuses].filter(([s]) => s !== 200)))}`,
    );
    console.log(`stored events: ${stored} → lost: ${Math.max(0, ok - stored)}, duplicated: ${Math.max(0, stored - sent)}`);
  } finally {
    server.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
