/**
 * Where each ESS API is called, as Tencent runs it (`../shared/spec/ess-endpoints.md`, and the
 * official SDKs and kits):
 *
 * | setting | API | production (default) | 联调 test environment |
 * | --- | --- | --- | --- |
 * | `ESS_ENDPOINT` | ess (2020-11-11) | ess.tencentcloudapi.com | ess.test.ess.tencent.cn |
 * | `ESSBASIC_ENDPOINT` | essbasic (2021-05-26) | essbasic.tencentcloudapi.com | essbasic.test.ess.tencent.cn |
 * | `ESS_FILE_ENDPOINT` | `UploadFiles`, both editions | file.ess.tencent.cn | file.test.ess.tencent.cn |
 *
 * The SDK signs each request (TC3) with the host's first label as the service name, so a host must
 * begin with its service's label; only a loopback address (the emulator) is exempt, and only it
 * may be called over plain `http://`.
 */
import { isIPv4 } from "node:net";

import type { EssEndpoint, EssService } from "../ess/endpoint";

/** The setting for each service's endpoint. */
export const ENDPOINT_SETTINGS: Record<EssService, string> = {
  ess: "ESS_ENDPOINT",
  essbasic: "ESSBASIC_ENDPOINT",
  file: "ESS_FILE_ENDPOINT",
};

export const PRODUCTION_HOSTS: Record<EssService, string> = {
  ess: "ess.tencentcloudapi.com",
  essbasic: "essbasic.tencentcloudapi.com",
  file: "file.ess.tencent.cn",
};
export const TEST_ENVIRONMENT_HOSTS: Record<EssService, string> = {
  ess: "ess.test.ess.tencent.cn",
  essbasic: "essbasic.test.ess.tencent.cn",
  file: "file.test.ess.tencent.cn",
};

/** The first label of each service's hosts: what the SDK signs with. */
const SIGNING_LABEL: Record<EssService, string> = { ess: "ess", essbasic: "essbasic", file: "file" };

/**
 * 127.0.0.0/8 (an IPv4 literal: each octet 0–255), ::1 (bracketed or not) and localhost. A name is compared, not an
 * address: `127.0.0.1.attacker.example` is a DNS name its owner can point anywhere, so it is not loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || (isIPv4(h) && h.startsWith("127."));
}

const isIpAddress = (hostname: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(":") || hostname.startsWith("[");

/**
 * Parses an endpoint setting: a bare host (`ess.test.ess.tencent.cn`, `host:port`) means https;
 * `https://host[:port]`; `http://` only for loopback. No path, query or credentials. Returns the
 * reason when the value cannot work (never echoing it).
 */
export function parseEndpoint(value: string, service: EssService): { endpoint: EssEndpoint } | { problem: string } {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { problem: `must be a host name like ${PRODUCTION_HOSTS[service]} (or https://host[:port])` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { problem: "must be a host name, or an https:// URL" };
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return { problem: "must be a host[:port] with no path, query or credentials" };
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === "http:" && !loopback)
    return { problem: "must use https:// (plain http:// is accepted only for a loopback address, such as the local emulator)" };
  if (!loopback) {
    const label = url.hostname.split(".")[0]!.toLowerCase();
    if (isIpAddress(url.hostname) || label !== SIGNING_LABEL[service]) {
      return {
        problem:
          `must be a host name beginning with "${SIGNING_LABEL[service]}." (the SDK signs each request with the host's first label), ` +
          `e.g. ${PRODUCTION_HOSTS[service]} or ${TEST_ENVIRONMENT_HOSTS[service]}`,
      };
    }
  }
  return { endpoint: { protocol: url.protocol === "http:" ? "http://" : "https://", host: url.host } };
}

/** The default endpoint of a service: Tencent's production host. */
export const productionEndpoint = (service: EssService): EssEndpoint => ({ protocol: "https://", host: PRODUCTION_HOSTS[service] });

/**
 * Warnings for a deployed function (on SCF): an endpoint on a loopback address (nothing listens
 * there in SCF), or one in Tencent's 联调 test environment (not production). Names only the setting
 * and the kind of host.
 */
export function endpointWarnings(endpoints: Record<EssService, EssEndpoint>, deployed: boolean): string[] {
  if (!deployed) return [];
  const warnings: string[] = [];
  for (const service of Object.keys(endpoints) as EssService[]) {
    const hostname = endpoints[service].host.replace(/:\d+$/, "").toLowerCase();
    const setting = ENDPOINT_SETTINGS[service];
    if (isLoopbackHost(hostname))
      warnings.push(`${setting} is a loopback address on a deployed function: nothing answers there; unset it to call ESS`);
    else if (hostname.endsWith(".test.ess.tencent.cn"))
      warnings.push(`${setting} is Tencent's 联调 test environment (${TEST_ENVIRONMENT_HOSTS[service]}), not production ESS`);
  }
  return warnings;
}
