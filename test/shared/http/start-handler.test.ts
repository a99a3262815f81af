import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../shared/errors/config-error";
import { startHandler } from "../../../shared/http/start-handler";

/** A function whose configuration does not load: one line naming the variable, a generic 500 per request, exit code 1. */
describe("startHandler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("passes a working handler through", async () => {
    const handler = async () => ({ isBase64Encoded: false, statusCode: 204, headers: {}, body: "" });
    const started = startHandler("f", () => handler);
    expect(started).toBe(handler);
    expect(started.startupError).toBeUndefined();
  });

  it("turns a configuration error into one line on stderr, exit code 1, and a generic 500 that names no value", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const started = startHandler("create-group", () => {
      throw new ConfigError(["API_KEY_HASHES is required", "COS_BUCKET is required when STORE=cos"]);
    });
    expect(written).toEqual(["create-group: Invalid configuration: API_KEY_HASHES is required; COS_BUCKET is required when STORE=cos\n"]);
    expect(process.exitCode).toBe(1);
    expect(started.startupError).toBeInstanceOf(ConfigError);
    const response = await started({ httpMethod: "GET", path: "/", headers: {} }, { request_id: "r1" });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      Error: { Code: "InternalError.Configuration", Message: expect.any(String) },
      RequestId: "r1",
    });
    expect(response.body).not.toContain("API_KEY_HASHES");
    expect(written).toHaveLength(2);
  });

  it("rethrows anything else: a bug at load is not a configuration problem", () => {
    expect(() =>
      startHandler("f", () => {
        throw new TypeError("boom");
      }),
    ).toThrow(TypeError);
  });
});
