import { describe, expect, it } from "vitest";
import { endpointWarnings, isLoopbackHost, parseEndpoint, productionEndpoint } from "../../../shared/config/ess-endpoints";
import type { EssService } from "../../../shared/ess/endpoint";
import { readEssConfig } from "../../../shared/config/config";

/** ESS endpoints as Tencent runs them: one per edition and one for UploadFiles, bare hosts, https outside loopback, signed by the first label. */
describe("parseEndpoint", () => {
  it.each([
    ["ess.test.ess.tencent.cn", "ess", { protocol: "https://", host: "ess.test.ess.tencent.cn" }],
    ["  essbasic.tencentcloudapi.com  ", "essbasic", { protocol: "https://", host: "essbasic.tencentcloudapi.com" }],
    ["https://file.ess.tencent.cn", "file", { protocol: "https://", host: "file.ess.tencent.cn" }],
    ["https://file.test.ess.tencent.cn/", "file", { protocol: "https://", host: "file.test.ess.tencent.cn" }],
    ["ess.internal.tencentcloudapi.com:8443", "ess", { protocol: "https://", host: "ess.internal.tencentcloudapi.com:8443" }],
    ["http://127.0.0.1:9000", "ess", { protocol: "http://", host: "127.0.0.1:9000" }],
    ["http://localhost:9000", "essbasic", { protocol: "http://", host: "localhost:9000" }],
    ["http://[::1]:9000", "file", { protocol: "http://", host: "[::1]:9000" }],
  ] as const)("accepts %s for %s", (value, service, endpoint) => {
    expect(parseEndpoint(value, service as EssService)).toEqual({ endpoint });
  });

  it.each([
    ["http://ess.tencentcloudapi.com", "ess", /must use https:\/\//],
    ["http://10.0.0.5:9000", "ess", /must use https:\/\//],
    ["https://10.0.0.5", "ess", /beginning with "ess\."/],
    ["essbasic.tencentcloudapi.com", "ess", /beginning with "ess\."/],
    ["ess.test.ess.tencent.cn", "essbasic", /beginning with "essbasic\."/],
    ["ess.tencentcloudapi.com", "file", /beginning with "file\."/],
    ["https://ess.tencentcloudapi.com/v3", "ess", /no path/],
    ["https://user:pw@ess.tencentcloudapi.com", "ess", /no path, query or credentials/],
    ["ftp://ess.tencentcloudapi.com", "ess", /https:\/\/ URL/],
    ["ess tencent", "ess", /host name like ess\.tencentcloudapi\.com/],
  ] as const)("refuses %s for %s", (value, service, reason) => {
    const parsed = parseEndpoint(value, service as EssService);
    expect("problem" in parsed && parsed.problem).toMatch(reason);
    if ("problem" in parsed) expect(parsed.problem).not.toContain(value);
  });
});

/** Also the local gateway's DNS-rebinding guard (review F3): a name that merely starts with `127.` is not loopback. */
describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "127.255.255.255", "localhost", "LOCALHOST", "::1", "[::1]"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    "127.0.0.1.attacker.example",
    "127.attacker.example",
    "127.0.0.256",
    "127.1",
    "localhost.attacker.example",
    "128.0.0.1",
    "10.0.0.1",
    "::2",
  ])("%s is not", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("endpointWarnings", () => {
  const all = (host: string, protocol: "http://" | "https://" = "https://") => ({
    ess: { protocol, host },
    essbasic: productionEndpoint("essbasic"),
    file: productionEndpoint("file"),
  });

  it("says nothing off SCF, or for production hosts", () => {
    expect(endpointWarnings(all("127.0.0.1:9000", "http://"), false)).toEqual([]);
    expect(endpointWarnings(all("ess.tencentcloudapi.com"), true)).toEqual([]);
  });

  it.each([
    ["127.0.0.1:9000", /ESS_ENDPOINT is a loopback address on a deployed function/],
    ["localhost", /ESS_ENDPOINT is a loopback address/],
    ["ess.test.ess.tencent.cn", /ESS_ENDPOINT is Tencent's 联调 test environment \(ess\.test\.ess\.tencent\.cn\), not production/],
  ])("warns a deployed function about %s", (host, warning) => {
    expect(endpointWarnings(all(host), true)).toEqual([expect.stringMatching(warning)]);
  });

  it("reaches readEssConfig: a deployed function on the test environment says so at start", () => {
    const c = readEssConfig({
      ESS_SECRET_ID: "id",
      ESS_SECRET_KEY: "k",
      TENCENTCLOUD_RUNENV: "SCF",
      ESSBASIC_ENDPOINT: "essbasic.test.ess.tencent.cn",
      ESS_FILE_ENDPOINT: "file.test.ess.tencent.cn",
    });
    expect(c.warnings).toEqual([
      expect.stringMatching(/^ESSBASIC_ENDPOINT is Tencent's 联调/),
      expect.stringMatching(/^ESS_FILE_ENDPOINT is Tencent's 联调/),
    ]);
  });
});
