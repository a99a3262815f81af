import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../../local/ess-emulator";
import { essbasicClient, essClient, sdkError } from "../support/sdk";
import { rawApiCall } from "../support/signer";

/** The Tencent Cloud API 3.0 protocol as the official SDK and raw HTTP clients meet it. */

let emulator: RunningEmulator;
/** The emulator's clock runs `skewMs` ahead of the real one, to test expired signatures. */
let skewMs = 0;
const OPERATOR = { UserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" };

beforeAll(async () => {
  emulator = await startEmulator({ clock: () => Date.now() + skewMs });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  skewMs = 0;
});

const raw = (over: Partial<Parameters<typeof rawApiCall>[0]> = {}) =>
  rawApiCall({
    url: `${emulator.url}/`,
    action: "DescribeFlowInfo",
    version: "2020-11-11",
    body: JSON.stringify({ Operator: OPERATOR, FlowIds: ["yDwJ7UUckpk84prkUyPWcjIufyhLeqjP"] }),
    ...emulator.credentials,
    ...over,
  });

describe("authentication through the official SDK", () => {
  it.each([
    [
      "a wrong SecretKey",
      () => essClient({ endpoint: emulator.endpoint, credentials: { ...emulator.credentials, secretKey: "x".repeat(32) } }),
      0,
      "AuthFailure.SignatureFailure",
    ],
    [
      "an unknown SecretId",
      () => essClient({ endpoint: emulator.endpoint, credentials: { ...emulator.credentials, secretId: "AKIDnobody" } }),
      0,
      "AuthFailure.SecretIdNotFound",
    ],
    ["a client clock 6 minutes behind", () => essClient(emulator), 6 * 60_000, "AuthFailure.SignatureExpire"],
    ["a client clock 6 minutes ahead", () => essClient(emulator), -6 * 60_000, "AuthFailure.SignatureExpire"],
  ])("%s is refused with %s", async (_name, client, skew, code) => {
    skewMs = skew;
    const error = await sdkError(client().DescribeFlowInfo({ Operator: OPERATOR, FlowGroupId: "yDwJ7UUckpk84praUyPWcjISDLsIVxyo" }));
    expect(error.code).toBe(code);
    expect(error.requestId).toMatch(/^s\d{19}$/);
  });

  it("accepts a correctly signed call and answers with the SDK model's fields", async () => {
    const error = await sdkError(
      essClient(emulator).DescribeFlowInfo({ Operator: OPERATOR, FlowGroupId: "yDwJ7UUckpk84praUyPWcjISDLsIVxyo" }),
    );
    // Authenticated: the answer is about the (unknown) group, not about the signature.
    expect(error.code).toBe("ResourceNotFound.Flow");
  });

  it("refuses an action of the other edition's version with InvalidAction", async () => {
    const error = await sdkError(essbasicClient(emulator).request("CreateFlowGroupByFiles", {}));
    expect(error.code).toBe("InvalidAction");
  });

  it("refuses an action it does not know with InvalidAction", async () => {
    const error = await sdkError(essClient(emulator).request("DescribeNothing", {}));
    expect(error.code).toBe("InvalidAction");
  });
});

describe("raw HTTP requests", () => {
  it("answers every API call with HTTP 200 and a Response envelope", async () => {
    const res = await raw();
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["Response"]);
    expect(res.body.Response.Error).toEqual({ Code: "ResourceNotFound.Flow", Message: expect.any(String) });
    expect(res.body.Response.RequestId).toMatch(/^s\d{19}$/);
    expect(res.headers.get("x-tc-requestid")).toBe(res.body.Response.RequestId);
  });

  it.each([
    ["a body that is not JSON", { body: "Operator=1" }, "InvalidParameter"],
    ["a JSON array body", { body: "[]" }, "InvalidParameter"],
    ["an unknown API version", { version: "2019-01-01" }, "NoSuchVersion"],
    ["an unknown action", { action: "DeleteEverything" }, "InvalidAction"],
    ["a garbled Authorization", { authorization: "TC3-HMAC-SHA256 Credential=garbage" }, "AuthFailure.InvalidAuthorization"],
    ["a missing X-TC-Action", { action: "" }, "MissingParameter"],
    [
      "a parameter the SDK model does not define",
      { body: JSON.stringify({ Operator: OPERATOR, FlowIds: ["a"], FlowIdz: [] }) },
      "UnknownParameter",
    ],
    [
      "a nested parameter the SDK model does not define",
      { action: "CreateFlowGroupByFiles", body: JSON.stringify({ Operator: { UserId: "u", Name: "x" } }) },
      "UnknownParameter",
    ],
  ])("%s → %s", async (_name, over, code) => {
    const res = await raw(over);
    expect(res.status).toBe(200);
    expect(res.body.Response.Error.Code).toBe(code);
  });

  it("answers GET / with UnsupportedProtocol", async () => {
    const res = await fetch(`${emulator.url}/`);
    expect(((await res.json()) as any).Response.Error.Code).toBe("UnsupportedProtocol");
  });

  it("refuses a body over 10 MB with RequestSizeLimitExceeded", async () => {
    const res = await raw({ body: JSON.stringify({ pad: "x".repeat(10 * 1024 * 1024 + 1) }) });
    expect(res.body.Response.Error.Code).toBe("RequestSizeLimitExceeded");
  });

  it("counts calls per action, whatever their outcome", async () => {
    await raw();
    await raw({ body: "not json" });
    await raw({ action: "CreateFlowGroupByFiles", body: "{}" });
    const stats = emulator.stats();
    expect(stats.calls).toEqual({ DescribeFlowInfo: 2, CreateFlowGroupByFiles: 1 });
    expect(stats.callsByEdition.ess.DescribeFlowInfo).toBe(2);
    expect(stats.errors.InvalidParameter).toBe(1);
  });
});
