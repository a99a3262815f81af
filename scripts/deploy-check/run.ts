import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashApiKey } from "../../shared/auth/api-keys";
import { readDeployedFunctions, type DeployedFunction } from "../../local/gateway/functions";
import { loadHandlers } from "../../local/gateway/load-handlers";
import { startGateway } from "../../local/gateway/server";
import { clearDeploySettings } from "../../local/local-env";
import { checkEnvironment, checkRoutes, invokeBundle, resolveBindings, sampleEvent, SCF_ROLE_ENV, SCF_RUNTIME_ENV } from "./checks";
import { functionBindings, readServerlessFile } from "./serverless-file";

/** The key whose digest the sample deployment configures. */
export const SAMPLE_API_KEY = "essk_deploy_check_sample_key";

/** What a deployer would export before `npm run deploy` (dummy values; nothing here reaches Tencent Cloud). */
export const SAMPLE_DEPLOYER_ENV: Record<string, string> = {
  SCF_REGION: "ap-guangzhou",
  SCF_ROLE: "ess_flow_groups_role",
  ESS_SECRET_ID: "AKIDdeploycheckSample",
  ESS_SECRET_KEY: "deployCheckSampleSecretKey",
  ESS_REGION: "ap-guangzhou",
  ESS_CALLBACK_KEY: "DeployCheckCallbackKey0123456789",
  ESS_CALLBACK_TOKEN: "deploy-check-callback-token",
  COS_BUCKET: "examplebucket-1250000000",
  COS_REGION: "ap-guangzhou",
  API_KEY_HASHES: hashApiKey(SAMPLE_API_KEY),
};

/** Sample requests each function must answer without any network: the answer proves it loaded and routes. */
export const SAMPLE_CALLS = [
  { fn: "create-group", method: "POST", path: "/ess/flow-groups", body: "{}", status: 401, code: "AuthFailure.MissingApiKey" },
  {
    fn: "create-group",
    method: "POST",
    path: "/essbasic/flow-groups",
    key: true,
    body: JSON.stringify({ FlowGroupName: "deploy-check" }),
    status: 400,
    code: "MissingParameter.FlowFileInfos",
  },
  { fn: "callback", method: "POST", path: "/ess/callbacks", body: "{}", status: 200, result: "probe" },
  { fn: "group-status", method: "GET", path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo", status: 401, code: "AuthFailure.MissingApiKey" },
  { fn: "group-status", method: "GET", path: "/flow-groups/not-an-id", key: true, status: 400, code: "InvalidParameter.FlowGroupId" },
] as const;

export interface CheckResult {
  name: string;
  problems: string[];
}

/**
 * Runs every offline deploy check against `serverless.yml` and the built bundles (build first).
 * The local-gateway check loads the TypeScript handlers and therefore sets `process.env`: run it
 * in a process of its own (the CLI, or a test file).
 */
export async function runDeployCheck(options: { file?: string; rootDir?: string; gateway?: boolean } = {}): Promise<CheckResult[]> {
  const rootDir = options.rootDir ?? process.cwd();
  const file = options.file ?? path.join(rootDir, "serverless.yml");
  const { doc } = readServerlessFile(file);
  const functions = await readDeployedFunctions(rootDir, file);
  const results: CheckResult[] = [
    { name: "environment: every ${env:X} known, every read variable bound in environments, required ones present, nothing local-only", problems: checkEnvironment(doc) },
    { name: "routes declared once across functions; one function URL per function with routes", problems: checkRoutes(functions) },
  ];
  const { bindings } = functionBindings(doc);

  const answerProblems: string[] = [];
  for (const fn of functions) {
    const bundle = path.join(rootDir, "dist", fn.folder, "index.js");
    if (!existsSync(bundle)) {
      answerProblems.push(`function ${fn.key}: no bundle at ${path.relative(rootDir, bundle)} (run npm run build)`);
      continue;
    }
    const env = { ...resolveBindings(bindings[fn.key] ?? [], SAMPLE_DEPLOYER_ENV), ...SCF_RUNTIME_ENV, ...SCF_ROLE_ENV };
    answerProblems.push(...(await checkSampleCalls(fn, bundle, env)));
  }
  results.push({ name: "each bundle answers sample function URL events in a fresh Node process with only the variables serverless.yml binds", problems: answerProblems });

  if (options.gateway !== false) results.push({ name: "the local stack serves every declared route", problems: await checkGatewayServes(functions) });
  return results;
}

/** Sends `fn`'s sample calls to its bundle, loaded with `env`; returns what went wrong. */
export async function checkSampleCalls(fn: DeployedFunction, bundle: string, env: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const call of SAMPLE_CALLS.filter((c) => c.fn === fn.key)) {
    const headers: Record<string, string> = "key" in call && call.key ? { authorization: `Bearer ${SAMPLE_API_KEY}` } : {};
    const answer = await invokeBundle(bundle, fn.exportName, env, sampleEvent(call.method, call.path, { headers, body: "body" in call ? call.body : undefined }));
    const label = `${fn.key} ${call.method} ${call.path}`;
    if (!answer.exported.includes(fn.exportName)) problems.push(`${bundle} does not export ${fn.exportName} (exports: ${answer.exported.join(", ") || "nothing"})`);
    if (answer.error) problems.push(`${label}: ${answer.error}`);
    if (answer.stderr.trim() !== "") problems.push(`${label}: the bundle wrote to stderr: ${answer.stderr.trim().split("\n")[0]!.slice(0, 300)}`);
    const response = answer.response;
    if (!response) continue;
    let body: { Error?: { Code?: string }; Result?: string } = {};
    try {
      body = JSON.parse(response.body);
    } catch {
      problems.push(`${label}: body is not JSON`);
    }
    if (response.statusCode !== call.status) problems.push(`${label}: answered ${response.statusCode}, expected ${call.status} (${response.body.slice(0, 200)})`);
    if ("code" in call && body.Error?.Code !== call.code && !JSON.stringify(body).includes(call.code)) problems.push(`${label}: expected ${call.code}, got ${response.body.slice(0, 200)}`);
    if ("result" in call && body.Result !== call.result) problems.push(`${label}: expected Result ${call.result}, got ${response.body.slice(0, 200)}`);
    if (call.status === 401 && !response.headers["WWW-Authenticate"]) problems.push(`${label}: 401 without WWW-Authenticate`);
  }
  if (fn.routes.length > 0 && !SAMPLE_CALLS.some((c) => c.fn === fn.key)) problems.push(`function ${fn.key} has no sample call in scripts/deploy-check/run.ts`);
  return problems;
}

/** Loads the TypeScript handlers behind the one-domain gateway and sends each declared route a request: none may be the gateway's 404/405. */
async function checkGatewayServes(functions: readonly DeployedFunction[]): Promise<string[]> {
  const storeDir = await mkdtemp(path.join(tmpdir(), "deploy-check-"));
  clearDeploySettings(process.env);
  Object.assign(process.env, {
    ...SAMPLE_DEPLOYER_ENV,
    ESS_ENDPOINT: "http://127.0.0.1:9",
    STORE: "file",
    STORE_DIR: storeDir,
    STORE_FSYNC: "false",
    LOG_LEVEL: "error",
  });
  const gateway = await startGateway({ port: 0, functions: await loadHandlers(functions) });
  const problems: string[] = [];
  try {
    for (const route of functions.flatMap((f) => f.routes)) {
      const url = `${gateway.url}${route.path.replace(/\{[^}]+\}/g, "yDwJ7UUckpk84praUyPWcjISDLsIVxyo")}`;
      const res = await fetch(url, { method: route.method, headers: { "content-type": "application/json" }, ...(route.method === "GET" ? {} : { body: "{}" }) });
      const body = (await res.json().catch(() => ({}))) as { Error?: { Code?: string } };
      // A 404 from the function itself (an unknown group) is an answer; the gateway's own is not.
      if ((res.status === 404 || res.status === 405) && body.Error?.Code !== "ResourceNotFound.FlowGroup") {
        problems.push(`${route.method} ${route.path}: answered ${res.status} ${body.Error?.Code ?? ""}`);
      }
      if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) problems.push(`${route.method} ${route.path}: not JSON`);
    }
  } finally {
    await gateway.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
  return problems;
}
