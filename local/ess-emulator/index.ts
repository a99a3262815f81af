import { defaultFixture, loadFixture, parseFixture, type Fixture, type FixtureInput } from "./core/fixture";
import type { Edition } from "./core/model";
import { assertCallbackKey } from "./callbacks/crypto";
import { DEFAULT_RETRY, type DeliveryLog, type RetryPolicy } from "./callbacks/dispatcher";
import type { DeliveryEntry } from "./callbacks/delivery-feed";
import { EmulatorEngine, type EmulatorStats } from "./engine";
import { normalizeFaults, type Faults } from "./faults";
import { cancel, expire, fill, reject, sign, type FillInput, type OperationResult, type Selector } from "./admin/operations";
import type { StateView } from "./admin/views";
import { listen, type EmulatorServer } from "./server";
import { blobDirOf, createStateWriter, loadState, type StateWriter } from "./state-file";

/**
 * The offline ESS emulator: a Tencent Cloud API 3.0 endpoint for both ESS editions that the
 * official SDK talks to unchanged, with simulated signers, encrypted callbacks and fault injection.
 *
 *   const emulator = await startEmulator();
 *   const client = new ess.v20201111.Client({ credential: emulator.credentials,
 *     profile: { httpProfile: { endpoint: emulator.endpoint, protocol: "http://" } } });
 */

export type { Edition } from "./core/model";
export type { Faults } from "./faults";
export type { EmulatorStats } from "./engine";
export type { StateView, GroupView, FlowView, ApproverView } from "./admin/views";
export type { Selector, FillInput, OperationResult } from "./admin/operations";
export type { RetryPolicy, CallbackStats, DeliveryLog, DeliveryResult } from "./callbacks/dispatcher";
export type { DeliveryEntry } from "./callbacks/delivery-feed";
export { clearEmulatorState } from "./state-file";
export type { FixtureInput } from "./core/fixture";

/** Well-known development credentials, printed at start: the emulator guards nothing real. */
export const DEFAULT_CREDENTIALS = {
  secretId: "AKIDEssEmulatorLocalDevSecretId00001",
  secretKey: "EssEmulatorLocalDevSecretKey0001",
} as const;

/** Development callback key (exactly 32 bytes, as ESS's) and token. */
export const DEFAULT_CALLBACK_KEY = "EssEmulatorDevCallbackKey32Bytes";
/** Development callback token (HMAC key of `Content-Signature`). */
export const DEFAULT_CALLBACK_TOKEN = "ess-emulator-dev-callback-token";

/** Options of `startEmulator`; every one has a default. */
export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /**
   * Port of the file host, which serves UploadFiles as file.ess.tencent.cn does (bodies up to
   * 100 MB); default 0 (a free port). Point the SDK client used for uploads at `fileEndpoint`.
   */
  filePort?: number;
  /** A fixture file path or object; default `fixtures/default.json`. */
  fixture?: string | FixtureInput;
  /** API keys accepted besides the fixture's; default the well-known development key. */
  credentials?: { secretId: string; secretKey: string; token?: string } | Array<{ secretId: string; secretKey: string; token?: string }>;
  callback?: {
    /** 32-byte AES key; default `DEFAULT_CALLBACK_KEY`. */
    key?: string;
    /** HMAC token for `Content-Signature`; default `DEFAULT_CALLBACK_TOKEN`; null or "" sends no signature. */
    token?: string | null;
    urls?: Partial<Record<Edition, string>>;
    retry?: Partial<RetryPolicy>;
    /** Deliveries in flight at once; 1 (default) keeps the natural order. */
    concurrency?: number;
  };
  faults?: Faults;
  /** State is loaded from and saved to this JSON file. */
  stateFile?: string;
  /** Server clock in epoch milliseconds (signature expiry, deadlines, OccurTime). */
  clock?: () => number;
  /** Makes generated ids reproducible. */
  idSeed?: number;
  /** Default 20 (ESS's documented limit); 0 disables it. */
  rateLimitPerSecond?: number;
  /** Default true: parameters unknown to the SDK models are refused with `UnknownParameter`. */
  strictParameters?: boolean;
  /** Base URL put into sign links; default `http://<host>:<port>`. */
  publicUrl?: string;
  /** One structured record per API call, callback attempt and unexpected error (no personal data). */
  log?: (record: Record<string, unknown>) => void;
}

/** A started emulator and the helpers tests and the local stack drive it with. */
export interface RunningEmulator {
  /** `http://host:port` */
  url: string;
  port: number;
  /** `host:port`, what the SDK's `httpProfile.endpoint` wants (with `protocol: "http://"`). */
  endpoint: string;
  /** The file host (UploadFiles only, large bodies): `http://host:filePort`. */
  fileUrl: string;
  filePort: number;
  /** `host:filePort`, the endpoint of the SDK client that uploads (ESS: file.ess.tencent.cn). */
  fileEndpoint: string;
  credentials: { secretId: string; secretKey: string };
  callback: { key: string; token?: string };
  stop(): Promise<void>;
  /** Back to the fixture: groups, uploads, quota use, counters, faults and pending callbacks are cleared. */
  reset(): void;
  setCallbackUrl(edition: Edition, url: string | undefined): void;
  setFaults(faults: Faults): void;
  stats(): EmulatorStats;
  state(flowGroupId?: string): StateView;
  sign(selector: Selector): OperationResult;
  reject(selector: Selector, message?: string): OperationResult;
  cancel(selector: Selector, message?: string): OperationResult;
  expire(selector: Selector): OperationResult;
  fill(selector: Selector, identity: FillInput): OperationResult;
  /** Resolves when no callback is queued, in flight or waiting for a retry. */
  waitForCallbacksIdle(timeoutMs?: number): Promise<void>;
  /** Delivery attempts after `seq` (default: all kept), oldest first; as `GET /_emulator/deliveries`. */
  deliveries(afterSeq?: number): DeliveryEntry[];
  /** Calls `listener` for each later delivery attempt (delivered, retrying or failed); returns the unsubscribe function. */
  onDelivery(listener: (entry: DeliveryEntry) => void): () => void;
}

function resolveFixture(fixture: EmulatorOptions["fixture"]): Fixture {
  if (fixture === undefined) return defaultFixture();
  return typeof fixture === "string" ? loadFixture(fixture) : parseFixture(fixture);
}

/** Starts an emulator on `host:port` (default 127.0.0.1, a free port) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const key = options.callback?.key ?? DEFAULT_CALLBACK_KEY;
  assertCallbackKey(key);
  const token = options.callback?.token === undefined ? DEFAULT_CALLBACK_TOKEN : options.callback.token || undefined;
  const credentials = options.credentials === undefined ? [DEFAULT_CREDENTIALS] : [options.credentials].flat();
  const fixture = resolveFixture(options.fixture);
  const log = options.log;
  let baseUrl = options.publicUrl ?? "";
  let stateWriter: StateWriter | undefined;

  const engine = new EmulatorEngine({
    fixture,
    apiKeys: credentials,
    clock: options.clock ?? Date.now,
    ...(options.idSeed !== undefined ? { idSeed: options.idSeed } : {}),
    callback: {
      key,
      ...(token !== undefined ? { token } : {}),
      urls: { ...options.callback?.urls },
      retry: { ...DEFAULT_RETRY, ...options.callback?.retry },
      concurrency: options.callback?.concurrency ?? 1,
    },
    faults: normalizeFaults(options.faults),
    rateLimitPerSecond: options.rateLimitPerSecond ?? 20,
    strictParameters: options.strictParameters ?? true,
    baseUrl: () => baseUrl,
    ...(log
      ? {
          onApiCall: (e: Record<string, unknown>) => log({ kind: "api", ...e }),
          onDelivery: (e: DeliveryLog) => log({ kind: "callback", ...e }),
          onUnexpected: (e: unknown) => log({ kind: "error", message: (e as Error)?.message ?? String(e) }),
        }
      : {}),
    onMutation: () => stateWriter?.markDirty(),
    blobDir: options.stateFile === undefined ? undefined : blobDirOf(options.stateFile),
    holdCallbacksUntilSaved: options.stateFile !== undefined,
    onReset: () => {
      stateWriter?.markDirty();
      stateWriter?.flush();
    },
  });

  if (options.stateFile !== undefined) {
    const saved = loadState(options.stateFile);
    if (saved) {
      engine.world.restore({ ...saved, version: 1 });
      engine.dispatcher.resume(saved.outbox ?? []);
    }
    stateWriter = createStateWriter(
      options.stateFile,
      () => ({ ...engine.world.toState(), version: 2, outbox: engine.dispatcher.pendingDeliveries() }),
      {
        onSaved: () => engine.dispatcher.release(),
        onError: (e) => log?.({ kind: "error", message: `state file: ${(e as Error).message}` }),
      },
    );
  }

  const setCallbackUrl = (edition: Edition, url: string | undefined): void => engine.dispatcher.setUrl(edition, url);
  let server: EmulatorServer;
  let fileServer: EmulatorServer;
  const adminDeps = {
    baseUrl: () => baseUrl,
    setCallbackUrl,
    onUnexpected: (e: unknown) => log?.({ kind: "error", message: (e as Error)?.message ?? String(e) }),
  };
  try {
    server = await listen(engine, adminDeps, host, options.port ?? 0, "api");
  } catch (error) {
    engine.close();
    throw error;
  }
  try {
    fileServer = await listen(engine, adminDeps, host, options.filePort ?? 0, "files");
  } catch (error) {
    engine.close();
    await server.close();
    throw error;
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${server.port}`;
  if (baseUrl === "") baseUrl = url;
  let stopped = false;

  return {
    url,
    port: server.port,
    endpoint: `${urlHost}:${server.port}`,
    fileUrl: `http://${urlHost}:${fileServer.port}`,
    filePort: fileServer.port,
    fileEndpoint: `${urlHost}:${fileServer.port}`,
    credentials: { secretId: credentials[0]!.secretId, secretKey: credentials[0]!.secretKey },
    callback: { key, ...(token !== undefined ? { token } : {}) },
    async stop() {
      if (stopped) return;
      stopped = true;
      engine.close();
      await Promise.all([server.close(), fileServer.close()]);
      stateWriter?.close();
    },
    reset: () => engine.reset(),
    setCallbackUrl,
    setFaults: (faults) => engine.setFaults(normalizeFaults(faults)),
    stats: () => engine.stats(),
    state: (flowGroupId) => engine.state(flowGroupId),
    sign: (s) => engine.operate((ctx) => sign(ctx, s)),
    reject: (s, message) => engine.operate((ctx) => reject(ctx, s, message)),
    cancel: (s, message) => engine.operate((ctx) => cancel(ctx, s, message)),
    expire: (s) => engine.operate((ctx) => expire(ctx, s)),
    fill: (s, identity) => engine.operate((ctx) => fill(ctx, s, identity)),
    waitForCallbacksIdle: (timeoutMs = 10_000) => engine.dispatcher.waitForIdle(timeoutMs),
    deliveries: (afterSeq = 0) => engine.deliveries.after(afterSeq, Number.MAX_SAFE_INTEGER),
    onDelivery: (listener) => engine.deliveries.subscribe(listener),
  };
}
