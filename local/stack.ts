import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RouteDeclaration } from "../shared/http/routes";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./ess-emulator";
import { readDeployedFunctions } from "./gateway/functions";
import { loadHandlers } from "./gateway/load-handlers";
import { startFunctionUrl, startGateway, type RunningServer } from "./gateway/server";
import { clearDeploySettings } from "./local-env";
import { startNotifyReceiver, type RunningReceiver } from "./notify-receiver";
import { startTimers, type RunningTimers } from "./timers";

/** A function served on its own port, exactly as its function URL would serve it. */
export interface LocalFunctionUrl {
  name: string;
  url: string;
  routes: readonly RouteDeclaration[];
  server: RunningServer;
}

/** The whole product offline: the ESS emulator, each function on its own URL, one routing gateway, a folder store. */
export interface LocalStack {
  /** One domain for every route (like a TSE gateway in front of the function URLs). */
  gateway: RunningServer;
  /** Each HTTP function on its own port, as its function URL. */
  functions: LocalFunctionUrl[];
  emulator: RunningEmulator;
  storeDir: string;
  /** Where the emulator posts callbacks: the callback function's own URL. */
  callbackUrl: string;
  /** Deploy settings found in this process's environment and not used (the stack runs on its own). */
  ignoredEnv: string[];
  /** Where notifications go, and the local receiver when the stack runs its own. */
  notify: { url?: string; receiver?: RunningReceiver };
  /** The timer functions (the outbox drain) and their periods. */
  timers: RunningTimers;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** The one-domain gateway's port; default 8080 (`PORT`). 0 picks a free one. */
  port?: number;
  /** The first function URL's port, the next ones follow; default `port + 1` (0 when `port` is 0: free ports). */
  functionPort?: number;
  /** Emulator port; default 9000 (`EMULATOR_PORT`). 0 picks a free one. */
  emulatorPort?: number;
  /** Status store folder; default `STORE_DIR` or `.data`. */
  storeDir?: string;
  /**
   * Keep the emulator's state (groups, uploads, callbacks not yet delivered) in the store folder
   * (`emulatorStateFileOf(storeDir)`), so a restart finds both as they were (`npm start`). Without
   * it the emulator starts empty each time (tests, the demo).
   */
  keepEmulatorState?: boolean;
  /** Passed to the emulator (faults, retry policy for tests, …). */
  emulator?: Omit<EmulatorOptions, "port">;
  /** Extra environment for the functions (e.g. `API_KEY_HASHES` to test auth). */
  env?: Record<string, string>;
  /**
   * Push notifications: by default to a receiver the stack runs and prints (`print`); to the given
   * URL with the given secret (`npm start -- --notify-url … --notify-secret …`); none with `false`.
   */
  notify?: false | { url: string; secret: string } | { print?: (line: string) => void };
  /** Every timer function runs this often instead of its cron period (tests). */
  timerPeriodMs?: number;
}

/**
 * Starts the emulator, points the functions' configuration at it (the official SDK then talks to
 * the emulator exactly as it would to ESS), loads every HTTP function of serverless.yml, serves
 * each on its own port as its function URL and all of them behind one routing port, and sends the
 * emulator's callbacks to the callback function's URL.
 *
 * The functions read their configuration from the environment when they load, as on SCF, so this
 * sets `process.env` before loading them (one stack per process), after removing any deploy
 * setting the shell exported: local commands run on their own settings.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = options.storeDir ?? process.env.STORE_DIR ?? ".data";
  const emulator = await startEmulator({
    ...options.emulator,
    port: options.emulatorPort ?? 9000,
    stateFile: options.keepEmulatorState ? emulatorStateFileOf(stateDir) : options.emulator?.stateFile,
  });
  const servers: RunningServer[] = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    const storeDir = stateDir;
    const ignoredEnv = clearDeploySettings(process.env, { keepLocal: true });
    const notify = await notifySettings(options.notify);
    if (notify.receiver) stops.push(() => notify.receiver!.stop());
    Object.assign(process.env, {
      ESS_SECRET_ID: emulator.credentials.secretId,
      ESS_SECRET_KEY: emulator.credentials.secretKey,
      ESS_ENDPOINT: emulator.url,
      ESSBASIC_ENDPOINT: emulator.url,
      ESS_FILE_ENDPOINT: emulator.fileUrl,
      ESS_CALLBACK_KEY: emulator.callback.key,
      ...(emulator.callback.token !== undefined ? { ESS_CALLBACK_TOKEN: emulator.callback.token } : {}),
      STORE: "file",
      STORE_DIR: storeDir,
      // The local stack has no API keys unless given some; the functions refuse to start without
      // keys, so it says so explicitly (and prints it).
      AUTH_DISABLED: options.env?.API_KEY_HASHES ? "false" : "true",
      ...notify.env,
      ...options.env,
    });
    const deployed = await readDeployedFunctions();
    const loaded = await loadHandlers(deployed);
    const port = options.port ?? 8080;
    const firstFunctionPort = options.functionPort ?? (port === 0 ? 0 : port + 1);
    const functions: LocalFunctionUrl[] = [];
    for (const [i, fn] of loaded.entries()) {
      const server = await startFunctionUrl(fn, { port: firstFunctionPort === 0 ? 0 : firstFunctionPort + i });
      servers.push(server);
      functions.push({ name: fn.name, url: server.url, routes: fn.routes as readonly RouteDeclaration[], server });
    }
    const gateway = await startGateway({ functions: loaded, port });
    servers.push(gateway);
    const callback = functions.find((f) => f.name === "callback");
    if (!callback) throw new Error("serverless.yml has no callback function to send the emulator's callbacks to");
    const callbackUrl = `${callback.url}${callback.routes[0]!.path}`;
    emulator.setCallbackUrl("ess", callbackUrl);
    emulator.setCallbackUrl("essbasic", callbackUrl);
    const timers = await startTimers(deployed, {
      periodMs: options.timerPeriodMs,
      onError: (fn, error) => console.error(`${fn}: ${error instanceof Error ? error.message : String(error)}`),
    });
    stops.unshift(() => timers.stop());
    return {
      gateway,
      functions,
      emulator,
      storeDir,
      callbackUrl,
      ignoredEnv,
      notify: { url: notify.env.NOTIFY_URL, receiver: notify.receiver },
      timers,
      async stop() {
        for (const stop of stops) await stop();
        for (const server of servers) await server.stop();
        await emulator.stop();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop();
    for (const server of servers) await server.stop();
    await emulator.stop();
    throw error;
  }
}

/**
 * Where `npm start` keeps the emulator's state: inside the store folder, under a name no store key
 * uses, so one folder holds both sides and `npm run reset` clears both at once.
 */
export function emulatorStateFileOf(storeDir: string): string {
  return path.join(storeDir, EMULATOR_STATE_FOLDER, "state.json");
}

/** The store folder's entry that holds the emulator's state. */
export const EMULATOR_STATE_FOLDER = "_emulator";

/**
 * Marks `storeDir` as in use by this process (`npm start`), so `npm run reset` does not delete a
 * running stack's files; returns the function that removes the mark.
 */
export function announceRunningStack(storeDir: string, ports: Record<string, number>): () => void {
  const file = path.join(storeDir, EMULATOR_STATE_FOLDER, "running.json");
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ pid: process.pid, ports }), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** The process running a stack on `storeDir`, when one is (a mark left by a process that died is ignored). */
export function runningStackOf(storeDir: string): { pid: number } | undefined {
  const file = path.join(storeDir, EMULATOR_STATE_FOLDER, "running.json");
  if (!existsSync(file)) return undefined;
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown }).pid;
  } catch {
    return undefined;
  }
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return { pid };
  } catch {
    return undefined;
  }
}

/** The functions' notification settings, and the local receiver when the stack runs its own. */
async function notifySettings(option: LocalStackOptions["notify"]): Promise<{ env: Record<string, string>; receiver?: RunningReceiver }> {
  if (option === false) return { env: {} };
  if (option !== undefined && "url" in option) return { env: { NOTIFY_URL: option.url, NOTIFY_SECRET: option.secret } };
  const secret = randomBytes(24).toString("hex");
  const receiver = await startNotifyReceiver({ secret, print: option?.print });
  return { env: { NOTIFY_URL: receiver.url, NOTIFY_SECRET: secret }, receiver };
}
