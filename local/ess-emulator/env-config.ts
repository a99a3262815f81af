import { z } from "zod";
import { normalizeFaults, type FaultConfigError, type Faults } from "./faults";
import type { EmulatorOptions } from "./index";

/**
 * The emulator's configuration from environment variables (`npm run emulator`). Parsed once; a bad
 * variable stops the start with a message naming it.
 */

export class EmulatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid emulator configuration: ${problems.join("; ")}`);
    this.name = "EmulatorConfigError";
  }
}

type Env = Record<string, string | undefined>;

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const url = text.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), { message: "must be an http(s) URL" });
const int = (min: number, max: number) =>
  text.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });
const rate = text.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    ctx.addIssue({ code: "custom", message: "must be a number from 0 to 1" });
    return z.NEVER;
  }
  return n;
});
const flag = text.transform((v, ctx) => {
  if (v === undefined) return undefined;
  if (["1", "true", "yes", "on"].includes(v.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(v.toLowerCase())) return false;
  ctx.addIssue({ code: "custom", message: "must be true or false" });
  return z.NEVER;
});

const schema = z.object({
  EMULATOR_HOST: text,
  EMULATOR_PORT: int(0, 65535),
  EMULATOR_FILE_PORT: int(0, 65535),
  EMULATOR_PUBLIC_URL: url,
  EMULATOR_FIXTURE: text,
  EMULATOR_STATE_FILE: text,
  EMULATOR_SECRET_ID: text,
  EMULATOR_SECRET_KEY: text,
  EMULATOR_CALLBACK_URL: url,
  EMULATOR_CALLBACK_URL_ESS: url,
  EMULATOR_CALLBACK_URL_ESSBASIC: url,
  EMULATOR_CALLBACK_KEY: text.refine((v) => v === undefined || Buffer.byteLength(v, "utf8") === 32, {
    message: "must be exactly 32 bytes",
  }),
  /** `none` disables the Content-Signature header. */
  EMULATOR_CALLBACK_TOKEN: text,
  EMULATOR_CALLBACK_MAX_ATTEMPTS: int(1, 100),
  EMULATOR_CALLBACK_RETRY_DELAY_MS: int(0, 3_600_000),
  EMULATOR_CALLBACK_TIMEOUT_MS: int(1, 600_000),
  EMULATOR_RATE_LIMIT: int(0, 1_000_000),
  EMULATOR_STRICT_PARAMETERS: flag,
  EMULATOR_ID_SEED: int(0, 2 ** 32 - 1),
  EMULATOR_FAULT_SEED: int(0, 2 ** 32 - 1),
  EMULATOR_FAULT_LATENCY_MS: int(0, 600_000),
  EMULATOR_FAULT_INTERNAL_ERROR_RATE: rate,
  EMULATOR_FAULT_INTERNAL_ERROR_NEXT: int(0, 1_000_000),
  EMULATOR_FAULT_REQUEST_LIMIT_NEXT: int(0, 1_000_000),
  EMULATOR_FAULT_HANG_NEXT: int(0, 1_000_000),
  EMULATOR_FAULT_HANG_RATE: rate,
  EMULATOR_FAULT_ACTIONS: text,
  EMULATOR_FAULT_CALLBACK_DUPLICATE_RATE: rate,
  EMULATOR_FAULT_CALLBACK_SHUFFLE: flag,
  EMULATOR_FAULT_CALLBACK_DELAY_MS: int(0, 3_600_000),
  EMULATOR_FAULT_CALLBACK_DROP_FIRST_RATE: rate,
  EMULATOR_FAULT_CALLBACK_CORRUPT_SIGNATURE_RATE: rate,
  EMULATOR_FAULT_SIGNED_FILE_COMPOSE_MS: int(0, 600_000),
});

/** Default port of `npm run emulator`. */
export const DEFAULT_PORT = 9000;
/** Default port of its file host (UploadFiles). */
export const DEFAULT_FILE_PORT = 9001;

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Emulator options from `EMULATOR_*` variables (see README). */
export function readEmulatorEnv(env: Env): EmulatorOptions {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new EmulatorConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  const e = parsed.data;
  if ((e.EMULATOR_SECRET_ID === undefined) !== (e.EMULATOR_SECRET_KEY === undefined))
    throw new EmulatorConfigError(["EMULATOR_SECRET_ID and EMULATOR_SECRET_KEY must be set together"]);
  let faults: Faults;
  try {
    faults = normalizeFaults(
      defined({
        seed: e.EMULATOR_FAULT_SEED,
        latencyMs: e.EMULATOR_FAULT_LATENCY_MS,
        internalErrorRate: e.EMULATOR_FAULT_INTERNAL_ERROR_RATE,
        internalErrorNext: e.EMULATOR_FAULT_INTERNAL_ERROR_NEXT,
        requestLimitNext: e.EMULATOR_FAULT_REQUEST_LIMIT_NEXT,
        hangNext: e.EMULATOR_FAULT_HANG_NEXT,
        hangRate: e.EMULATOR_FAULT_HANG_RATE,
        actions: e.EMULATOR_FAULT_ACTIONS?.split(",")
          .map((a) => a.trim())
          .filter((a) => a !== ""),
        callbackDuplicateRate: e.EMULATOR_FAULT_CALLBACK_DUPLICATE_RATE,
        callbackShuffle: e.EMULATOR_FAULT_CALLBACK_SHUFFLE,
        callbackDelayMs: e.EMULATOR_FAULT_CALLBACK_DELAY_MS,
        callbackDropFirstRate: e.EMULATOR_FAULT_CALLBACK_DROP_FIRST_RATE,
        callbackCorruptSignatureRate: e.EMULATOR_FAULT_CALLBACK_CORRUPT_SIGNATURE_RATE,
        signedFileComposeMs: e.EMULATOR_FAULT_SIGNED_FILE_COMPOSE_MS,
      }),
    );
  } catch (error) {
    throw new EmulatorConfigError([(error as FaultConfigError).message]);
  }
  const essUrl = e.EMULATOR_CALLBACK_URL_ESS ?? e.EMULATOR_CALLBACK_URL;
  const essbasicUrl = e.EMULATOR_CALLBACK_URL_ESSBASIC ?? e.EMULATOR_CALLBACK_URL;
  const token =
    e.EMULATOR_CALLBACK_TOKEN === undefined
      ? undefined
      : e.EMULATOR_CALLBACK_TOKEN.toLowerCase() === "none"
        ? null
        : e.EMULATOR_CALLBACK_TOKEN;
  return {
    host: e.EMULATOR_HOST ?? "127.0.0.1",
    port: e.EMULATOR_PORT ?? DEFAULT_PORT,
    filePort: e.EMULATOR_FILE_PORT ?? DEFAULT_FILE_PORT,
    ...defined({ publicUrl: e.EMULATOR_PUBLIC_URL, fixture: e.EMULATOR_FIXTURE, stateFile: e.EMULATOR_STATE_FILE }),
    ...(e.EMULATOR_SECRET_ID !== undefined ? { credentials: { secretId: e.EMULATOR_SECRET_ID, secretKey: e.EMULATOR_SECRET_KEY! } } : {}),
    callback: {
      ...defined({ key: e.EMULATOR_CALLBACK_KEY }),
      ...(token !== undefined ? { token } : {}),
      urls: defined({ ess: essUrl, essbasic: essbasicUrl }),
      retry: defined({
        maxAttempts: e.EMULATOR_CALLBACK_MAX_ATTEMPTS,
        initialDelayMs: e.EMULATOR_CALLBACK_RETRY_DELAY_MS,
        timeoutMs: e.EMULATOR_CALLBACK_TIMEOUT_MS,
      }),
    },
    faults,
    ...defined({ rateLimitPerSecond: e.EMULATOR_RATE_LIMIT, strictParameters: e.EMULATOR_STRICT_PARAMETERS, idSeed: e.EMULATOR_ID_SEED }),
  };
}
