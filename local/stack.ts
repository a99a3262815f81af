import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./ess-emulator";
import { loadHandlers } from "./gateway/load-handlers";
import { startGateway, type RunningGateway } from "./gateway/server";
import { readServerlessRoutes, type RouteDeclaration } from "./gateway/serverless-routes";

/** The whole product offline: the ESS emulator, the local API Gateway with the three functions, a folder store. */
export interface LocalStack {
  gateway: RunningGateway;
  emulator: RunningEmulator;
  routes: RouteDeclaration[];
  storeDir: string;
  /** URL to paste as the callback URL (what the emulator posts to). */
  callbackUrl: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Gateway port; default 8080 (`PORT`). 0 picks a free one. */
  port?: number;
  /** Emulator port; default 9000 (`EMULATOR_PORT`). 0 picks a free one. */
  emulatorPort?: number;
  /** Status store folder; default `STORE_DIR` or `.data`. */
  storeDir?: string;
  /** Passed to the emulator (faults, retry policy for tests, …). */
  emulator?: Omit<EmulatorOptions, "port">;
  /** Extra environment for the functions (e.g. `API_KEY_HASHES` to test auth). */
  env?: Record<string, string>;
}

/**
 * Starts the emulator, points the functions' configuration at it (the official SDK then talks to
 * the emulator exactly as it would to ESS), loads the functions from `serverless.yml` into the
 * local gateway, and wires the emulator's callbacks to the callback route.
 *
 * The functions read their configuration from the environment when they load, as on SCF, so this
 * sets `process.env` before loading them: one stack per process.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const emulator = await startEmulator({ ...options.emulator, port: options.emulatorPort ?? 9000 });
  try {
    const storeDir = options.storeDir ?? process.env.STORE_DIR ?? ".data";
    Object.assign(process.env, {
      ESS_SECRET_ID: emulator.credentials.secretId,
      ESS_SECRET_KEY: emulator.credentials.secretKey,
      ESS_ENDPOINT: emulator.url,
      ESS_CALLBACK_KEY: emulator.callback.key,
      ...(emulator.callback.token !== undefined ? { ESS_CALLBACK_TOKEN: emulator.callback.token } : {}),
      STORE: "file",
      STORE_DIR: storeDir,
      // The local stack has no API keys unless given some; the functions refuse to start without
      // keys, so it says so explicitly (and prints it).
      ...(options.env?.API_KEY_HASHES ? {} : { AUTH_DISABLED: "true" }),
      ...options.env,
    });
    const routes = await readServerlessRoutes();
    const gateway = await startGateway({ routes: await loadHandlers(routes), port: options.port ?? 8080 });
    const callbackUrl = `${gateway.url}/ess/callbacks`;
    emulator.setCallbackUrl("ess", callbackUrl);
    emulator.setCallbackUrl("essbasic", callbackUrl);
    return {
      gateway,
      emulator,
      routes,
      storeDir,
      callbackUrl,
      async stop() {
        await gateway.stop();
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}
