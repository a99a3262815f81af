import { describe, expect, it } from "vitest";
import { authenticate, hashApiKey, presentedKey } from "../../../shared/auth/api-keys";
import { readAuthConfig } from "../../../shared/config/config";
import { ConfigError } from "../../../shared/errors/config-error";
import { AppError } from "../../../shared/errors/app-error";
import type { ApiGatewayEvent } from "../../../shared/http/scf-types";

function event(headers: Record<string, string>): ApiGatewayEvent {
  return {
    requestContext: { serviceId: "s", path: "/p", httpMethod: "GET", requestId: "r", sourceIp: "1.1.1.1", stage: "release" },
    headers,
    path: "/p",
    httpMethod: "GET",
  };
}

const config = readAuthConfig({ API_KEY_HASHES: `${hashApiKey("alpha")}, ${hashApiKey("beta").toUpperCase()}` });

describe("readAuthConfig", () => {
  it("refuses to start without keys unless auth is disabled explicitly", () => {
    expect(() => readAuthConfig({})).toThrow(ConfigError);
    expect(() => readAuthConfig({})).toThrow(/API_KEY_HASHES/);
    expect(readAuthConfig({ AUTH_DISABLED: "true" })).toEqual({ mode: "disabled" });
  });

  it("refuses digests that are not SHA-256 hex, without echoing them", () => {
    expect(() => readAuthConfig({ API_KEY_HASHES: "plain-text-key" })).toThrow(/API_KEY_HASHES/);
    expect(() => readAuthConfig({ API_KEY_HASHES: "plain-text-key" })).not.toThrow(/plain-text-key/);
  });
});

describe("authenticate", () => {
  it.each([
    ["Bearer", { authorization: "Bearer alpha" }],
    ["bearer, other case and spaces", { Authorization: "bearer   beta " }],
    ["x-api-key", { "x-api-key": "beta" }],
  ])("accepts a configured key given as %s", (_name, headers) => {
    expect(() => authenticate(event(headers), config)).not.toThrow();
  });

  it.each([
    ["no key", {}, "AuthFailure.MissingApiKey"],
    ["an empty bearer", { authorization: "Bearer " }, "AuthFailure.MissingApiKey"],
    ["a Basic credential", { authorization: "Basic YWxwaGE=" }, "AuthFailure.MissingApiKey"],
    ["a wrong key", { "x-api-key": "gamma" }, "AuthFailure.InvalidApiKey"],
    ["the digest instead of the key", { "x-api-key": hashApiKey("alpha") }, "AuthFailure.InvalidApiKey"],
    ["an oversized key", { "x-api-key": "a".repeat(600) }, "AuthFailure.MissingApiKey"],
  ])("answers 401 with WWW-Authenticate for %s", (_name, headers, code) => {
    try {
      authenticate(event(headers), config);
      throw new Error("expected 401");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).httpStatus).toBe(401);
      expect((error as AppError).code).toBe(code);
      expect((error as AppError).headers["WWW-Authenticate"]).toMatch(/^Bearer realm="ess-flow-groups"/);
    }
  });

  it("lets everything through only when disabled", () => {
    expect(() => authenticate(event({}), { mode: "disabled" })).not.toThrow();
  });

  it("reads the presented key from either header", () => {
    expect(presentedKey(event({ authorization: "Bearer k1", "x-api-key": "k2" }))).toBe("k1");
    expect(presentedKey(event({ "x-api-key": " k2 " }))).toBe("k2");
  });
});

describe("every digit of the digest counts (audit finding 9)", () => {
  const key = "essk_digest_position_test_key";
  const digest = hashApiKey(key);
  const flip = (hex: string, at: number) => hex.slice(0, at) + ((parseInt(hex[at]!, 16) + 1) % 16).toString(16) + hex.slice(at + 1);

  it.each([0, 7, 8, 9, 15, 16, 31, 32, 48, 62, 63])(
    "a configured digest that differs from the key's only at hex digit %i refuses the key",
    (at) => {
      const near = readAuthConfig({ API_KEY_HASHES: flip(digest, at) });
      expect(() => authenticate(event({ "x-api-key": key }), near)).toThrow(AppError);
    },
  );

  it("the exact digest accepts it", () => {
    expect(() => authenticate(event({ "x-api-key": key }), readAuthConfig({ API_KEY_HASHES: digest }))).not.toThrow();
  });
});
