import { describe, expect, it } from "vitest";
import { EmulatorConfigError, readEmulatorEnv } from "../../../local/ess-emulator/env-config";

/** `npm run emulator` configuration from the environment: one row per rule. */

describe("readEmulatorEnv", () => {
  it("defaults to 127.0.0.1:9000, no callback URLs, no faults", () => {
    expect(readEmulatorEnv({})).toMatchObject({ host: "127.0.0.1", port: 9000, callback: { urls: {} }, faults: {} });
  });

  it.each([
    [{ EMULATOR_PORT: "9100" }, { port: 9100 }],
    [
      { EMULATOR_CALLBACK_URL: "http://127.0.0.1:3000/cb" },
      { callback: { urls: { ess: "http://127.0.0.1:3000/cb", essbasic: "http://127.0.0.1:3000/cb" } } },
    ],
    [
      { EMULATOR_CALLBACK_URL: "http://a/cb", EMULATOR_CALLBACK_URL_ESSBASIC: "http://b/cb" },
      { callback: { urls: { ess: "http://a/cb", essbasic: "http://b/cb" } } },
    ],
    [{ EMULATOR_CALLBACK_TOKEN: "none" }, { callback: { token: null } }],
    [{ EMULATOR_CALLBACK_TOKEN: "t0k" }, { callback: { token: "t0k" } }],
    [{ EMULATOR_SECRET_ID: "AKIDx", EMULATOR_SECRET_KEY: "k" }, { credentials: { secretId: "AKIDx", secretKey: "k" } }],
    [{ EMULATOR_RATE_LIMIT: "0" }, { rateLimitPerSecond: 0 }],
    [
      { EMULATOR_CALLBACK_MAX_ATTEMPTS: "2", EMULATOR_CALLBACK_RETRY_DELAY_MS: "10" },
      { callback: { retry: { maxAttempts: 2, initialDelayMs: 10 } } },
    ],
    [
      {
        EMULATOR_FAULT_SEED: "9",
        EMULATOR_FAULT_INTERNAL_ERROR_RATE: "0.25",
        EMULATOR_FAULT_ACTIONS: "CreateFlowGroupByFiles, DescribeFlowInfo",
      },
      { faults: { seed: 9, internalErrorRate: 0.25, actions: ["CreateFlowGroupByFiles", "DescribeFlowInfo"] } },
    ],
    [
      { EMULATOR_FAULT_CALLBACK_SHUFFLE: "true", EMULATOR_FAULT_CALLBACK_DROP_FIRST_RATE: "1", EMULATOR_FAULT_HANG_NEXT: "2" },
      { faults: { callbackShuffle: true, callbackDropFirstRate: 1, hangNext: 2 } },
    ],
    [
      { EMULATOR_STATE_FILE: ".data/emulator.json", EMULATOR_FIXTURE: "f.json" },
      { stateFile: ".data/emulator.json", fixture: "f.json" },
    ],
  ])("%j → %j", (env, expected) => {
    expect(readEmulatorEnv(env)).toMatchObject(expected);
  });

  it.each([
    [{ EMULATOR_PORT: "70000" }, "EMULATOR_PORT"],
    [{ EMULATOR_CALLBACK_URL: "ftp://x" }, "EMULATOR_CALLBACK_URL"],
    [{ EMULATOR_CALLBACK_KEY: "short" }, "EMULATOR_CALLBACK_KEY"],
    [{ EMULATOR_SECRET_ID: "AKIDx" }, "EMULATOR_SECRET_KEY"],
    [{ EMULATOR_FAULT_INTERNAL_ERROR_RATE: "1.5" }, "EMULATOR_FAULT_INTERNAL_ERROR_RATE"],
    [{ EMULATOR_FAULT_CALLBACK_SHUFFLE: "maybe" }, "EMULATOR_FAULT_CALLBACK_SHUFFLE"],
  ])("%j is refused naming %s", (env, variable) => {
    expect(() => readEmulatorEnv(env)).toThrow(EmulatorConfigError);
    expect(() => readEmulatorEnv(env)).toThrow(variable);
  });

  it("never echoes a bad value (it may be a secret)", () => {
    expect(() => readEmulatorEnv({ EMULATOR_CALLBACK_KEY: "my-secret-key" })).not.toThrow(/my-secret-key/);
  });
});
