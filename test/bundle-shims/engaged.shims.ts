import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { substitutionsSeen } from "../support/bundle-shims.setup";
import { createCosObjectStore } from "../../shared/object-store/cos-object-store";
import { readEssConfig } from "../../shared/config/config";
import { createSdkEssAdapter } from "../../shared/ess/sdk-adapter";
import { startCosServer, type CosTestServer } from "../support/cos-server";
import { startEssStandIn } from "../support/ess-stand-in";

/**
 * Only in `vitest.shims.config.mts`: proves the other files of that run really exercised the shims
 * (the setup's own check proves the originals never loaded).
 */
let cos: CosTestServer;
let ess: Awaited<ReturnType<typeof startEssStandIn>>;
beforeAll(async () => {
  cos = await startCosServer();
  ess = await startEssStandIn({ secretId: "AKIDshims", secretKey: "shimsKey" });
});
afterAll(async () => {
  await cos.stop();
  await ess.stop();
});

describe("the shims run in place of the originals", () => {
  it("the COS adapter and the ESS gateway work through every shim they load", async () => {
    const store = createCosObjectStore(cos.storeConfig({ prefix: "engaged/" }));
    expect(await store.createExclusive("events/a.json", '{"a":1}')).toBe(true);
    expect(await store.get("events/a.json")).toBe('{"a":1}');
    const gateway = createSdkEssAdapter(
      readEssConfig({ ESS_SECRET_ID: "AKIDshims", ESS_SECRET_KEY: "shimsKey", ESS_ENDPOINT: ess.endpoint, ESS_TIMEOUT_MS: "2000" }),
    );
    await gateway.describeGroup("yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe", { edition: "ess", operatorUserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" });
    expect(ess.calls.at(-1)?.signatureValid).toBe(true);
    const seen = substitutionsSeen().map((s) => `${s.package}:${s.request}`);
    // select-stream is required only inside selectObjectContent, which nothing here calls.
    expect(seen.sort()).toEqual(
      [
        "cos-nodejs-sdk-v5:./advance",
        "cos-nodejs-sdk-v5:cos-fast-xml-parser",
        "cos-nodejs-sdk-v5:cos-request",
        "cos-nodejs-sdk-v5:mime-types",
        "tencentcloud-sdk-nodejs:./fetch",
        "tencentcloud-sdk-nodejs:form-data",
        "tencentcloud-sdk-nodejs:json-bigint",
        "tencentcloud-sdk-nodejs:./sse_response_model",
        "tencentcloud-sdk-nodejs:uuid",
      ].sort(),
    );
  });
});
