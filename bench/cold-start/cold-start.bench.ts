/**
 * bench/cold-start — what a user pays on each cold start: the module initialisation of each bundled
 * handler (`require("dist/<fn>/index.js")`, which parses config and composes the function), beside
 * `require("tencentcloud-sdk-nodejs")` (what the official kits load) measured in the same run.
 *
 * Every figure comes from a fresh `node -e` process with an `hrtime` pair around one `require`.
 * Cases run interleaved (the order rotates each round) and repeated; nothing is dropped; medians
 * and p90 are printed. Goals per bundle: init ≤ 1/15 of the baseline's median, and ≤ 300 KB.
 *
 * Each bundle is required with only the variables serverless.yml binds for its function, set to
 * plausible dummy values (the values below; a variable without one stops the bench). The same
 * process then handles a first request (a status read, a signed callback, a create) and reports the
 * time from the call to its first outgoing connection (stopped there, before TLS and DNS):
 * work deferred from init to the first request (the COS SDK is loaded on the first store call) shows
 * there instead of disappearing. A file loaded only on a rare path (group-status's SDK, on
 * `?refresh=1`) gets its own row, timed but not judged. The `--naive` build (no shims, no on-demand
 * file) is measured the same way. Bundles are built into a scratch folder; dist/ is not touched.
 *
 *   npm run bench:cold-start              # 15 rounds
 *   RUNS=30 npm run bench:cold-start      # more rounds (the bench stops adding rounds after ~50 s)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildFunctionUrlEvent } from "../../local/gateway/function-url-event";
import type { FunctionUrlEvent } from "../../shared/http/scf-types";
import { functionBindings, readServerlessFile } from "../../scripts/deploy-check/serverless-file";
import { buildFunctions } from "../../scripts/build";
import { fmt, percentile, table } from "../support/stats";

const root = path.resolve(__dirname, "../..");
const RUNS = Math.min(Math.max(Number(process.env.RUNS ?? 15) || 15, 3), 100);
const DEADLINE_MS = 50_000;
const GOAL_RATIO = 15;
const GOAL_KB = 300;

const API_KEY = "cold-start-bench-api-key";
const callbackFixture = (suffix: string) => readFileSync(path.join(root, "test/fixtures/callbacks", `ess-flow-status-change.${suffix}`));
const fixtureConfig = JSON.parse(readFileSync(path.join(root, "test/fixtures/callbacks/fixture-config.json"), "utf8")) as { key: string; token: string };

/** Values a real deployment would bind (shapes as documented in README "Configuration"). */
const DUMMY: Record<string, string> = {
  ESS_SECRET_ID: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  ESS_SECRET_KEY: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  ESS_REGION: "ap-guangzhou",
  ESS_ENDPOINT: "", // unset in a normal deployment: the SDK's default hosts
  ESS_TIMEOUT_MS: "15000",
  ESS_OPERATOR_USER_ID: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K",
  ESSBASIC_APP_ID: "yDwFmUUckpstqfvzUE1h3jo1f3cqjHGm",
  ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: "org-open-id-example",
  ESSBASIC_PROXY_OPERATOR_OPEN_ID: "operator-open-id-example",
  API_KEY_HASHES: createHash("sha256").update(API_KEY).digest("hex"),
  IDEMPOTENCY_TTL_SECONDS: "86400",
  IDEMPOTENCY_PENDING_STALE_SECONDS: "120",
  // The callback fixture's key and token, so the first request is a genuine signed callback.
  ESS_CALLBACK_KEY: fixtureConfig.key,
  ESS_CALLBACK_TOKEN: fixtureConfig.token,
  CALLBACK_STRICT: "false",
  CALLBACK_ACCEPT_LEGACY_V1: "false",
  COS_BUCKET: "examplebucket-1250000000",
  COS_REGION: "ap-guangzhou",
  COS_PREFIX: "ess-status/",
  COS_SECRET_ID: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  COS_SECRET_KEY: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  LOG_LEVEL: "info",
};

/** The environment serverless.yml gives `fn`: literal values as written, `${env:NAME}` from DUMMY. */
function deployedEnv(fn: string): Record<string, string> {
  const variables = functionBindings(readServerlessFile(path.join(root, "serverless.yml")).doc).bindings[fn];
  if (!variables) throw new Error(`serverless.yml has no environment for ${fn}`);
  const env: Record<string, string> = { TENCENTCLOUD_RUNENV: "SCF" };
  for (const { name, value } of variables.filter((v) => !v.dropped)) {
    const bound = /^\$\{env:([A-Z0-9_]+)\}$/.exec(String(value));
    if (!bound) {
      env[name] = String(value);
      continue;
    }
    const dummy = DUMMY[bound[1]!];
    if (dummy === undefined) throw new Error(`serverless.yml binds ${name} for ${fn}; give it a dummy value in bench/cold-start`);
    env[name] = dummy;
  }
  return env;
}

/** The first request each function would typically get; each one needs the network. */
function firstRequest(fn: string): FunctionUrlEvent {
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
    const { Operator: _, ...request } = JSON.parse(readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8")) as Record<string, unknown>;
    return event("POST", "/ess/flow-groups", { "x-api-key": API_KEY, "content-type": "application/json" }, JSON.stringify(request));
  }
  if (fn === "group-actions") {
    // Sign links: API key check, the group from COS (loads the COS SDK); ESS is called after that.
    return event("POST", "/flow-groups/yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe/sign-urls", { "x-api-key": API_KEY, "content-type": "application/json" }, "{}");
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
const t0 = process.hrtime.bigint();
const loaded = require(input.file);
const requireMs = Number(process.hrtime.bigint() - t0) / 1e6;
if (!input.event) report({ requireMs });
let callStart;
const stop = () => report({ requireMs, firstRequestMs: Number(process.hrtime.bigint() - callStart) / 1e6 });
require("http").Agent.prototype.createConnection = stop;
require("https").Agent.prototype.createConnection = stop;
const context = { request_id: "bench-request-1", function_name: input.fn, getRemainingTimeInMillis: () => 15000 };
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
  firstRequestMs?: number;
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
    const cases: Case[] = [
      { name: 'require("tencentcloud-sdk-nodejs")', file: resolveFromRoot("tencentcloud-sdk-nodejs"), env: {} },
      { name: "require(…/ess/v20201111/ess_client)", file: resolveFromRoot("tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client"), env: {} },
    ];
    for (const [label, sizes, folder] of [["", shimmed, "dist"], [" (naive)", naive, "dist-naive"]] as const) {
      for (const { fn, bytes, onDemand } of sizes) {
        cases.push({ name: `${fn}${label}`, fn, file: path.join(work, folder, fn, "index.js"), env: deployedEnv(fn), event: firstRequest(fn), kb: bytes / 1024 });
        // The part moved off the cold start: its own require, paid by the first request that needs it.
        if (onDemand) cases.push({ name: `${fn}: ${onDemand.file}, on demand`, fn, file: path.join(work, folder, fn, onDemand.file), env: deployedEnv(fn), kb: onDemand.bytes / 1024, onDemand: true });
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
    const deep = stats(samples.get(cases[1]!)!.map((s) => s.requireMs));
    console.log(`cold start: ${rounds} interleaved rounds, one fresh \`node -e\` per sample, Node ${process.version} (deployed runtime: Nodejs18.15)`);
    console.log(`baseline  ${cases[0]!.name.padEnd(38)} median ${fmt(baseline.median, 1).padStart(7)} ms   p90 ${fmt(baseline.p90, 1).padStart(7)} ms`);
    console.log(`scale     ${cases[1]!.name.padEnd(38)} median ${fmt(deep.median, 1).padStart(7)} ms   p90 ${fmt(deep.p90, 1).padStart(7)} ms`);
    console.log(`goals: init ≤ baseline/${GOAL_RATIO} = ${fmt(baseline.median / GOAL_RATIO, 1)} ms, bundle ≤ ${GOAL_KB} KB\n`);

    const rows: Array<Record<string, string>> = [];
    let failed = false;
    for (const c of cases.slice(2)) {
      const init = stats(samples.get(c)!.map((s) => s.requireMs));
      const first = stats(samples.get(c)!.map((s) => s.firstRequestMs ?? NaN));
      const ratio = baseline.median / init.median;
      const judged = !c.name.endsWith("(naive)") && !c.onDemand;
      const verdict = (ok: boolean) => (judged ? (ok ? "PASS" : "FAIL") : "-");
      if (judged && (ratio < GOAL_RATIO || c.kb! > GOAL_KB)) failed = true;
      rows.push({
        bundle: c.name,
        KB: fmt(c.kb!, 1),
        "init median ms": fmt(init.median, 1),
        "init p90 ms": fmt(init.p90, 1),
        "baseline/init": `${fmt(ratio, 1)}x`,
        [`≤1/${GOAL_RATIO}`]: verdict(ratio >= GOAL_RATIO),
        [`≤${GOAL_KB}KB`]: verdict(c.kb! <= GOAL_KB),
        "1st request→network median ms": c.onDemand ? "-" : fmt(first.median, 1),
        "p90 ms": c.onDemand ? "-" : fmt(first.p90, 1),
      });
    }
    table(rows);
    console.log(
      "\n1st request→network: from the handler call to its first outgoing connection (stopped before TLS/DNS), same process after init\n" +
        "(group-status: key check + COS read; callback: verify + decrypt + COS write; create-group: key check + validation + ESS call).\n" +
        "An \"on demand\" row is a file required only by the requests that need it (group-status ?refresh=1): moved there, not judged.",
    );
    console.log(`\n${failed ? "FAIL: not every bundle meets" : "PASS: every bundle meets"} both goals on this machine. (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
