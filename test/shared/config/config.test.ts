import { describe, expect, it } from "vitest";
import { ConfigError, readCallbackConfig, readEssConfig, readLogLevel, readStoreConfig } from "../../../shared/config/config";

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readEssConfig", () => {
  it("uses ESS_SECRET_ID/KEY, the default region and the SDK defaults", () => {
    const c = readEssConfig({ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "key" });
    expect(c.credentials).toEqual({ secretId: "id", secretKey: "key" });
    expect(c.region).toBe("ap-guangzhou");
    expect(c.endpoint).toBeUndefined();
    expect(c.timeoutMs).toBe(15_000);
  });

  it("falls back to the function role's temporary credentials, with the session token", () => {
    const c = readEssConfig({ TENCENTCLOUD_SECRETID: "rid", TENCENTCLOUD_SECRETKEY: "rkey", TENCENTCLOUD_SESSIONTOKEN: "tok" });
    expect(c.credentials).toEqual({ secretId: "rid", secretKey: "rkey", token: "tok" });
  });

  it("parses ESS_ENDPOINT into the SDK's protocol and host", () => {
    const c = readEssConfig({ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_ENDPOINT: "http://127.0.0.1:9000" });
    expect(c.endpoint).toEqual({ protocol: "http://", host: "127.0.0.1:9000" });
  });

  it.each([
    [{}, "ESS_SECRET_ID"],
    [{ ESS_SECRET_ID: "id" }, "ESS_SECRET_KEY"],
    [{ ESS_SECRET_KEY: "k" }, "ESS_SECRET_ID"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_ENDPOINT: "127.0.0.1:9000" }, "ESS_ENDPOINT"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_ENDPOINT: "http://h:1/path" }, "ESS_ENDPOINT"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_TIMEOUT_MS: "soon" }, "ESS_TIMEOUT_MS"],
  ])("names the variable in error: %o → %s", (env, variable) => {
    expect(problems(() => readEssConfig(env))).toContain(variable);
  });

  it("never echoes a value in its error", () => {
    expect(problems(() => readEssConfig({ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "supersecret", ESS_TIMEOUT_MS: "x" }))).not.toContain(
      "supersecret",
    );
  });
});

describe("readStoreConfig", () => {
  it("defaults to the local folder store", () => {
    expect(readStoreConfig({})).toEqual({ kind: "file", dir: ".data", fsync: true });
    expect(readStoreConfig({ STORE_DIR: "/tmp/s", STORE_FSYNC: "false" })).toEqual({ kind: "file", dir: "/tmp/s", fsync: false });
  });

  it("selects COS when a bucket is configured, with role credentials and a normalised prefix", () => {
    expect(
      readStoreConfig({ COS_BUCKET: "b-125", COS_REGION: "ap-guangzhou", COS_PREFIX: "/x", TENCENTCLOUD_SECRETID: "i", TENCENTCLOUD_SECRETKEY: "k" }),
    ).toEqual({ kind: "cos", bucket: "b-125", region: "ap-guangzhou", prefix: "x/", credentials: { secretId: "i", secretKey: "k" } });
  });

  it.each([
    [{ STORE: "cos" }, "COS_BUCKET"],
    [{ STORE: "cos", COS_BUCKET: "b" }, "COS_REGION"],
    [{ COS_BUCKET: "b", COS_REGION: "r" }, "COS_SECRET_ID"],
    [{ STORE: "s3" }, "STORE"],
  ])("names the variable in error: %o → %s", (env, variable) => {
    expect(problems(() => readStoreConfig(env))).toContain(variable);
  });
});

describe("empty values, as a deployment binds them when the deployer set nothing", () => {
  it("count as unset", () => {
    expect(readLogLevel({ LOG_LEVEL: "" })).toBe("info");
    expect(readStoreConfig({ STORE: "", STORE_DIR: "" })).toMatchObject({ kind: "file", dir: ".data" });
    expect(readEssConfig({ ESS_SECRET_ID: "i", ESS_SECRET_KEY: "k", ESS_ENDPOINT: "", ESS_REGION: "", ESS_TIMEOUT_MS: "" })).toMatchObject({
      region: "ap-guangzhou",
      timeoutMs: 15_000,
    });
    expect(problems(() => readLogLevel({ LOG_LEVEL: "loud" }))).toContain("LOG_LEVEL");
  });
});

describe("readCallbackConfig", () => {
  it("requires a 32-byte key", () => {
    expect(problems(() => readCallbackConfig({}))).toContain("ESS_CALLBACK_KEY");
    expect(problems(() => readCallbackConfig({ ESS_CALLBACK_KEY: "short" }))).toContain("ESS_CALLBACK_KEY");
    expect(readCallbackConfig({ ESS_CALLBACK_KEY: "0123456789abcdef0123456789abcdef", CALLBACK_STRICT: "true" })).toEqual({
      key: "0123456789abcdef0123456789abcdef",
      strict: true,
      acceptLegacyV1: false,
    });
  });

  it("rejects a flag that is not a boolean", () => {
    expect(problems(() => readCallbackConfig({ ESS_CALLBACK_KEY: "0123456789abcdef0123456789abcdef", CALLBACK_STRICT: "maybe" }))).toContain(
      "CALLBACK_STRICT",
    );
  });
});
