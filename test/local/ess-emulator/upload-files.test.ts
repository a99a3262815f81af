import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { APP_ID, ESS_OPERATOR } from "./support/fixtures";
import { b64, encryptedPdf, makePdf, png, sample, SAMPLES } from "./support/files";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * UploadFiles through the official SDK, on the file host (as file.ess.tencent.cn) and on the API
 * host: what ESS keeps, what it refuses before keeping anything, and what the FileIds start.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const MiB = 1024 * 1024;
const AGENT = { AppId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", ProxyOperator: { OpenId: "kevin" } };
const files = () => ({ endpoint: emulator.fileEndpoint, credentials: emulator.credentials });
const essUpload = (fileInfos: Array<{ FileBody: string; FileName?: string }>, extra: Record<string, unknown> = {}, target = files()) =>
  essClient(target).UploadFiles({ BusinessType: "DOCUMENT", Caller: { OperatorId: ESS_OPERATOR }, FileInfos: fileInfos, ...extra } as any);
const essbasicUpload = (fileInfos: Array<{ FileBody: string; FileName?: string }>, extra: Record<string, unknown> = {}) =>
  essbasicClient(files()).UploadFiles({ Agent: AGENT, BusinessType: "DOCUMENT", FileInfos: fileInfos, ...extra } as any);

describe("what ESS keeps", () => {
  it("ess: the samples are kept with their names and page counts, in upload order, for one hour", async () => {
    const res = await essUpload(SAMPLES.map((s) => ({ FileBody: b64(sample(s.file)), FileName: s.file })));
    expect(res.TotalCount).toBe(3);
    expect(res.FileIds).toHaveLength(3);
    const kept = emulator.state().files;
    expect(kept.map((f) => [f.fileId, f.fileName, f.kind, f.pages])).toEqual(
      SAMPLES.map((s, i) => [res.FileIds![i], s.file, "pdf", s.pages]),
    );
    expect(kept[0]!.size).toBe(sample(SAMPLES[0].file).length);
    expect(res.Deadline! - Math.floor(Date.now() / 1000)).toBeGreaterThan(3590);
  });

  it("essbasic: the same through the channel client", async () => {
    const res = await essbasicUpload([{ FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" }]);
    expect(emulator.state().files).toMatchObject([{ fileId: res.FileIds![0], edition: "essbasic", pages: 2 }]);
  });

  it("the file host takes a PDF larger than the API host's 10 MB body limit; the API host refuses it", async () => {
    const big = b64(await makePdf(2, 12 * MiB));
    const onFileHost = await essUpload([{ FileBody: big, FileName: "big.pdf" }]);
    expect(onFileHost.FileIds).toHaveLength(1);
    const onApiHost = await sdkError(
      essUpload([{ FileBody: big, FileName: "big.pdf" }], {}, { endpoint: emulator.endpoint, credentials: emulator.credentials }),
    );
    expect(onApiHost.code).toBe("RequestSizeLimitExceeded");
  });

  it("the API host also serves a small upload (a client without a file endpoint still works)", async () => {
    const res = await essUpload(
      [{ FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" }],
      {},
      { endpoint: emulator.endpoint, credentials: emulator.credentials },
    );
    expect(res.FileIds).toHaveLength(1);
  });

  it("the file host serves UploadFiles only", async () => {
    const err = await sdkError(essClient(files()).CreateFlowGroupByFiles(seed("ess-example-1") as any));
    expect(err.code).toBe("InvalidAction");
  });

  it("images are kept under DOCUMENT but cannot start a flow; PDFs of the right page count can", async () => {
    const res = await essUpload([
      { FileBody: b64(png()), FileName: "scan.png" },
      { FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" },
    ]);
    const [image, pdf] = res.FileIds!;
    expect(emulator.state().files.map((f) => f.kind)).toEqual(["png", "pdf"]);
    const request = seed("ess-example-1");
    request.FlowGroupInfos[0].FileIds = [image];
    const refused = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
    expect(refused).toMatchObject({ code: "InvalidParameter.ResourceType" });
    expect(refused.message).toContain("FlowGroupInfos[0].FileIds[0]");
    for (const f of request.FlowGroupInfos) f.FileIds = [pdf];
    await essClient(emulator).CreateFlowGroupByFiles(request as any);
  });

  it("a sign component must fall on a page the PDF has", async () => {
    const res = await essUpload([{ FileBody: b64(sample("nda.pdf")), FileName: "nda.pdf" }]);
    const request = seed("ess-example-1");
    for (const f of request.FlowGroupInfos) f.FileIds = res.FileIds;
    request.FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentPage = 3;
    const refused = await sdkError(essClient(emulator).CreateFlowGroupByFiles(request as any));
    expect(refused.code).toBe("InvalidParameter.ComponentPage");
    expect(refused.message).toContain("FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentPage");
    request.FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentPage = 2;
    await essClient(emulator).CreateFlowGroupByFiles(request as any);
  });
});

describe("what ESS refuses (nothing is kept)", () => {
  const text = b64(Buffer.from("this is not a pdf, just text"));

  it.each([
    ["plain text", "InvalidParameter.ResourceType", "FileInfos[0].FileBody", async () => [{ FileBody: text, FileName: "a.pdf" }]],
    [
      "a PDF header over garbage",
      "InvalidParameter.ResourceType",
      "not a readable PDF",
      async () => [{ FileBody: b64(Buffer.from("%PDF-1.7\nnothing here\n%%EOF\n")), FileName: "a.pdf" }],
    ],
    [
      "a truncated PDF",
      "InvalidParameter.ResourceType",
      "not a readable PDF",
      async () => [{ FileBody: b64(sample("nda.pdf").subarray(0, 1500)), FileName: "a.pdf" }],
    ],
    [
      "an encrypted PDF",
      "InvalidParameter.ResourceType",
      "encrypted",
      async () => [{ FileBody: b64(await encryptedPdf()), FileName: "a.pdf" }],
    ],
    [
      "a PDF named .docx",
      "InvalidParameter.ResourceType",
      "FileInfos[0].FileName",
      async () => [{ FileBody: b64(sample("nda.pdf")), FileName: "a.docx" }],
    ],
    [
      "a PNG named .pdf",
      "InvalidParameter.ResourceType",
      "FileInfos[0].FileName",
      async () => [{ FileBody: b64(png()), FileName: "a.pdf" }],
    ],
    ["an image over 5 MB", "LimitExceeded", "5 MB", async () => [{ FileBody: b64(png(5 * MiB + 1)), FileName: "a.png" }]],
    ["a PDF over 60 MB", "LimitExceeded", "60 MB", async () => [{ FileBody: b64(await makePdf(1, 60 * MiB + 1)), FileName: "a.pdf" }]],
    [
      "a good file then a bad one",
      "InvalidParameter.ResourceType",
      "FileInfos[1]",
      async () => [{ FileBody: b64(sample("nda.pdf")), FileName: "ok.pdf" }, { FileBody: text }],
    ],
    [
      "21 files",
      "InvalidParameter.ParamError",
      "FileInfos",
      async () => Array.from({ length: 21 }, () => ({ FileBody: b64(sample("nda.pdf")) })),
    ],
  ])("ess: %s → %s", async (_name, code, inMessage, make) => {
    const err = await sdkError(essUpload(await make()));
    expect(err.code).toBe(code);
    expect(err.message).toContain(inMessage);
    expect(emulator.state().files).toEqual([]);
  });

  it("ess: an image of exactly 5 MB is kept", async () => {
    await essUpload([{ FileBody: b64(png(5 * MiB)), FileName: "a.png" }]);
    expect(emulator.state().files).toHaveLength(1);
  });

  it.each([
    ["a PDF as a SEAL", "SEAL", { FileBody: b64(sample("nda.pdf")), FileName: "a.pdf" }],
    ["a PNG as a TEMPLATE", "TEMPLATE", { FileBody: b64(png()), FileName: "a.png" }],
  ])("ess: %s is not what the BusinessType takes", async (_name, businessType, file) => {
    expect((await sdkError(essUpload([file], { BusinessType: businessType }))).code).toBe("InvalidParameter.ResourceType");
  });

  it("ess: FileType names the type every file must have", async () => {
    const err = await sdkError(essUpload([{ FileBody: b64(png()), FileName: "a.png" }], { FileType: "pdf" }));
    expect(err.code).toBe("InvalidParameter.ResourceType");
    await essUpload([{ FileBody: b64(sample("nda.pdf")), FileName: "a.pdf" }], { FileType: "pdf" });
  });

  it("essbasic: its own codes, and files of one call must share a type", async () => {
    expect((await sdkError(essbasicUpload([{ FileBody: text, FileName: "a.pdf" }]))).code).toBe("InvalidParameter.FileType");
    expect((await sdkError(essbasicUpload([{ FileBody: b64(png(5 * MiB + 1)), FileName: "a.png" }]))).code).toBe("LimitExceeded.FileSize");
    const mixed = await sdkError(
      essbasicUpload([
        { FileBody: b64(sample("nda.pdf")), FileName: "a.pdf" },
        { FileBody: b64(png()), FileName: "a.png" },
      ]),
    );
    expect(mixed.code).toBe("InvalidParameter.FileType");
    expect(emulator.state().files).toEqual([]);
  });
});
