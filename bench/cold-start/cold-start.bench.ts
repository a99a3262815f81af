/**
 * bench/cold-start — what a user pays on each cold start: the module initialisation of each bundled
 * handler (`require("dist/<fn>/index.js")`, which parses config and composes the function), beside
 * `require("tencentcloud-sdk-nodejs")` (what the official kits load) measured in the same run.
 *
 * Every figure comes from a fresh `node -e` process with an `hrtime` pair around one `require`
 * (and the process's CPU time beside it). Cases run interleaved (the order rotates each round) and
 * repeated; nothing is dropped; medians and p90 are printed.
 *
 * Goals per bundle: **init plus the first request** ≤ 1/15 of the baseline's median, and ≤ 300 KB.
 * Each bundle is required with exactly the environment SCF gives its function when serverless.yml
 * is deployed with a typical deployer's settings (DEPLOYER below; unset ones arrive as "undefined",
 * as the deploy engine sends them). The same process then handles a first request (a status read,
 * a signed callback, a create) and reports the time from the call to its first outgoing connection
 * (stopped there, before TLS and DNS): work deferred from init to the first request (the COS SDK
 * is loaded on the first store call) is counted with it. Beside the baseline, the same timing of
 * a bare `https.request` to a host name shows Node's own part of every first request (the TLS
 * server name check compiles `net.isIP`'s IPv6 pattern): paid by any HTTPS client once, shown, not
 * judged. A file loaded only on a rare path (group-status's SDK, on `?refresh=1`) gets its own
 * row, timed but not judged. The `--naive` build
 * (no shims, no on-demand file) is measured the same way. Last, each bundle is required with its
 * required settings unset: it must print one line naming them, and exit 1. Bundles are built into a
 * scratch folder; dist/ is not touched.
 *
 *   npm run bench:cold-start              # 15 rounds
 *   RUNS=30 npm run bench:cold-start      # more rounds (the bench stops adding rounds after ~50 s)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildFunctionUrlEvent } from "../../local/gateway/function-url-event";
import type { FunctionUrlEvent } from "../../shared/http/scf-types";
import { resolveBindings, SCF_ROLE_ENV, SCF_RUNTIME_ENV } from "../../scripts/deploy-check/checks";
import { SAMPLE_DEPLOYER_ENV } from "../../scripts/deploy-check/samples";
import { functionBindings, readServerlessFile } from "../../scripts/deploy-check/serverless-file";
import { buildFunctions } from "../../scripts/build";
import { CONFIG_VARIABLES } from "../../shared/config/config";
import { fmt, percentile, table } from "../support/stats";

const root = path.resolve(__dirname, "../..");
const RUNS = Math.min(Math.max(Number(process.env.RUNS ?? 15) || 15, 3), 100);
const DEADLINE_MS = 50_000;
const GOAL_RATIO = 15;
const GOAL_KB = 300;

const API_KEY = "cold-start-bench-api-key";
const callbackFixture = (suffix: string) => readFileSync(path.join(root, "test/fixtures/callbacks", `ess-flow-status-change.${suffix}`));
const fixtureConfig = JSON.parse(readFileSync(path.join(root, "test/fixtures/callbacks/fixture-config.json"), "utf8")) as {
  key: string;
  token: string;
};

/**
 * A typical deployment (README, "Deploy"): the required settings and a function role (whose
 * temporary credentials SCF adds), the ess operator and the essbasic identity; every other setting
 * left unset, so it arrives as the deploy engine sends it ("undefined"). The callback fixture's key
 * and token, so the first request is a genuine signed callback.
 */
const DEPLOYER: Record<string, string> = {
  ...SAMPLE_DEPLOYER_ENV,
  ESS_SECRET_ID: "",
  ESS_SECRET_KEY: "",
  ESS_OPERATOR_USER_ID: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K",
  ESSBASIC_APP_ID: "yDwFmUUckpstqfvzUE1h3jo1f3cqjHGm",
  ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: "org-open-id-example",
  ESSBASIC_PROXY_OPERATOR_OPEN_ID: "operator-open-id-example",
  API_KEY_HASHES: createHash("sha256").update(API_KEY).digest("hex"),
  ESS_CALLBACK_KEY: fixtureConfig.key,
  ESS_CALLBACK_TOKEN: fixtureConfig.token,
  // Push notifications on (the outbox then signs and sends; every event writer leaves markers).
  NOTIFY_URL: "https://backend.example.com/ess-events",
  NOTIFY_SECRET: "bench-notify-secret-0f4e8a2c6b1d9357",
};

/** The environment SCF gives `fn` when serverless.yml is deployed with DEPLOYER's settings (as the deploy check computes it). */
export function deployedEnv(fn: string): Record<string, string> {
  const bindings = functionBindings(readServerlessFile(path.join(root, "serverless.yml")).doc).bindings[fn];
  if (!bindings) throw new Error(`serverless.yml has no function ${fn}`);
  const deployer = Object.fromEntries(Object.entries(DEPLOYER).filter(([, v]) => v !== ""));
  return { ...resolveBindings(bindings, deployer), ...SCF_RUNTIME_ENV, ...SCF_ROLE_ENV };
}

/** The first request each function would typically get; each one needs the network. */
export function firstRequest(fn: string): FunctionUrlEvent {
  const event = (method: string, url: string, headers: Record<string, string>, body = "") =>
    buildFunctionUrlEvent({
      method,
      url: new URL(url, "https://1250000000-bench0001.ap-guangzhou.tencentscf.com"),
      headers,
      body: Buffer.from(body, "utf8"),
      sourceIp: "203.0.113.7",
    });
  if (fn === "group-status") {
    const id = "yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe";
    // A status read: API key check, then the snapshot from COS (loads the COS SDK).
    return event("GET", `/flow-groups/${id}`, { "x-api-key": API_KEY });
  }
  if (fn === "callback") {
    // A signed, encrypted callback: signature, decryption, envelope, then the write to COS (loads the COS SDK).
    const query = JSON.parse(callbackFixture("query.json").toString("utf8")) as Record<string, string>;
    const headers = JSON.parse(callbackFixture("headers.json").toString("utf8")) as Record<string, string>;
    return event("POST", `/ess/callbacks?${new URLSearchParams(query)}`, headers, callbackFixture("body.json").toString("utf8"));
  }
  if (fn === "create-group") {
    // A create: API key check, validation, then the ESS call (SDK client built and request signed).
    // The seed example without its Operator: the service acts as the one it is configured with.
    const { Operator: _, ...request } = JSON.parse(
      readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8"),
    ) as Record<string, unknown>;
    return event("POST", "/ess/flow-groups", { "x-api-key": API_KEY, "content-type": "application/json" }, JSON.stringify(request));
  }
  if (fn === "group-actions") {
    // Sign links: API key check, the group from COS (loads the COS SDK); ESS is called after that.
    return event(
      "POST",
      "/flow-groups/yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe/sign-urls",
      { "x-api-key": API_KEY, "content-type": "application/json" },
      "{}",
    );
  }
  if (fn === "upload-files") {
    // An upload: API key check, the multipart body read, the PDF checked, then the ESS call (SDK client built, request signed).
    const pdf = readFileSync(path.join(root, "local/sample-files/nda.pdf")).toString("base64");
    const body = JSON.stringify({ Files: [{ FileName: "nda.pdf", FileBody: pdf }] });
    return event("POST", "/ess/files", { "x-api-key": API_KEY, "content-type": "application/json" }, body);
  }
  if (fn === "outbox") {
    // A timer tick: the drain takes its lease in COS (loads the COS SDK); the ESS SDK waits for an archive.
    return { Type: "Timer", TriggerName: "drain", Time: "2026-11-23T10:00:00Z", Message: "" } as unknown as FunctionUrlEvent;
  }
  throw new Error(`no first request defined for ${fn}`);
}

/**
 * Runs in the fresh process: reads the event from stdin, times the `require`, then stops every
 * outgoing connection at its creation (before TLS and DNS, which any client pays alike) and calls
 * the handler, reporting the time from the call to its first connection attempt.
 */
const CHILD = `
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const report = (data) => { fs.writeSync(1, JSON.stringify(data)); process.exit(0); };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu();
const t0 = process.hrtime.bigint();
const loaded = require(input.file);
const requireMs = Number(process.hrtime.bigint() - t0) / 1e6;
const requireCpuMs = cpu() - c0;
if (!input.event) report({ requireMs, requireCpuMs });
let callStart, callCpu;
const stop = () => report({ requireMs, requireCpuMs, firstRequestMs: Number(process.hrtime.bigint() - callStart) / 1e6, firstRequestCpuMs: cpu() - callCpu });
require("http").Agent.prototype.createConnection = stop;
require("https").Agent.prototype.createConnection = stop;
const context = { request_id: "bench-request-1", function_name: input.fn, getRemainingTimeInMillis: () => 15000 };
callCpu = cpu();
callStart = process.hrtime.bigint();
Promise.resolve(loaded.main_handler(input.event, context)).then(
  (response) => report({ requireMs, error: "the first request ended without a network call: " + JSON.stringify(response).slice(0, 400) }),
  (error) => report({ requireMs, error: String(error && error.stack || error) }),
);
`;

interface Case {
  name: string;
  file: string;
  env: Record<string, string>;
  event?: FunctionUrlEvent;
  fn?: string;
  kb?: number;
  /** A sibling file loaded on a rare path, not at init: shown, not judged. */
  onDemand?: boolean;
}

interface Sample {
  requireMs: number;
  requireCpuMs: number;
  firstRequestMs?: number;
  firstRequestCpuMs?: number;
}

function runOnce(c: Case): Sample {
  const result = spawnSync(process.execPath, ["-e", CHILD], {
    env: c.env,
    cwd: tmpdir(),
    input: JSON.stringify({ file: c.file, event: c.event, fn: c.fn }),
    encoding: "utf8",
    timeout: 20_000,
  });
  let parsed: (Sample & { error?: string }) | undefined;
  try {
    parsed = JSON.parse(result.stdout) as Sample & { error?: string };
  } catch {
    parsed = undefined;
  }
  if (result.status !== 0 || !parsed || parsed.error) {
    throw new Error(`${c.name}: ${parsed?.error ?? ""}\n${result.stderr}\n${result.stdout}`.trim());
  }
  return parsed;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p90: percentile(sorted, 90) };
};

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), "cold-start-"));
  try {
    // Built into a scratch folder, so dist/ (what a deploy takes) is left as it is.
    const shimmed = await buildFunctions({ outRoot: path.join(work, "dist"), quiet: true });
    const naive = await buildFunctions({ naive: true, outRoot: path.join(work, "dist-naive"), quiet: true });

    const resolveFromRoot = (id: string) => require.resolve(id, { paths: [root] });
    // Node's own part of any first request: one https.request to a COS-style host name, timed like a
    // bundle's first request (to its connection). Every HTTPS client pays it once per process (the
    // TLS server name check compiles net.isIP's IPv6 pattern); shown, not judged.
    const nodeHttps = path.join(work, "node-https.js");
    writeFileSync(
      nodeHttps,
      'exports.main_handler = () => new Promise(() => require("https").request({ host: "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com", path: "/?versioning" }).end());\n',
    );
    const cases: Case[] = [
      { name: 'require("tencentcloud-sdk-nodejs")', file: resolveFromRoot("tencentcloud-sdk-nodejs"), env: {} },
      {
        name: "require(…/ess/v20201111/ess_client)",
        file: resolveFromRoot("tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client"),
        env: {},
      },
      { name: "https.request to a host name", file: nodeHttps, env: {}, event: {} as FunctionUrlEvent, fn: "node" },
    ];
    for (const [label, sizes, folder] of [
      ["", shimmed, "dist"],
      [" (naive)", naive, "dist-naive"],
    ] as const) {
      for (const { fn, bytes, onDemand } of sizes) {
        cases.push({
          name: `${fn}${label}`,
          fn,
          file: path.join(work, folder, fn, "index.js"),
          env: deployedEnv(fn),
          event: firstRequest(fn),
          kb: bytes / 1024,
        });
        // The part moved off the cold start: its own require, paid by the first request that needs it.
        if (onDemand)
          cases.push({
            name: `${fn}: ${onDemand.file}, on demand`,
            fn,
            file: path.join(work, folder, fn, onDemand.file),
            env: deployedEnv(fn),
            kb: onDemand.bytes / 1024,
            onDemand: true,
          });
      }
    }

    const samples = new Map<Case, Sample[]>(cases.map((c) => [c, []]));
    let rounds = 0;
    for (; rounds < RUNS; rounds++) {
      if (rounds >= 3 && Date.now() - started > DEADLINE_MS) break;
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i + rounds) % cases.length]!;
        samples.get(c)!.push(runOnce(c));
      }
    }

    const baseline = stats(samples.get(cases[0]!)!.map((s) => s.requireMs));
    const baselineCpu = stats(samples.get(cases[0]!)!.map((s) => s.requireCpuMs));
    const deep = stats(samples.get(cases[1]!)!.map((s) => s.requireMs));
    console.log(
      `cold start: ${rounds} interleaved rounds, one fresh \`node -e\` per sample, Node ${process.version} (deployed runtime: Nodejs18.15)`,
    );
    console.log(
      `baseline  ${cases[0]!.name.padEnd(38)} median ${fmt(baseline.median, 1).padStart(7)} ms   ` +
        `p90 ${fmt(baseline.p90, 1).padStart(7)} ms   CPU ${fmt(baselineCpu.median, 1)} ms`,
    );
    console.log(
      `scale     ${cases[1]!.name.padEnd(38)} median ${fmt(deep.median, 1).padStart(7)} ms   p90 ${fmt(deep.p90, 1).padStart(7)} ms`,
    );
    const https = stats(samples.get(cases[2]!)!.map((s) => s.firstRequestMs ?? NaN));
    console.log(
      `node      ${cases[2]!.name.padEnd(38)} median ${fmt(https.median, 1).padStart(7)} ms   p90 ${fmt(https.p90, 1).padStart(7)} ms` +
        "   (Node's part of every bundle's first request below; any HTTPS client pays it once)",
    );
    console.log(
      `goals: init + first request ≤ baseline/${GOAL_RATIO} = ${fmt(baseline.median / GOAL_RATIO, 1)} ms, bundle ≤ ${GOAL_KB} KB\n`,
    );

    const rows: Array<Record<string, string>> = [];
    let failed = false;
    for (const c of cases.slice(3)) {
      const list = samples.get(c)!;
      const init = stats(list.map((s) => s.requireMs));
      const first = stats(list.map((s) => s.firstRequestMs ?? NaN));
      // Judged: init and the first request together, per sample, wall time; CPU time beside it (less
      // sensitive to other processes on a shared machine).
      const total = c.onDemand ? init : stats(list.map((s) => s.requireMs + (s.firstRequestMs ?? 0)));
      const totalCpu = c.onDemand
        ? stats(list.map((s) => s.requireCpuMs))
        : stats(list.map((s) => s.requireCpuMs + (s.firstRequestCpuMs ?? 0)));
      const ratio = baseline.median / total.median;
      const judged = !c.name.endsWith("(naive)") && !c.onDemand;
      const verdict = (ok: boolean) => (judged ? (ok ? "PASS" : "FAIL") : "-");
      if (judged && (ratio < GOAL_RATIO || c.kb! > GOAL_KB)) failed = true;
      rows.push({
        bundle: c.name,
        KB: fmt(c.kb!, 1),
        "init ms": fmt(init.median, 1),
        "1st request ms": c.onDemand ? "-" : fmt(first.median, 1),
        "init+1st ms": fmt(total.median, 1),
        "p90 ms": fmt(total.p90, 1),
        "baseline/(init+1st)": `${fmt(ratio, 1)}x`,
        [`≥${GOAL_RATIO}x`]: verdict(ratio >= GOAL_RATIO),
        [`≤${GOAL_KB}KB`]: verdict(c.kb! <= GOAL_KB),
        "CPU ms": fmt(totalCpu.median, 1),
        "CPU ratio": `${fmt(baselineCpu.median / totalCpu.median, 1)}x`,
      });
    }
    table(rows);
    console.log(
      "\ninit: require of the bundle in a fresh process; 1st request: from the handler call to its first outgoing connection (stopped before\n" +
        "TLS/DNS), same process (group-status: key check + COS read; callback: verify + decrypt + COS write; create-group: key check + validation\n" +
        '+ ESS call). Medians of per-sample sums. An "on demand" row is a file required only by the requests that need it (group-status\n' +
        "?refresh=1): moved there, not judged.",
    );

    console.log("\nA bundle with a bad configuration (each required setting unset), required in a fresh process:");
    for (const { fn } of shimmed) {
      const env = deployedEnv(fn);
      const missing = Object.keys(env).filter((name) => CONFIG_VARIABLES[name]?.required && CONFIG_VARIABLES[name]?.deploy === "env");
      for (const name of missing) env[name] = "undefined";
      const result = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(work, "dist", fn, "index.js"))})`], {
        env,
        encoding: "utf8",
        timeout: 20_000,
      });
      const lines = result.stderr.split("\n").filter((l) => l.trim() !== "");
      const named = missing.filter((name) => lines[0]?.includes(name));
      const ok = lines.length === 1 && named.length > 0 && result.status === 1;
      if (!ok) failed = true;
      console.log(
        `  ${ok ? "PASS" : "FAIL"} ${fn}: exit ${result.status}, ${lines.length} line(s), ${result.stderr.length} bytes on stderr, naming ${named.length} of the ${missing.length} unset (${missing.join(", ")}): ${(lines[0] ?? "").slice(0, 110)}…`,
      );
    }
    console.log(
      `\n${failed ? "FAIL: not every bundle meets" : "PASS: every bundle meets"} the goals on this machine. (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
