import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import {
  callbackWarnings,
  readAuthConfig,
  readCallbackConfig,
  readEssConfig,
  readLogLevel,
  readNotifyConfig,
  readOutboxMarking,
  readSections,
  readStoreConfig,
} from "../../../shared/config/config";
import { ConfigError } from "../../../shared/errors/config-error";
import { secretWeakness } from "../../../shared/config/secret-strength";

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
    expect(c.endpoints).toEqual({
      ess: { protocol: "https://", host: "ess.tencentcloudapi.com" },
      essbasic: { protocol: "https://", host: "essbasic.tencentcloudapi.com" },
      file: { protocol: "https://", host: "file.ess.tencent.cn" },
    });
    expect(c.warnings).toEqual([]);
    expect(c.timeoutMs).toBe(15_000);
  });

  it("falls back to the function role's temporary credentials, with the session token", () => {
    const c = readEssConfig({ TENCENTCLOUD_SECRETID: "rid", TENCENTCLOUD_SECRETKEY: "rkey", TENCENTCLOUD_SESSIONTOKEN: "tok" });
    expect(c.credentials).toEqual({ secretId: "rid", secretKey: "rkey", token: "tok" });
  });

  it("takes one endpoint per edition and one for UploadFiles, into the SDK's protocol and host", () => {
    const c = readEssConfig({
      ESS_SECRET_ID: "id",
      ESS_SECRET_KEY: "k",
      ESS_ENDPOINT: "http://127.0.0.1:9000",
      ESSBASIC_ENDPOINT: "essbasic.test.ess.tencent.cn",
      ESS_FILE_ENDPOINT: "https://file.test.ess.tencent.cn",
    });
    expect(c.endpoints).toEqual({
      ess: { protocol: "http://", host: "127.0.0.1:9000" },
      essbasic: { protocol: "https://", host: "essbasic.test.ess.tencent.cn" },
      file: { protocol: "https://", host: "file.test.ess.tencent.cn" },
    });
  });

  it.each([
    [{}, "ESS_SECRET_ID"],
    [{ ESS_SECRET_ID: "id" }, "ESS_SECRET_KEY"],
    [{ ESS_SECRET_KEY: "k" }, "ESS_SECRET_ID"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_ENDPOINT: "http://ess.tencentcloudapi.com" }, "ESS_ENDPOINT"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESSBASIC_ENDPOINT: "ess.test.ess.tencent.cn" }, "ESSBASIC_ENDPOINT"],
    [{ ESS_SECRET_ID: "id", ESS_SECRET_KEY: "k", ESS_FILE_ENDPOINT: "ftp://file.ess.tencent.cn" }, "ESS_FILE_ENDPOINT"],
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
      readStoreConfig({
        COS_BUCKET: "b-125",
        COS_REGION: "ap-guangzhou",
        COS_PREFIX: "/x",
        TENCENTCLOUD_SECRETID: "i",
        TENCENTCLOUD_SECRETKEY: "k",
      }),
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
      signatureMaxAgeSeconds: 300,
    });
  });

  it("rejects a flag that is not a boolean", () => {
    expect(
      problems(() => readCallbackConfig({ ESS_CALLBACK_KEY: "0123456789abcdef0123456789abcdef", CALLBACK_STRICT: "maybe" })),
    ).toContain("CALLBACK_STRICT");
  });
});

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "fixture-callback-token-7f3a";

describe("callback settings that would let a forged callback be stored (audit findings 1, 6)", () => {
  it.each<[string, Record<string, string>, string]>([
    ["legacy v1 without a token", { ESS_CALLBACK_KEY: KEY, CALLBACK_ACCEPT_LEGACY_V1: "true" }, "CALLBACK_ACCEPT_LEGACY_V1"],
    ["no token on SCF", { ESS_CALLBACK_KEY: KEY, TENCENTCLOUD_RUNENV: "SCF" }, "ESS_CALLBACK_TOKEN"],
    ["a 1-character token", { ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: "x" }, "ESS_CALLBACK_TOKEN"],
    ["a 15-character token", { ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: "abcdefghijklmno" }, "ESS_CALLBACK_TOKEN"],
    ["a key of 32 × a", { ESS_CALLBACK_KEY: "a".repeat(32), ESS_CALLBACK_TOKEN: TOKEN }, "ESS_CALLBACK_KEY"],
    [
      "a key of 7 repeated characters",
      { ESS_CALLBACK_KEY: "abcdefg".repeat(5).slice(0, 32), ESS_CALLBACK_TOKEN: TOKEN },
      "ESS_CALLBACK_KEY",
    ],
    [
      "a key of 7 distinct characters, not repeating",
      { ESS_CALLBACK_KEY: "abcdefgabcdefgfedcbagfedcbaabcde", ESS_CALLBACK_TOKEN: TOKEN },
      "ESS_CALLBACK_KEY",
    ],
    ["a token of two characters", { ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: "aaaaaaaaaaaaaaab" }, "ESS_CALLBACK_TOKEN"],
    [
      "a window of 0",
      { ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: TOKEN, CALLBACK_SIGNATURE_MAX_AGE_SECONDS: "0" },
      "CALLBACK_SIGNATURE_MAX_AGE_SECONDS",
    ],
    [
      "a window over a day",
      { ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: TOKEN, CALLBACK_SIGNATURE_MAX_AGE_SECONDS: "86401" },
      "CALLBACK_SIGNATURE_MAX_AGE_SECONDS",
    ],
  ])("refuses %s", (_case, env, variable) => {
    expect(problems(() => readCallbackConfig(env))).toContain(variable);
  });

  it("accepts a token and legacy v1 on SCF, with the default window of five minutes", () => {
    expect(
      readCallbackConfig({
        ESS_CALLBACK_KEY: KEY,
        ESS_CALLBACK_TOKEN: TOKEN,
        CALLBACK_ACCEPT_LEGACY_V1: "true",
        TENCENTCLOUD_RUNENV: "SCF",
      }),
    ).toEqual({
      key: KEY,
      token: TOKEN,
      strict: false,
      acceptLegacyV1: true,
      signatureMaxAgeSeconds: 300,
    });
  });

  it("warns (outside SCF) when there is no token, and not when there is one", () => {
    expect(callbackWarnings(readCallbackConfig({ ESS_CALLBACK_KEY: KEY }))).toEqual([
      expect.stringContaining("ESS_CALLBACK_TOKEN is not set"),
    ]);
    expect(callbackWarnings(readCallbackConfig({ ESS_CALLBACK_KEY: KEY, ESS_CALLBACK_TOKEN: TOKEN }))).toEqual([]);
  });

  it.each([
    ["a random-looking key", "EssEmulatorDevCallbackKey32Bytes", undefined],
    ["hex digits twice", KEY, undefined],
    ["one letter", "a".repeat(32), "different characters"],
    ["a block of 8 repeated", "abcdefgh".repeat(4), "repeats"],
  ])("secretWeakness: %s", (_case, value, reason) => {
    const weakness = secretWeakness(value, 32);
    if (reason === undefined) expect(weakness).toBeUndefined();
    else expect(weakness).toContain(reason);
  });
});

describe("authentication settings (audit finding 6)", () => {
  const digest = (key: string) => createHash("sha256").update(key).digest("hex");

  it("refuses AUTH_DISABLED on SCF", () => {
    expect(problems(() => readAuthConfig({ AUTH_DISABLED: "true", TENCENTCLOUD_RUNENV: "SCF" }))).toContain("AUTH_DISABLED");
    expect(readAuthConfig({ AUTH_DISABLED: "true" })).toEqual({ mode: "disabled" });
  });

  it.each(["test", "password", "", "a".repeat(32)])("refuses the digest of the trivial key %j", (key) => {
    expect(
      problems(() => readAuthConfig({ API_KEY_HASHES: `${digest("essk_a_real_random_key")},${digest(key).toUpperCase()}` })),
    ).toContain("API_KEY_HASHES");
  });

  it("accepts the digests of real keys", () => {
    expect(readAuthConfig({ API_KEY_HASHES: digest("essk_a_real_random_key") })).toMatchObject({ mode: "api-keys" });
  });
});

describe("readSections", () => {
  it("returns each section by name", () => {
    expect(
      readSections(
        { ESS_CALLBACK_KEY: "Xk9#mQ2$vL7@pR4!wN8&zT3*bY6^cF1%", ESS_CALLBACK_TOKEN: "tok-0123456789abcdef", STORE: "file" },
        { store: readStoreConfig, logLevel: readLogLevel },
      ),
    ).toEqual({
      store: expect.objectContaining({ kind: "file" }),
      logLevel: "info",
    });
  });

  it("names the problems of every section in one error", () => {
    const problems = (() => {
      try {
        readSections({ STORE: "cos", LOG_LEVEL: "loud" }, { callback: readCallbackConfig, store: readStoreConfig, logLevel: readLogLevel });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ESS_CALLBACK_KEY is required/),
        expect.stringMatching(/^COS_BUCKET /),
        expect.stringMatching(/^LOG_LEVEL /),
      ]),
    );
  });
});

describe("push notification settings", () => {
  const SECRET = "d4f1c9a2b7e05836afbc1290de47a615";
  it("are off without NOTIFY_URL; on, they carry the URL, the secret and the default timeout", () => {
    expect(readNotifyConfig({})).toBeUndefined();
    expect(readOutboxMarking({})).toEqual({ notify: false, archive: true });
    const on = readNotifyConfig({ NOTIFY_URL: "https://backend.example/ess", NOTIFY_SECRET: SECRET })!;
    expect([on.url.href, on.secret, on.timeoutMs]).toEqual(["https://backend.example/ess", SECRET, 10_000]);
    const marking = readOutboxMarking({ NOTIFY_URL: "https://backend.example/ess", ARCHIVE_SIGNED_FILES: "false" });
    expect(marking).toEqual({ notify: true, archive: false });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["a URL without its secret", { NOTIFY_URL: "https://b.example/e" }, /NOTIFY_SECRET is required when NOTIFY_URL is set/],
    ["a secret without a URL", { NOTIFY_SECRET: SECRET }, /NOTIFY_URL is required when NOTIFY_SECRET is set/],
    ["a short secret", { NOTIFY_URL: "https://b.example/e", NOTIFY_SECRET: "short-secret-1" }, /NOTIFY_SECRET must be at least 24/],
    ["a repeated secret", { NOTIFY_URL: "https://b.example/e", NOTIFY_SECRET: "abcd".repeat(8) }, /NOTIFY_SECRET is too weak/],
    ["credentials in the URL", { NOTIFY_URL: "https://u:p@b.example/e", NOTIFY_SECRET: SECRET }, /NOTIFY_URL must not carry credentials/],
    ["not http(s)", { NOTIFY_URL: "ftp://b.example/e", NOTIFY_SECRET: SECRET }, /NOTIFY_URL must be an http\(s\) URL/],
    ["http on SCF", { NOTIFY_URL: "http://b.example/e", NOTIFY_SECRET: SECRET, TENCENTCLOUD_RUNENV: "SCF" }, /must be https on SCF/],
    ["a timeout over 30 s", { NOTIFY_URL: "https://b.example/e", NOTIFY_SECRET: SECRET, NOTIFY_TIMEOUT_MS: "60000" }, /NOTIFY_TIMEOUT/],
  ])("refuse %s, naming the variable and never the value", (_case, env, message) => {
    expect(() => readNotifyConfig(env)).toThrow(message);
    try {
      readNotifyConfig(env);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(env.NOTIFY_SECRET ?? "never-a-value");
    }
  });

  it("accept http outside SCF (the local stack's receiver)", () => {
    expect(readNotifyConfig({ NOTIFY_URL: "http://127.0.0.1:9/e", NOTIFY_SECRET: SECRET })?.url.protocol).toBe("http:");
  });
});
