// The environment is declared in zod's functional vocabulary and parsed by env-schema.ts, a small
// implementation of that vocabulary: this module loads on every cold start of every function, and
// zod itself cost ~3.5 ms of CPU there (see env-schema.ts).
import { ConfigError } from "../errors/config-error";
import * as z from "./env-schema";
import { isTrivialKeyDigest } from "../auth/weak-keys";
import { MIN_TOKEN_LENGTH, runsOnScf, secretWeakness } from "./secret-strength";
import type { AuthSettings } from "../auth/api-keys";
import type { CallbackSettings } from "../callback/receive-callback";
import type { EssEndpoint, EssService } from "../ess/endpoint";
import type { ConfiguredIdentity } from "../ess/port";
import type { SdkAdapterSettings } from "../ess/sdk-adapter";
import type { ObjectStoreSettings } from "../object-store/port";
import { endpointWarnings, parseEndpoint, productionEndpoint } from "./ess-endpoints";

/*
 * Configuration, read once from the environment at module load of each function and parsed with
 * zod. A missing or bad variable fails start-up with a message that names the variable; values are
 * never echoed (they may be secrets).
 */

export type Env = Record<string, string | undefined>;

/**
 * What the deploy engine makes of a setting the deployer left unset: the Components CLI resolves an
 * unset `${env:X}` to nothing, and inside serverless.yml's `environments` list the component and the
 * toolkit then send the text "undefined" (toolkit scf/utils.js: `Value: String(val)`).
 */
const DEPLOY_UNSET = "undefined";

/** "", whitespace and the deploy engine's "undefined" count as unset. */
const isUnset = (v: string | undefined): v is undefined => v === undefined || v.trim() === "" || v.trim() === DEPLOY_UNSET;

/** A trimmed value, or undefined when unset. */
const optionalNonEmpty = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (isUnset(v) ? undefined : v.trim())),
);
const booleanFlag = (defaultValue: boolean) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (isUnset(v)) return defaultValue;
      const s = v.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      ctx.issues.push({ code: "custom", message: "must be true or false", input: v });
      return z.NEVER;
    }),
  );
const positiveInt = (defaultValue: number, max: number) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (isUnset(v)) return defaultValue;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0 || n > max) {
        ctx.issues.push({ code: "custom", message: `must be a whole number from 1 to ${max}`, input: v });
        return z.NEVER;
      }
      return n;
    }),
  );
/** One of `values`, or unset. */
const optionalOneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.pipe(optionalNonEmpty, z.optional(z.enum(values, { error: `must be one of ${values.join(", ")}` })));

/** Parses `schema` over `env` and turns zod issues into messages that name variables only. */
function parseSection<T extends z.ZodMiniType>(schema: T, env: Env): z.output<T> {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.length > 0 ? issue.path.join(".") : "environment";
      const missing = (issue.code === "invalid_type" && issue.input === undefined) || (issue.code === "too_small" && issue.minimum === 1);
      const what = missing ? "is required" : issue.message;
      return `${variable} ${what}`;
    }),
  );
}

/**
 * Runs each section's reader over `env` and returns their results by name; when any section is
 * invalid, throws one ConfigError with the problems of every section, so a deployment learns all
 * it must fix from one start (and one line, see shared/http/start-handler.ts).
 */
export function readSections<const R extends Record<string, (env: Env) => unknown>>(
  env: Env,
  readers: R,
): { [K in keyof R]: ReturnType<R[K]> } {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, read] of Object.entries(readers)) {
    try {
      out[name] = read(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.filter((p) => !problems.includes(p)));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as { [K in keyof R]: ReturnType<R[K]> };
}

// ---------------------------------------------------------------------------------------------
// ESS access

/**
 * The ESS section: what the SDK adapter is built with (credentials, region, one endpoint per edition
 * and one for `UploadFiles`, Tencent's production hosts by default; the call timeout), the caller
 * identity the use cases apply and pin, and what to say once when the function starts.
 */
export interface EssConfig extends SdkAdapterSettings {
  /** Said once per container when the function starts (e.g. a deployed function on the 联调 test environment). */
  warnings: string[];
  /** Default caller identity, applied when a request body omits it (and pinned, see auth). */
  identity: ConfiguredIdentity;
}

/** An endpoint setting for `service` (ess-endpoints.ts): bare host → https, http:// only for loopback. */
const endpointSetting = (service: EssService) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx): EssEndpoint | undefined => {
      if (isUnset(v)) return undefined;
      const parsed = parseEndpoint(v, service);
      if ("endpoint" in parsed) return parsed.endpoint;
      ctx.issues.push({ code: "custom", message: parsed.problem, input: v });
      return z.NEVER;
    }),
  );

const essSchema = z
  .object({
    ESS_SECRET_ID: optionalNonEmpty,
    ESS_SECRET_KEY: optionalNonEmpty,
    TENCENTCLOUD_SECRETID: optionalNonEmpty,
    TENCENTCLOUD_SECRETKEY: optionalNonEmpty,
    TENCENTCLOUD_SESSIONTOKEN: optionalNonEmpty,
    ESS_REGION: optionalNonEmpty,
    ESS_ENDPOINT: endpointSetting("ess"),
    ESSBASIC_ENDPOINT: endpointSetting("essbasic"),
    ESS_FILE_ENDPOINT: endpointSetting("file"),
    TENCENTCLOUD_RUNENV: optionalNonEmpty,
    ESS_TIMEOUT_MS: positiveInt(15_000, 900_000),
    ESS_OPERATOR_USER_ID: optionalNonEmpty,
    ESS_PROXY_ORGANIZATION_ID: optionalNonEmpty,
    ESSBASIC_APP_ID: optionalNonEmpty,
    ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: optionalNonEmpty,
    ESSBASIC_PROXY_OPERATOR_OPEN_ID: optionalNonEmpty,
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.ESS_SECRET_ID !== undefined || env.ESS_SECRET_KEY !== undefined) {
        if (env.ESS_SECRET_ID === undefined)
          ctx.addIssue({ code: "custom", path: ["ESS_SECRET_ID"], message: "is required when ESS_SECRET_KEY is set" });
        if (env.ESS_SECRET_KEY === undefined)
          ctx.addIssue({ code: "custom", path: ["ESS_SECRET_KEY"], message: "is required when ESS_SECRET_ID is set" });
      } else if (env.TENCENTCLOUD_SECRETID === undefined || env.TENCENTCLOUD_SECRETKEY === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["ESS_SECRET_ID"],
          message: "and ESS_SECRET_KEY are required (or TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY from the function role)",
        });
      }
    }),
  );

export function readEssConfig(env: Env): EssConfig {
  const e = parseSection(essSchema, env);
  const endpoints = {
    ess: e.ESS_ENDPOINT ?? productionEndpoint("ess"),
    essbasic: e.ESSBASIC_ENDPOINT ?? productionEndpoint("essbasic"),
    file: e.ESS_FILE_ENDPOINT ?? productionEndpoint("file"),
  };
  const explicit = e.ESS_SECRET_ID !== undefined;
  const token = explicit ? undefined : e.TENCENTCLOUD_SESSIONTOKEN;
  return {
    credentials: {
      secretId: (explicit ? e.ESS_SECRET_ID : e.TENCENTCLOUD_SECRETID)!,
      secretKey: (explicit ? e.ESS_SECRET_KEY : e.TENCENTCLOUD_SECRETKEY)!,
      token,
    },
    region: e.ESS_REGION ?? "ap-guangzhou",
    endpoints,
    warnings: endpointWarnings(endpoints, runsOnScf(e)),
    timeoutMs: e.ESS_TIMEOUT_MS,
    identity: {
      operatorUserId: e.ESS_OPERATOR_USER_ID,
      proxyOrganizationId: e.ESS_PROXY_ORGANIZATION_ID,
      essbasicAppId: e.ESSBASIC_APP_ID,
      proxyOrganizationOpenId: e.ESSBASIC_PROXY_ORGANIZATION_OPEN_ID,
      proxyOperatorOpenId: e.ESSBASIC_PROXY_OPERATOR_OPEN_ID,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Status store

const storeSchema = z
  .object({
    STORE: optionalOneOf(["file", "cos"]),
    STORE_DIR: optionalNonEmpty,
    STORE_FSYNC: booleanFlag(true),
    COS_BUCKET: optionalNonEmpty,
    COS_REGION: optionalNonEmpty,
    COS_PREFIX: optionalNonEmpty,
    COS_SECRET_ID: optionalNonEmpty,
    COS_SECRET_KEY: optionalNonEmpty,
    COS_ENDPOINT: optionalNonEmpty,
    TENCENTCLOUD_SECRETID: optionalNonEmpty,
    TENCENTCLOUD_SECRETKEY: optionalNonEmpty,
    TENCENTCLOUD_SESSIONTOKEN: optionalNonEmpty,
  })
  .check(
    z.superRefine((env, ctx) => {
      const kind = env.STORE ?? (env.COS_BUCKET !== undefined ? "cos" : "file");
      if (kind !== "cos") return;
      if (env.COS_BUCKET === undefined) ctx.addIssue({ code: "custom", path: ["COS_BUCKET"], message: "is required when STORE=cos" });
      if (env.COS_REGION === undefined) ctx.addIssue({ code: "custom", path: ["COS_REGION"], message: "is required for the COS store" });
      const explicit = env.COS_SECRET_ID !== undefined || env.COS_SECRET_KEY !== undefined;
      if (explicit && (env.COS_SECRET_ID === undefined || env.COS_SECRET_KEY === undefined))
        ctx.addIssue({ code: "custom", path: ["COS_SECRET_ID"], message: "and COS_SECRET_KEY must be set together" });
      if (!explicit && (env.TENCENTCLOUD_SECRETID === undefined || env.TENCENTCLOUD_SECRETKEY === undefined))
        ctx.addIssue({
          code: "custom",
          path: ["COS_SECRET_ID"],
          message: "and COS_SECRET_KEY are required (or TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY from the function role)",
        });
    }),
  );

export function readStoreConfig(env: Env): ObjectStoreSettings {
  const e = parseSection(storeSchema, env);
  const kind = e.STORE ?? (e.COS_BUCKET !== undefined ? "cos" : "file");
  if (kind === "file") return { kind: "file", dir: e.STORE_DIR ?? ".data", fsync: e.STORE_FSYNC };
  const explicit = e.COS_SECRET_ID !== undefined;
  const token = explicit ? undefined : e.TENCENTCLOUD_SESSIONTOKEN;
  const prefix = (e.COS_PREFIX ?? "ess-status/").replace(/^\/+/, "");
  return {
    kind: "cos",
    bucket: e.COS_BUCKET!,
    region: e.COS_REGION!,
    prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
    credentials: {
      secretId: (explicit ? e.COS_SECRET_ID : e.TENCENTCLOUD_SECRETID)!,
      secretKey: (explicit ? e.COS_SECRET_KEY : e.TENCENTCLOUD_SECRETKEY)!,
      token,
    },
    endpoint: e.COS_ENDPOINT,
  };
}

// ---------------------------------------------------------------------------------------------
// Callback receiver

/** Default window of the query form's `timestamp`, either way. */
export const DEFAULT_SIGNATURE_MAX_AGE_SECONDS = 300;

const callbackSchema = z
  .object({
    ESS_CALLBACK_KEY: z.pipe(
      optionalNonEmpty,
      z
        .string({ error: "is required" })
        .check(z.refine((v) => Buffer.byteLength(v, "utf8") === 32, "must be the 32-byte callback key from the ESS console")),
    ),
    ESS_CALLBACK_TOKEN: optionalNonEmpty,
    CALLBACK_STRICT: booleanFlag(false),
    CALLBACK_ACCEPT_LEGACY_V1: booleanFlag(false),
    CALLBACK_SIGNATURE_MAX_AGE_SECONDS: positiveInt(DEFAULT_SIGNATURE_MAX_AGE_SECONDS, 86_400),
    TENCENTCLOUD_RUNENV: optionalNonEmpty,
  })
  .check(
    z.superRefine((env, ctx) => {
      const keyWeakness = secretWeakness(env.ESS_CALLBACK_KEY, 32);
      if (keyWeakness !== undefined) ctx.addIssue({ code: "custom", path: ["ESS_CALLBACK_KEY"], message: keyWeakness });
      if (env.ESS_CALLBACK_TOKEN !== undefined) {
        const tokenWeakness = secretWeakness(env.ESS_CALLBACK_TOKEN, MIN_TOKEN_LENGTH);
        if (tokenWeakness !== undefined) ctx.addIssue({ code: "custom", path: ["ESS_CALLBACK_TOKEN"], message: tokenWeakness });
      } else if (env.CALLBACK_ACCEPT_LEGACY_V1) {
        ctx.addIssue({
          code: "custom",
          path: ["CALLBACK_ACCEPT_LEGACY_V1"],
          message: "needs ESS_CALLBACK_TOKEN: a legacy v1 message is not encrypted, so only its Content-Signature proves ESS sent it",
        });
      } else if (runsOnScf(env)) {
        ctx.addIssue({
          code: "custom",
          path: ["ESS_CALLBACK_TOKEN"],
          message: "is required on SCF: set the callback token from the ESS console, so that only ESS can post callbacks",
        });
      }
    }),
  );

export function readCallbackConfig(env: Env): CallbackSettings {
  const e = parseSection(callbackSchema, env);
  return {
    key: e.ESS_CALLBACK_KEY,
    token: e.ESS_CALLBACK_TOKEN,
    strict: e.CALLBACK_STRICT,
    acceptLegacyV1: e.CALLBACK_ACCEPT_LEGACY_V1,
    signatureMaxAgeSeconds: e.CALLBACK_SIGNATURE_MAX_AGE_SECONDS,
  };
}

/**
 * What a callback configuration allows that a deployment should not, said once per container when
 * the function loads (outside SCF; on SCF these settings are refused).
 */
export function callbackWarnings(config: CallbackSettings): string[] {
  if (config.token !== undefined) return [];
  return [
    "ESS_CALLBACK_TOKEN is not set: callbacks are accepted without a signature, and anyone who can reach this URL and knows " +
      "ESS_CALLBACK_KEY could post one; a deployed function (TENCENTCLOUD_RUNENV=SCF) refuses to start like this",
  ];
}

// ---------------------------------------------------------------------------------------------
// API authentication

const authSchema = z
  .object({
    API_KEY_HASHES: optionalNonEmpty,
    AUTH_DISABLED: booleanFlag(false),
    TENCENTCLOUD_RUNENV: optionalNonEmpty,
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.AUTH_DISABLED && runsOnScf(env)) {
        ctx.addIssue({
          code: "custom",
          path: ["AUTH_DISABLED"],
          message: "is refused on SCF (TENCENTCLOUD_RUNENV=SCF): a deployed function always checks API keys; set API_KEY_HASHES",
        });
      }
      if (env.API_KEY_HASHES === undefined && !env.AUTH_DISABLED) {
        ctx.addIssue({
          code: "custom",
          path: ["API_KEY_HASHES"],
          message:
            "is required: comma-separated SHA-256 hex digests of the API keys (npm run api-key makes one); " +
            "set AUTH_DISABLED=true only for local use",
        });
      }
      if (env.API_KEY_HASHES !== undefined) {
        const digests = env.API_KEY_HASHES.split(",").map((h) => h.trim());
        const bad = digests.filter((h) => !/^[0-9a-fA-F]{64}$/.test(h));
        if (bad.length > 0)
          ctx.addIssue({ code: "custom", path: ["API_KEY_HASHES"], message: "must list 64-hex-digit SHA-256 digests separated by commas" });
        else if (digests.some(isTrivialKeyDigest)) {
          ctx.addIssue({
            code: "custom",
            path: ["API_KEY_HASHES"],
            message: 'lists the digest of a well-known trivial key (such as "test" or "password"); make keys with npm run api-key',
          });
        }
      }
    }),
  );

export function readAuthConfig(env: Env): AuthSettings {
  const e = parseSection(authSchema, env);
  if (e.API_KEY_HASHES === undefined) return { mode: "disabled" };
  return { mode: "api-keys", keyHashes: e.API_KEY_HASHES.split(",").map((h) => Buffer.from(h.trim().toLowerCase(), "hex")) };
}

// ---------------------------------------------------------------------------------------------
// Idempotent create

export interface IdempotencyConfig {
  ttlMs: number;
  staleAfterMs: number;
}

const idempotencySchema = z.object({
  IDEMPOTENCY_TTL_SECONDS: positiveInt(86_400, 30 * 86_400),
  IDEMPOTENCY_PENDING_STALE_SECONDS: positiveInt(120, 86_400),
});

export function readIdempotencyConfig(env: Env): IdempotencyConfig {
  const e = parseSection(idempotencySchema, env);
  return { ttlMs: e.IDEMPOTENCY_TTL_SECONDS * 1000, staleAfterMs: e.IDEMPOTENCY_PENDING_STALE_SECONDS * 1000 };
}

// ---------------------------------------------------------------------------------------------
// Push notifications and the outbox

/** Shortest notification secret accepted (it signs every notification: `openssl rand -hex 32` makes a good one). */
export const MIN_NOTIFY_SECRET_LENGTH = 24;

/** What the outbox function needs to push notifications. */
export interface NotifyConfig {
  url: URL;
  secret: string;
  /** One delivery attempt's limit. */
  timeoutMs: number;
}

const notifyUrlSchema = z.pipe(
  optionalNonEmpty,
  z.transform((v, ctx): URL | undefined => {
    if (v === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.issues.push({ code: "custom", message: "must be a URL like https://backend.example.com/ess-events", input: v });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.issues.push({ code: "custom", message: "must be an http(s) URL", input: v });
      return z.NEVER;
    }
    if (url.username !== "" || url.password !== "") {
      ctx.issues.push({ code: "custom", message: "must not carry credentials: the signature authenticates each notification", input: v });
      return z.NEVER;
    }
    return url;
  }),
);

const outboxMarkingSchema = z.object({
  NOTIFY_URL: notifyUrlSchema,
  ARCHIVE_SIGNED_FILES: booleanFlag(true),
});

const notifySchema = z
  .object({
    NOTIFY_URL: notifyUrlSchema,
    NOTIFY_SECRET: optionalNonEmpty,
    NOTIFY_TIMEOUT_MS: positiveInt(10_000, 30_000),
    TENCENTCLOUD_RUNENV: optionalNonEmpty,
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.NOTIFY_URL === undefined) {
        if (env.NOTIFY_SECRET !== undefined) {
          ctx.addIssue({ code: "custom", path: ["NOTIFY_URL"], message: "is required when NOTIFY_SECRET is set" });
        }
        return;
      }
      if (env.NOTIFY_SECRET === undefined) {
        const message = "is required when NOTIFY_URL is set: it signs every notification";
        ctx.addIssue({ code: "custom", path: ["NOTIFY_SECRET"], message });
      } else {
        const weakness = secretWeakness(env.NOTIFY_SECRET, MIN_NOTIFY_SECRET_LENGTH);
        if (weakness !== undefined) ctx.addIssue({ code: "custom", path: ["NOTIFY_SECRET"], message: weakness });
      }
      if (runsOnScf(env) && env.NOTIFY_URL.protocol !== "https:") {
        ctx.addIssue({
          code: "custom",
          path: ["NOTIFY_URL"],
          message: "must be https on SCF: notifications carry the group's approvers (names, mobiles) across the internet",
        });
      }
    }),
  );

/** What every function that records events must know: whether to leave change markers for the outbox. */
export function readOutboxMarking(env: Env): { notify: boolean; archive: boolean } {
  const e = parseSection(outboxMarkingSchema, env);
  return { notify: e.NOTIFY_URL !== undefined, archive: e.ARCHIVE_SIGNED_FILES };
}

/** The outbox function's notification settings; undefined when `NOTIFY_URL` is not set (no notifications). */
export function readNotifyConfig(env: Env): NotifyConfig | undefined {
  const e = parseSection(notifySchema, env);
  if (e.NOTIFY_URL === undefined) return undefined;
  return { url: e.NOTIFY_URL, secret: e.NOTIFY_SECRET!, timeoutMs: e.NOTIFY_TIMEOUT_MS };
}

// ---------------------------------------------------------------------------------------------
// Logging

// An empty value counts as unset: a deployment binds ${env:LOG_LEVEL} even when the deployer set nothing.
const logSchema = z.object({
  LOG_LEVEL: optionalOneOf(["debug", "info", "warn", "error"]),
});

export function readLogLevel(env: Env): "debug" | "info" | "warn" | "error" {
  return parseSection(logSchema, env).LOG_LEVEL ?? "info";
}

/** How a deployment provides a variable (checked against serverless.yml by `npm run check:deploy`). */
export type DeployBinding =
  /** `${env:NAME}` from the deployer's environment. */
  | "env"
  /** A fixed value written in serverless.yml. */
  | "fixed"
  /** Set by SCF itself (the function role's temporary credentials): never in serverless.yml. */
  | "runtime"
  /** Local stack and tests only: must not appear in serverless.yml. */
  | "local-only";

export interface ConfigVariable {
  /** The functions that read it. */
  functions: string[];
  deploy: DeployBinding;
  /** A deployment does not work without it. */
  required?: boolean;
  secret?: boolean;
}

/** The functions that use the status store. */
const ALL = ["create-group", "callback", "group-status", "group-actions", "outbox"];
/** Every function (upload-files keeps nothing: it has no store settings). */
const EVERY = [...ALL, "upload-files"];
const ESS_READERS = ["create-group", "group-status", "group-actions", "upload-files", "outbox"];
/** Functions that record events, and so leave change markers for the outbox. */
const EVENT_WRITERS = ["create-group", "callback", "group-status", "group-actions"];
/** Functions that check API keys (the outbox has no HTTP route). */
const API_FUNCTIONS = ["create-group", "group-status", "group-actions", "upload-files"];

/**
 * Every variable any function reads, with the functions that read it and how a deployment
 * provides it. The offline deploy check compares `serverless.yml` against this list.
 */
export const CONFIG_VARIABLES: Record<string, ConfigVariable> = {
  ESS_SECRET_ID: { functions: ESS_READERS, deploy: "env", secret: true },
  ESS_SECRET_KEY: { functions: ESS_READERS, deploy: "env", secret: true },
  TENCENTCLOUD_SECRETID: { functions: EVERY, deploy: "runtime", secret: true },
  TENCENTCLOUD_SECRETKEY: { functions: EVERY, deploy: "runtime", secret: true },
  TENCENTCLOUD_SESSIONTOKEN: { functions: EVERY, deploy: "runtime", secret: true },
  /** Set by SCF itself to `SCF`: how the functions know they are deployed (weak settings are refused there). */
  TENCENTCLOUD_RUNENV: { functions: EVERY, deploy: "runtime" },
  ESS_REGION: { functions: ESS_READERS, deploy: "env" },
  ESS_ENDPOINT: { functions: ESS_READERS, deploy: "env" },
  ESSBASIC_ENDPOINT: { functions: ESS_READERS, deploy: "env" },
  ESS_FILE_ENDPOINT: { functions: ESS_READERS, deploy: "env" },
  ESS_TIMEOUT_MS: { functions: ESS_READERS, deploy: "env" },
  ESS_OPERATOR_USER_ID: { functions: ESS_READERS, deploy: "env" },
  ESS_PROXY_ORGANIZATION_ID: { functions: ESS_READERS, deploy: "env" },
  ESSBASIC_APP_ID: { functions: ESS_READERS, deploy: "env" },
  ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: { functions: ESS_READERS, deploy: "env" },
  ESSBASIC_PROXY_OPERATOR_OPEN_ID: { functions: ESS_READERS, deploy: "env" },
  ESS_CALLBACK_KEY: { functions: ["callback"], deploy: "env", required: true, secret: true },
  ESS_CALLBACK_TOKEN: { functions: ["callback"], deploy: "env", required: true, secret: true },
  CALLBACK_STRICT: { functions: ["callback"], deploy: "env" },
  CALLBACK_ACCEPT_LEGACY_V1: { functions: ["callback"], deploy: "env" },
  CALLBACK_SIGNATURE_MAX_AGE_SECONDS: { functions: ["callback"], deploy: "env" },
  STORE: { functions: ALL, deploy: "fixed", required: true },
  STORE_DIR: { functions: ALL, deploy: "local-only" },
  STORE_FSYNC: { functions: ALL, deploy: "local-only" },
  COS_BUCKET: { functions: ALL, deploy: "env", required: true },
  COS_REGION: { functions: ALL, deploy: "env", required: true },
  COS_PREFIX: { functions: ALL, deploy: "env" },
  COS_SECRET_ID: { functions: ALL, deploy: "env", secret: true },
  COS_SECRET_KEY: { functions: ALL, deploy: "env", secret: true },
  COS_ENDPOINT: { functions: ALL, deploy: "local-only" },
  LOG_LEVEL: { functions: EVERY, deploy: "env" },
  API_KEY_HASHES: { functions: API_FUNCTIONS, deploy: "env", required: true },
  AUTH_DISABLED: { functions: API_FUNCTIONS, deploy: "local-only" },
  IDEMPOTENCY_TTL_SECONDS: { functions: ["create-group"], deploy: "env" },
  IDEMPOTENCY_PENDING_STALE_SECONDS: { functions: ["create-group"], deploy: "env" },
  NOTIFY_URL: { functions: [...EVENT_WRITERS, "outbox"], deploy: "env" },
  NOTIFY_SECRET: { functions: ["outbox"], deploy: "env", secret: true },
  NOTIFY_TIMEOUT_MS: { functions: ["outbox"], deploy: "env" },
  ARCHIVE_SIGNED_FILES: { functions: ["callback", "group-status", "outbox"], deploy: "env" },
};
