import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../shared/errors/config-error";
import { isTimerEvent, startTimerHandler } from "../../../shared/timer/timer-handler";

/** A timer function whose configuration does not load: one line naming the variable, every run fails with it, exit code 1. */
describe("startTimerHandler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("passes a working handler through", () => {
    const handler = async () => "ran";
    const started = startTimerHandler("outbox", () => handler);
    expect(started).toBe(handler);
    expect(started.startupError).toBeUndefined();
  });

  it("turns a configuration error into one line on stderr, exit code 1, and runs that fail with the same line", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const started = startTimerHandler<string>("outbox", () => {
      throw new ConfigError(["COS_BUCKET is required when STORE=cos"]);
    });
    expect(written).toEqual(["outbox: Invalid configuration: COS_BUCKET is required when STORE=cos\n"]);
    expect(process.exitCode).toBe(1);
    expect(started.startupError).toBeInstanceOf(ConfigError);
    await expect(started({ Type: "Timer" }, { request_id: "r1" } as never)).rejects.toThrow(
      "outbox: Invalid configuration: COS_BUCKET is required when STORE=cos",
    );
  });

  it("rethrows anything else: a bug at load is not a configuration problem", () => {
    expect(() =>
      startTimerHandler("outbox", () => {
        throw new TypeError("boom");
      }),
    ).toThrow(TypeError);
  });

  it("knows a timer event in either case of its Type", () => {
    expect(isTimerEvent({ Type: "Timer" })).toBe(true);
    expect(isTimerEvent({ Type: "timer" })).toBe(true);
    expect(isTimerEvent({ httpMethod: "GET" })).toBe(false);
    expect(isTimerEvent(undefined)).toBe(false);
  });
});
