import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { readEssConfig } from "../../../shared/config/config";
import { createSdkEssAdapter } from "../../../shared/ess/sdk-adapter";

/**
 * The SDK adapter's upload and sign-link calls against the emulator (and, in `npm run test:shims`,
 * through the deployed bundles' SDK shims): UploadFiles goes to the file host and nowhere else, and a
 * sign link comes back from each group-level action.
 */
let emulator: RunningEmulator;
const ESS_OPERATOR = "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K";

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

function gateway(apiEndpoint: string) {
  return createSdkEssAdapter(
    readEssConfig({
      ESS_SECRET_ID: emulator.credentials.secretId,
      ESS_SECRET_KEY: emulator.credentials.secretKey,
      ESS_ENDPOINT: apiEndpoint,
      ESSBASIC_ENDPOINT: apiEndpoint,
      ESS_FILE_ENDPOINT: emulator.fileUrl,
      ESS_TIMEOUT_MS: "3000",
    }),
  );
}

describe("UploadFiles through the official SDK", () => {
  it("goes to the file host: it works with the API host unreachable", async () => {
    const pdf = readFileSync(path.join("local", "sample-files", "nda.pdf"));
    const answer = await gateway("http://127.0.0.1:9").uploadFiles({
      edition: "ess",
      request: {
        BusinessType: "DOCUMENT",
        FileType: "pdf",
        Caller: { OperatorId: ESS_OPERATOR },
        FileInfos: [{ FileName: "nda.pdf", FileBody: pdf.toString("base64") }],
      },
    });
    expect(answer.FileIds).toHaveLength(1);
    expect(emulator.state().files.find((f) => f.fileId === answer.FileIds![0])?.pages).toBe(2);
  });
});

describe("group sign links through the official SDK", () => {
  it("CreateBatchQuickSignUrl with FlowGroupId answers a link that opens the person's sign page", async () => {
    const ess = gateway(emulator.url);
    const request = JSON.parse(readFileSync(path.join("test", "fixtures", "seed", "ess-example-3.request.json"), "utf8"));
    const group = await ess.createFlowGroup({ edition: "ess", request }, { timeoutMs: 5_000 });
    const link = await ess.createSignUrl({
      edition: "ess",
      action: "CreateBatchQuickSignUrl",
      request: {
        Operator: { UserId: request.Operator.UserId },
        FlowGroupId: group.FlowGroupId,
        FlowApproverInfo: { ApproverType: 1, SignId: group.Approvers![1]!.Approvers![1]!.SignId },
      },
    });
    expect(link.requestId).toMatch(/^s/);
    expect((await fetch(link.url)).status).toBe(200);
  });
});
