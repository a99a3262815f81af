import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The deploy check's stand-in for Tencent Cloud, on loopback. The deploy engine's processes are
 * preloaded with `intercept.ts`, which sends every request they make here with its intended URL.
 * It answers what a first deploy asks, and records what matters:
 *
 * - the Components platform (the CLI's side): telemetry, the role-binding lookup, CAM
 *   `GetUserAppId`, sls `GetCacheFileUrls` / `RunComponent` / `GetInstance`, and the COS upload of
 *   the code zip — recording the instance `RunComponent` sends and the zip the CLI uploads;
 * - the SCF API (the toolkit's side): `GetFunction`, `CreateFunction`, `ListTriggers`,
 *   `CreateTrigger`, aliases and tags, with the input rules the SCF API states in its SDK model
 *   comments (`scf_models`: function names 2–60 characters, non-empty variable values, runtimes
 *   it lists) — recording every call.
 *
 * Anything it does not know is answered with an error and recorded, so a change in the engine's
 * conversation shows up as a finding instead of passing silently.
 */

export interface StandInCall {
  url: string;
  method: string;
  action?: string;
  /** Parsed parameters (form or JSON body). */
  params: Record<string, unknown>;
}

export interface Recorded {
  calls: StandInCall[];
  /** The parsed `Body` of sls `RunComponent`: `{ instance, method, credentials, options }`. */
  runComponent?: Record<string, unknown>;
  /** What was PUT to the upload URL `GetCacheFileUrls` handed out. */
  uploads: Buffer[];
  /** The SecretIds the requests were signed with (the deployer's key, never another). */
  secretIds: Set<string>;
  /** Requests the stand-in did not know how to answer. */
  unknown: string[];
  /** SCF API calls the stand-in refused, with the reason the real API would give. */
  refused: string[];
}

export interface ScfFunction {
  params: Record<string, unknown>;
  triggers: Array<Record<string, unknown>>;
}

export interface TencentStandIn {
  port: number;
  recorded: Recorded;
  /** SCF functions created so far, by name. */
  functions: Map<string, ScfFunction>;
  /** Begins a new recording (the next engine run), keeping nothing of the last. */
  reset(): void;
  stop(): Promise<void>;
}

const UPLOAD_URL = "https://deploy-check-code.cos.ap-guangzhou.myqcloud.com/changes.zip";
const SOURCE_URL = "https://deploy-check-code.cos.ap-guangzhou.myqcloud.com/src.zip";
const PREVIOUS_MAP_URL = "https://deploy-check-code.cos.ap-guangzhou.myqcloud.com/src.map";

/** Runtimes the SCF API lists for CreateFunction (scf_models `CreateFunctionRequest.Runtime`). */
export const SCF_NODE_RUNTIMES = ["Nodejs6.10", "Nodejs8.9", "Nodejs10.15", "Nodejs12.16", "Nodejs14.18", "Nodejs16.13", "Nodejs18.15"];
const OTHER_RUNTIMES = [
  "Python2.7",
  "Python3.6",
  "Python3.7",
  "Python3.9",
  "Python3.10",
  "Php5.6",
  "Php7",
  "Php7.4",
  "Php8.0",
  "Go1",
  "Java8",
  "CustomRuntime",
];
/** Variable name prefixes SCF reserves (SCF doc 583/14570). */
const RESERVED_PREFIXES = ["SCF_", "QCLOUD_", "TENCENTCLOUD_"];

export async function startTencentStandIn(): Promise<TencentStandIn> {
  const fresh = (): Recorded => ({ calls: [], uploads: [], secretIds: new Set(), unknown: [], refused: [] });
  const state = { recorded: fresh(), functions: new Map<string, ScfFunction>() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        answer(req, Buffer.concat(chunks), res, state);
      } catch (error) {
        state.recorded.unknown.push(
          `stand-in failed on ${String(req.headers["x-deploy-check-url"])}: ${error instanceof Error ? error.message : String(error)}`,
        );
        send(res, 500, { message: "stand-in error" });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get recorded() {
      return state.recorded;
    },
    functions: state.functions,
    reset() {
      state.recorded = fresh();
      state.functions.clear();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** A Tencent Cloud API answer: `{ Response: { …, RequestId } }`. */
const apiAnswer = (res: ServerResponse, response: Record<string, unknown>) =>
  send(res, 200, { Response: { ...response, RequestId: "deploy-check" } });
const apiError = (res: ServerResponse, code: string, message: string) => apiAnswer(res, { Error: { Code: code, Message: message } });
/** The sls platform wraps its payloads: `Body` is `{ statusCode, body: JSON }` as text. */
const platformAnswer = (res: ServerResponse, payload: unknown) =>
  apiAnswer(res, { Body: JSON.stringify({ statusCode: 200, body: JSON.stringify(payload) }) });

/**
 * A request's parameters: a JSON body (TC3), or a form whose keys are flattened the Tencent Cloud
 * API 2.0 way (`Environment.Variables.0.Key`), rebuilt into objects and lists.
 */
function parseParams(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text === "") return {};
  if ((req.headers["content-type"] ?? "").includes("json") && text.trimStart().startsWith("{"))
    return JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [flatKey, value] of new URLSearchParams(text)) {
    const parts = flatKey.split(".");
    let node: Record<string, unknown> | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      const slot = node as Record<string | number, unknown>;
      if (last) slot[key] = value;
      else slot[key] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
      node = slot[key] as Record<string, unknown> | unknown[];
    });
  }
  return out;
}

function answer(
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  state: { recorded: Recorded; functions: Map<string, ScfFunction> },
) {
  const url = new URL(String(req.headers["x-deploy-check-url"]));
  const method = req.method ?? "GET";
  const recorded = state.recorded;

  // COS: the code upload, and the previous deployment's file map (none: a first deploy).
  if (url.href === UPLOAD_URL && method === "PUT") {
    recorded.uploads.push(body);
    recorded.calls.push({ url: url.href, method, params: { bytes: body.length } });
    return send(res, 200, "");
  }
  if (url.href === PREVIOUS_MAP_URL) return send(res, 404, "<Error><Code>NoSuchKey</Code></Error>");

  // The CLI's telemetry, notifications and role-binding service (Serverless Inc.'s endpoints).
  if (url.hostname.endsWith(".apigw.tencentcs.com") || url.hostname === "sp-notifications-and-metrics-v1.serverless-platform.com") {
    recorded.calls.push({ url: url.href, method, params: {} });
    if (url.pathname.includes("/role/bindv2/")) return send(res, 200, { error: false, message: {} });
    return send(res, 200, {});
  }

  const params = parseParams(req, body);
  const action = String(req.headers["x-tc-action"] ?? params.Action ?? "");
  const secretId = String(params.SecretId ?? /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "");
  if (secretId !== "") recorded.secretIds.add(secretId);
  recorded.calls.push({ url: url.href, method, action, params });

  if (url.hostname === "cam.tencentcloudapi.com" && action === "GetUserAppId") {
    return apiAnswer(res, { AppId: 1250000000, OwnerUin: "100000000001", Uin: "100000000001" });
  }
  if (url.hostname === "sls.tencentcloudapi.com") {
    if (action === "GetCacheFileUrls")
      return platformAnswer(res, { changesUploadUrl: UPLOAD_URL, srcDownloadUrl: SOURCE_URL, previousMapDownloadUrl: PREVIOUS_MAP_URL });
    if (action === "RunComponent") {
      recorded.runComponent = JSON.parse(String(params.Body)) as Record<string, unknown>;
      return platformAnswer(res, {});
    }
    if (action === "GetInstance") {
      return platformAnswer(res, {
        instance: { instanceStatus: "active", outputs: { offlineDeployCheck: "captured by the deploy check; nothing was deployed" } },
      });
    }
  }
  if (url.hostname === "scf.tencentcloudapi.com") return scfAnswer(action, params, res, state);
  if (url.hostname === "tag.tencentcloudapi.com") return apiAnswer(res, { Tags: [], TotalCount: 0 });

  recorded.unknown.push(`${method} ${url.href} ${action}`.trim());
  return apiError(res, "UnsupportedOperation", "not modelled by the deploy check's stand-in");
}

function scfAnswer(
  action: string,
  params: Record<string, unknown>,
  res: ServerResponse,
  state: { recorded: Recorded; functions: Map<string, ScfFunction> },
) {
  const refuse = (code: string, message: string) => {
    state.recorded.refused.push(`${action}: ${message}`);
    return apiError(res, code, message);
  };
  const name = String(params.FunctionName ?? "");
  const fn = state.functions.get(name);
  switch (action) {
    case "GetFunction":
      if (!fn) return apiError(res, "ResourceNotFound.Function", `function ${name} does not exist`);
      return apiAnswer(res, { ...fn.params, Status: "Active", Qualifier: "$LATEST", Type: "Event", Triggers: fn.triggers });
    case "CreateFunction": {
      const problem = functionProblem(params);
      if (problem) return refuse("InvalidParameterValue", problem);
      if (fn) return refuse("ResourceInUse.Function", `function ${name} already exists`);
      state.functions.set(name, { params, triggers: [] });
      return apiAnswer(res, {});
    }
    case "ListTriggers": {
      if (!fn) return apiError(res, "ResourceNotFound.Function", `function ${name} does not exist`);
      const filters = (params.Filters ?? []) as Array<{ Name: string; Values: unknown[] }>;
      for (const filter of filters)
        if (filter.Values.some((v) => typeof v !== "string" || v === ""))
          return refuse("InvalidParameterValue", `ListTriggers filter ${filter.Name} has no value`);
      const matches = fn.triggers.filter((t) => filters.every((f) => f.Values.includes(String(t[f.Name]))));
      return apiAnswer(res, { Triggers: matches, TotalCount: matches.length });
    }
    case "CreateTrigger": {
      if (!fn) return apiError(res, "ResourceNotFound.Function", `function ${name} does not exist`);
      const problem = triggerProblem(params, fn);
      if (problem) return refuse("InvalidParameterValue", problem);
      const info = {
        Type: params.Type,
        TriggerName: params.TriggerName,
        TriggerDesc: params.TriggerDesc,
        Qualifier: params.Qualifier ?? "$LATEST",
        Enable: params.Enable === "CLOSE" ? 0 : 1,
      };
      fn.triggers.push(info);
      return apiAnswer(res, { TriggerInfo: { ...info } });
    }
    case "GetAlias":
      return apiError(res, "ResourceNotFound.Alias", "alias not found");
    default:
      state.recorded.unknown.push(`scf ${action}`);
      return apiError(res, "UnsupportedOperation", `scf ${action} is not modelled by the deploy check's stand-in`);
  }
}

/** The CreateFunction input rules the SCF API states (scf_models comments; SCF doc 583/14570 for reserved names). */
function functionProblem(p: Record<string, unknown>): string | undefined {
  const name = String(p.FunctionName ?? "");
  if (!/^[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]$/.test(name) || name.length < 2 || name.length > 60) {
    return `function name ${name} (${name.length} characters): letters, digits, - and _, starting with a letter, not ending with - or _, 2 to 60 characters`;
  }
  if (![...SCF_NODE_RUNTIMES, ...OTHER_RUNTIMES].includes(String(p.Runtime)))
    return `function ${name}: runtime ${String(p.Runtime)} is not one SCF lists`;
  const memory = Number(p.MemorySize);
  if (!(memory === 64 || (memory >= 128 && memory <= 3072 && memory % 128 === 0)))
    return `function ${name}: memory ${memory} MB is not 64 or 128–3072 in steps of 128`;
  const timeout = Number(p.Timeout);
  if (!(timeout >= 1 && timeout <= 900)) return `function ${name}: timeout ${timeout} s is not 1–900`;
  const variables = (p.Environment as { Variables?: Array<{ Key?: unknown; Value?: unknown }> } | undefined)?.Variables ?? [];
  for (const { Key, Value } of variables) {
    if (typeof Key !== "string" || Key === "") return `function ${name}: a variable has no name`;
    if (RESERVED_PREFIXES.some((prefix) => Key.startsWith(prefix))) return `function ${name}: variable ${Key} uses a reserved prefix`;
    if (typeof Value !== "string" || Value === "")
      return `function ${name}: variable ${Key} has an empty value (the SCF API refuses empty values)`;
  }
  const code = p.Code as { CosBucketName?: unknown; CosObjectName?: unknown } | undefined;
  if (!code?.CosBucketName || !code.CosObjectName) return `function ${name}: no code (Code.CosBucketName / CosObjectName)`;
  return undefined;
}

function triggerProblem(p: Record<string, unknown>, fn: ScfFunction): string | undefined {
  if (p.Type === "timer") {
    // SCF doc 583/9708: seven fields (second minute hour day month weekday year), or the legacy five.
    const fields = String(p.TriggerDesc ?? "")
      .trim()
      .split(/\s+/);
    const of = `timer of ${String(p.FunctionName)}`;
    if (fields.length !== 7 && fields.length !== 5) return `${of}: cron "${String(p.TriggerDesc)}" has ${fields.length} fields`;
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(String(p.TriggerName))) return `${of}: name ${String(p.TriggerName)} is not allowed`;
    return undefined;
  }
  if (p.Type !== "http") return undefined;
  let desc: { AuthType?: unknown; NetConfig?: { EnableIntranet?: unknown; EnableExtranet?: unknown } };
  try {
    desc = JSON.parse(String(p.TriggerDesc)) as typeof desc;
  } catch {
    return `function URL of ${String(p.FunctionName)}: TriggerDesc is not JSON`;
  }
  if (desc.AuthType !== "NONE" && desc.AuthType !== "CAM")
    return `function URL of ${String(p.FunctionName)}: AuthType ${String(desc.AuthType)} is not NONE or CAM`;
  if (typeof desc.NetConfig?.EnableExtranet !== "boolean" || typeof desc.NetConfig?.EnableIntranet !== "boolean")
    return `function URL of ${String(p.FunctionName)}: NetConfig needs EnableIntranet and EnableExtranet`;
  if (fn.triggers.some((t) => t.Type === "http" && t.Qualifier === (p.Qualifier ?? "$LATEST")))
    return `function ${String(p.FunctionName)} already has a function URL for ${String(p.Qualifier)}`;
  return undefined;
}
