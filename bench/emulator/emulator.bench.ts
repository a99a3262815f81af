/**
 * ESS emulator benchmark (`npm run bench:emulator`). Prints figures, asserts nothing.
 *
 * 1. CreateFlowGroupByFiles with 50 flows through the official SDK (signing, node-fetch, JSON)
 *    against the emulator in a child process: the path every test and the local stack take.
 * 2. The same signed request replayed by autocannon: the emulator's own capacity.
 *    Again with the 3 flows of ess example 1, for the per-call ceiling.
 * 3. A bare node:http server answering the same body, for scale on this machine.
 *
 * Bounded: BENCH_DURATION_S seconds per phase (default 5), concurrency BENCH_CONCURRENCY (default 8).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { Client as EssClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client";
import seed from "../../test/fixtures/seed/ess-example-1.request.json";
import { DEFAULT_CREDENTIALS } from "../../local/ess-emulator";
import { fmt, percentile, table } from "../support/stats";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const FLOWS = 50;

/** ess example 1 grown to `flows` flows (its three flows repeated). */
function request(flows = FLOWS): Record<string, unknown> {
  const infos = Array.from({ length: flows }, (_, i) => structuredClone(seed.FlowGroupInfos[i % 3]!));
  return { ...structuredClone(seed), FlowGroupName: "基准测试合同组", FlowGroupInfos: infos };
}

async function child(kind: "emulator" | "echo"): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/emulator/emulator-process.ts", kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`${kind} process exited with ${code}`)));
  });
  return { proc, port: (JSON.parse(line) as { port: number }).port };
}

async function sdkPhase(port: number): Promise<Record<string, string | number>> {
  const client = new EssClient({
    credential: DEFAULT_CREDENTIALS,
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: `127.0.0.1:${port}`, protocol: "http://" } },
  });
  const body = request();
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + DURATION_S * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        const res = await client.CreateFlowGroupByFiles(body as any);
        if (res.FlowIds?.length !== FLOWS) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    phase: `SDK CreateFlowGroupByFiles (${FLOWS} flows)`,
    requests: latencies.length,
    "req/s": fmt(latencies.length / seconds, 0),
    "p50 ms": fmt(percentile(latencies, 50)),
    "p99 ms": fmt(percentile(latencies, 99)),
    failures,
  };
}

/** A request signed once with the SDK's signer; the emulator accepts it for five minutes. */
function signedRequest(port: number, flows = FLOWS): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(request(flows));
  const timestamp = Math.floor(Date.now() / 1000);
  const authorization = Sign.sign3({
    method: "POST",
    url: `http://127.0.0.1:${port}/`,
    payload: Buffer.from(body),
    timestamp,
    service: "127",
    secretId: DEFAULT_CREDENTIALS.secretId,
    secretKey: DEFAULT_CREDENTIALS.secretKey,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": "application/json" },
  });
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "X-TC-Action": "CreateFlowGroupByFiles",
      "X-TC-Version": "2020-11-11",
      "X-TC-Timestamp": String(timestamp),
      "X-TC-Region": "ap-guangzhou",
      Authorization: authorization,
    },
  };
}

async function cannon(
  name: string,
  port: number,
  req: { headers: Record<string, string>; body: string },
): Promise<Record<string, string | number>> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    method: "POST",
    ...req,
    connections: CONCURRENCY,
    duration: DURATION_S,
  });
  return {
    phase: name,
    requests: result.requests.total,
    "req/s": fmt(result.requests.average, 0),
    "p50 ms": fmt(result.latency.p50),
    "p99 ms": fmt(result.latency.p99),
    failures: result.errors + result.non2xx + result.timeouts,
  };
}

async function stats(port: number): Promise<{ groupsCreated: number; errors: Record<string, number> }> {
  return (await fetch(`http://127.0.0.1:${port}/_emulator/stats`)).json() as Promise<{
    groupsCreated: number;
    errors: Record<string, number>;
  }>;
}

async function main(): Promise<void> {
  console.log(`ESS emulator benchmark: ${DURATION_S} s per phase, concurrency ${CONCURRENCY}, Node ${process.version}\n`);
  const emulator = await child("emulator");
  const echo = await child("echo");
  try {
    const rows = [await sdkPhase(emulator.port)];
    const afterSdk = await stats(emulator.port);
    await fetch(`http://127.0.0.1:${emulator.port}/_emulator/reset`, { method: "POST" });
    const signed = signedRequest(emulator.port);
    rows.push(await cannon(`emulator alone (autocannon, ${FLOWS} flows)`, emulator.port, signed));
    const afterCannon = await stats(emulator.port);
    await fetch(`http://127.0.0.1:${emulator.port}/_emulator/reset`, { method: "POST" });
    rows.push(await cannon("emulator alone (autocannon, 3 flows)", emulator.port, signedRequest(emulator.port, 3)));
    rows.push(await cannon(`bare node:http echo, ${FLOWS}-flow body`, echo.port, signed));
    table(rows);
    console.log(
      `\nemulator check: SDK phase created ${afterSdk.groupsCreated} groups (errors ${JSON.stringify(afterSdk.errors)}); ` +
        `autocannon phase created ${afterCannon.groupsCreated} groups (errors ${JSON.stringify(afterCannon.errors)})`,
    );
  } finally {
    emulator.proc.kill();
    echo.proc.kill();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
