import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashApiKey } from "../../shared/auth/api-keys";
import { loadHandlers } from "../../local/gateway/load-handlers";
import { startGateway } from "../../local/gateway/server";
import { routesFromServerlessYml } from "../../local/gateway/serverless-routes";
import {
  checkBundlesExist,
  checkEnvironment,
  checkRoutes,
  checkSchema,
  functionEnvironment,
  invokeBundle,
  readServerlessYml,
  sampleEvent,
  SCF_RUNTIME_ENV,
} from "./checks";

/** The key whose digest the sample deployment configures. */
export const SAMPLE_API_KEY = "essk_deploy_check_sample_key";

/** What a deployer would export before `npm run deploy` (dummy values; nothing here reaches Tencent Cloud). */
export const SAMPLE_DEPLOYER_ENV: Record<string, string> = {
  STAGE: "dev",
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

/** Sample events each bundle must answer without any network: the answer proves it loaded and routes. */
export const SAMPLE_CALLS = [
  { fn: "create-group", method: "POST", route: "/ess/flow-groups", path: "/ess/flow-groups", body: "{}", status: 401, code: "AuthFailure.MissingApiKey" },
  {
    fn: "create-group",
    method: "POST",
    route: "/essbasic/flow-groups",
    path: "/essbasic/flow-groups",
    key: true,
    body: JSON.stringify({ FlowGroupName: "deploy-check" }),
    status: 400,
    code: "MissingParameter.FlowFileInfos",
  },
  { fn: "callback", method: "POST", route: "/ess/callbacks", path: "/ess/callbacks", body: "{}", status: 200, result: "probe" },
  { fn: "group-status", method: "GET", route: "/flow-groups/{FlowGroupId}", path: "/flow-groups/yDwJ7UUckpk84praUyPWcjISDLsIVxyo", status: 401, code: "AuthFailure.MissingApiKey" },
  { fn: "group-status", method: "GET", route: "/flow-groups/{FlowGroupId}", path: "/flow-groups/not-an-id", key: true, status: 400, code: "InvalidParameter.FlowGroupId" },
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
  const { text, doc } = readServerlessYml(options.file ?? path.join(rootDir, "serverless.yml"));
  const schema = checkSchema(doc);
  const results: CheckResult[] = [{ name: "serverless.yml matches the multi-scf input schema", problems: schema.problems }];
  const config = schema.config;
  if (!config) return results;

  results.push({ name: "routes name known functions, once each, with declared path parameters", problems: checkRoutes(config) });
  results.push({ name: "environment: every ${env:X} known, every read variable bound, required ones present, nothing local-only", problems: checkEnvironment(config, doc) });
  const bundles = checkBundlesExist(config, rootDir);
  results.push({ name: "every handler resolves to a bundle in the deployed folder", problems: bundles });
  if (bundles.length > 0) return results;

  const exportProblems: string[] = [];
  const answerProblems: string[] = [];
  for (const call of SAMPLE_CALLS) {
    const fn = config.inputs.functions[call.fn]!;
    const [folder, exportName] = fn.handler.split("/index.") as [string, string];
    const bundle = path.join(rootDir, config.inputs.src.src, folder, "index.js");
    const env = { ...functionEnvironment(config, call.fn, SAMPLE_DEPLOYER_ENV), ...SCF_RUNTIME_ENV };
    const answer = await invokeBundle(
      bundle,
      exportName,
      env,
      sampleEvent(call.method, call.route, call.path, {
        body: "body" in call ? call.body : undefined,
        headers: "key" in call && call.key ? { authorization: `Bearer ${SAMPLE_API_KEY}` } : {},
      } as { body?: string; headers?: Record<string, string> }),
    );
    const label = `${call.fn} ${call.method} ${call.path}`;
    if (!answer.exported.includes(exportName)) exportProblems.push(`${bundle} does not export ${exportName} (exports: ${answer.exported.join(", ") || "nothing"})`);
    if (answer.error) answerProblems.push(`${label}: ${answer.error}`);
    const response = answer.response;
    if (!response) continue;
    let body: { Error?: { Code?: string }; Result?: string } = {};
    try {
      body = JSON.parse(response.body);
    } catch {
      answerProblems.push(`${label}: body is not JSON`);
    }
    if (response.statusCode !== call.status) answerProblems.push(`${label}: answered ${response.statusCode}, expected ${call.status}`);
    if ("code" in call && body.Error?.Code !== call.code && !JSON.stringify(body).includes(call.code)) answerProblems.push(`${label}: expected ${call.code}, got ${response.body.slice(0, 200)}`);
    if ("result" in call && body.Result !== call.result) answerProblems.push(`${label}: expected Result ${call.result}, got ${response.body.slice(0, 200)}`);
    if (call.status === 401 && !response.headers["WWW-Authenticate"]) answerProblems.push(`${label}: 401 without WWW-Authenticate`);
  }
  results.push({ name: "each bundle exports its handler", problems: exportProblems });
  results.push({ name: "each bundle answers sample events in a fresh Node process with only the variables serverless.yml binds", problems: answerProblems });

  if (options.gateway !== false) results.push({ name: "the local gateway serves every route of serverless.yml", problems: await checkGatewayServes(text) });
  return results;
}

/** Starts the local gateway from serverless.yml and sends a request to each route: none may be 404/405. */
async function checkGatewayServes(text: string): Promise<string[]> {
  const storeDir = await mkdtemp(path.join(tmpdir(), "deploy-check-"));
  Object.assign(process.env, {
    ...SAMPLE_DEPLOYER_ENV,
    ESS_ENDPOINT: "http://127.0.0.1:9",
    STORE: "file",
    STORE_DIR: storeDir,
    STORE_FSYNC: "false",
    LOG_LEVEL: "error",
  });
  const routes = routesFromServerlessYml(text);
  const gateway = await startGateway({ port: 0, routes: await loadHandlers(routes) });
  const problems: string[] = [];
  try {
    for (const route of routes) {
      const url = `${gateway.url}${route.path.replace(/\{[^}]+\}/g, "yDwJ7UUckpk84praUyPWcjISDLsIVxyo")}`;
      const res = await fetch(url, { method: route.method, headers: { "content-type": "application/json" }, ...(route.method === "GET" ? {} : { body: "{}" }) });
      if (res.status === 404 || res.status === 405) {
        const body = (await res.json()) as { Error?: { Code?: string } };
        // A 404 from the function itself (an unknown group) is an answer; the gateway's own is not.
        if (body.Error?.Code !== "ResourceNotFound.FlowGroup") problems.push(`${route.method} ${route.path}: the local gateway answered ${res.status}`);
      }
      if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) problems.push(`${route.method} ${route.path}: not JSON`);
    }
  } finally {
    await gateway.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
  return problems;
}
