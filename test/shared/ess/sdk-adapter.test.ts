import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readEssConfig } from "../../../shared/config/config";
import { readFile } from "node:fs/promises";
import { createSdkEssAdapter, SDK_SERVICES } from "../../../shared/ess/sdk-adapter";
import { startEssStandIn } from "../../support/ess-stand-in";
import essExample from "../../fixtures/seed/ess-example-3.request.json";

/** The official SDK against a loopback stand-in: which failures are retried, and which never are. */
let standIn: Awaited<ReturnType<typeof startEssStandIn>>;
let gateway: ReturnType<typeof createSdkEssAdapter>;

beforeAll(async () => {
  standIn = await startEssStandIn({ secretId: "AKIDretry", secretKey: "retryKey" });
  const config = readEssConfig({
    ESS_SECRET_ID: "AKIDretry",
    ESS_SECRET_KEY: "retryKey",
    ESS_ENDPOINT: standIn.endpoint,
    ESS_TIMEOUT_MS: "800",
  });
  gateway = createSdkEssAdapter(config, { baseDelayMs: 5 });
});
afterAll(() => standIn.stop());
beforeEach(() => {
  standIn.reset();
});

const identity = { edition: "ess" as const, operatorUserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" };
const create = () => gateway.createFlowGroup({ edition: "ess", request: essExample as never }, { timeoutMs: 5_000 });

describe("createSdkEssAdapter retries", () => {
  it("repeats a create that ESS refused for rate limiting (nothing was created)", async () => {
    standIn.failNextWith({ Code: "RequestLimitExceeded", Message: "slow down" }, 2);
    const result = await create();
    expect(result.FlowGroupId).toBeTruthy();
    expect(standIn.calls.filter((c) => c.action === "CreateFlowGroupByFiles")).toHaveLength(3);
  });

  it("never repeats a create after an ESS internal error (it may have created the group)", async () => {
    standIn.failNextWith({ Code: "InternalError.Db", Message: "db" });
    await expect(create()).rejects.toMatchObject({ code: "InternalError.Ess" });
    expect(standIn.calls).toHaveLength(1);
  });

  it("never repeats a create after a timeout", async () => {
    standIn.setDelay(1_200);
    await expect(create()).rejects.toMatchObject({ code: "InternalError.EssTimeout" });
    expect(standIn.calls).toHaveLength(1);
  });

  it("repeats a read after an internal error and returns its answer", async () => {
    standIn.failNextWith({ Code: "InternalError.System", Message: "x" });
    const result = await gateway.describeGroup("yDwJ7UUckpk84praUyPWcjISDLsIVxyo", identity, { timeoutMs: 5_000 });
    expect(result.flows).toEqual([]);
    expect(standIn.calls.map((c) => c.action)).toEqual(["DescribeFlowInfo", "DescribeFlowInfo"]);
    expect(standIn.calls[1]!.body).toMatchObject({
      FlowGroupId: "yDwJ7UUckpk84praUyPWcjISDLsIVxyo",
      Operator: { UserId: identity.operatorUserId },
    });
  });

  it("does not repeat a read refused for a bad parameter", async () => {
    standIn.failNextWith({ Code: "InvalidParameter.ParamError", Message: "x" });
    await expect(gateway.describeGroup("yDwJ7UUckpk84praUyPWcjISDLsIVxyo", identity)).rejects.toMatchObject({ httpStatus: 400 });
    expect(standIn.calls).toHaveLength(1);
  });
});

describe("createSdkEssAdapter endpoints", () => {
  it("calls each edition at its own endpoint (one setting per edition)", async () => {
    const essbasic = await startEssStandIn({ secretId: "AKIDretry", secretKey: "retryKey" });
    try {
      const config = readEssConfig({
        ESS_SECRET_ID: "AKIDretry",
        ESS_SECRET_KEY: "retryKey",
        ESS_ENDPOINT: standIn.endpoint,
        ESSBASIC_ENDPOINT: essbasic.endpoint,
      });
      const both = createSdkEssAdapter(config, { baseDelayMs: 5 });
      await both.createFlowGroup({ edition: "ess", request: essExample as never }, { timeoutMs: 5_000 });
      await both.describeGroup(
        "yDwJ7UUckpk84praUyPWcjISDLsIVxyo",
        { edition: "essbasic", appId: "a", proxyOrganizationOpenId: "o", proxyOperatorOpenId: "p" } as never,
        { timeoutMs: 5_000 },
      );
      expect(standIn.calls.map((c) => [c.action, c.signatureValid])).toEqual([["CreateFlowGroupByFiles", true]]);
      expect(essbasic.calls.map((c) => [c.action, c.signatureValid])).toEqual([["DescribeFlowDetailInfo", true]]);
    } finally {
      await essbasic.stop();
    }
  });
});

describe("SDK_SERVICES", () => {
  it.each([
    ["ess", "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client"],
    ["essbasic", "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_client"],
  ] as const)("%s: the host and version its SDK service client gives the AbstractClient", async (edition, module) => {
    const source = await readFile(require.resolve(module), "utf8");
    const { endpoint, version } = SDK_SERVICES[edition];
    expect(source).toContain(`super(${JSON.stringify(endpoint)}, ${JSON.stringify(version)}, clientConfig)`);
  });
});
