import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startLocalStack, type LocalStack } from "../../../local/stack";
import { buildPdf, ONE_PAGE } from "../../support/pdf-builder";

/**
 * POST /ess/files and /essbasic/files through the real handler on the local stack: the official SDK
 * uploads to the emulator's file host, the FileIds start a group, and every bad request is refused
 * before ESS is called (counted on the emulator: its UploadFiles calls and the files it keeps).
 */
const API_KEY = "upload-files-test-api-key";
const ESS_OPERATOR = "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K";
const ESSBASIC_AGENT = {
  AppId: "394fc83e7a1cc97ba27c3342f425c836",
  ProxyOrganizationOpenId: "zk_online_org",
  ProxyOperator: { OpenId: "kevin" },
};
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "upload-files-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "error", STORE_FSYNC: "false", API_KEY_HASHES: hashApiKey(API_KEY) },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

const sample = (file: string) => readFileSync(path.join("local", "sample-files", file));
const uploads = () => ({ calls: stack.emulator.stats().calls.UploadFiles ?? 0, files: stack.emulator.state().files.length });

/** A multipart body as curl -F builds it; `base64` encodes the file parts as `encoder=base64` does. */
function multipart(parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string; base64?: boolean }>) {
  const boundary = "----i12-test-boundary-7d9a";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ""}`;
    const headers = [`Content-Disposition: ${disposition}`];
    if (part.type) headers.push(`Content-Type: ${part.type}`);
    if (part.base64) headers.push("Content-Transfer-Encoding: base64");
    const data = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data);
    chunks.push(
      Buffer.from(`--${boundary}\r\n${headers.join("\r\n")}\r\n\r\n`),
      part.base64 ? Buffer.from(data.toString("base64")) : data,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(edition: "ess" | "essbasic", body: Buffer | string, contentType: string, key: string | null = API_KEY) {
  const res = await fetch(`${stack.gateway.url}/${edition}/files`, {
    method: "POST",
    headers: { "Content-Type": contentType, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const json = (value: unknown) => JSON.stringify(value);

describe("uploads that work", () => {
  it("multipart with base64 parts (curl -F 'file=@x.pdf;encoder=base64'): FileIds in upload order, each file's pages", async () => {
    const before = uploads();
    const { body, contentType } = multipart([
      { name: "Operator.UserId", data: ESS_OPERATOR },
      { name: "file", filename: "purchase-contract.pdf", type: "application/pdf", data: sample("purchase-contract.pdf"), base64: true },
      { name: "file", filename: "nda.pdf", type: "application/pdf", data: sample("nda.pdf"), base64: true },
    ]);
    const res = await upload("ess", body, contentType);

    expect(res.status).toBe(200);
    expect(res.body.FileIds).toHaveLength(2);
    expect(res.body.Files.map((f: any) => [f.FileName, f.Pages, f.Bytes])).toEqual([
      ["purchase-contract.pdf", 3, sample("purchase-contract.pdf").length],
      ["nda.pdf", 2, sample("nda.pdf").length],
    ]);
    expect(res.body.RequestId).toMatch(/^s/);
    expect(Date.parse(res.body.ExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    expect(uploads().calls - before.calls).toBe(1);
    // The emulator kept exactly these, in this order, with the page counts it read itself.
    const kept = stack.emulator.state().files.slice(-2);
    expect(kept.map((f: any) => [f.fileId, f.pages])).toEqual([
      [res.body.FileIds[0], 3],
      [res.body.FileIds[1], 2],
    ]);
  });

  it("multipart with raw binary parts through an API Gateway event marked base64 arrives intact", async () => {
    // What an API Gateway (or TSE) route with Base64 encoding on sends: the raw bytes, base64-encoded, isBase64Encoded true.
    const fn = stack.functions.find((f) => f.name === "upload-files")!;
    const { loadHandlers } = await import("../../../local/gateway/load-handlers");
    const { readDeployedFunctions } = await import("../../../local/gateway/functions");
    const [handler] = await loadHandlers((await readDeployedFunctions()).filter((f) => f.key === "upload-files"));
    const { body, contentType } = multipart([
      { name: "Operator.UserId", data: ESS_OPERATOR },
      { name: "file", filename: "service-agreement.pdf", type: "application/pdf", data: sample("service-agreement.pdf") },
    ]);
    const response = await handler!.invoke(
      {
        httpMethod: "POST",
        path: "/ess/files",
        headers: { "content-type": contentType, authorization: `Bearer ${API_KEY}` },
        body: body.toString("base64"),
        isBase64Encoded: true,
        requestContext: { serviceId: "s", path: "/ess/files", httpMethod: "POST", requestId: "r", sourceIp: "127.0.0.1", stage: "release" },
      },
      { request_id: "api-gateway-1" },
    );
    expect(fn).toBeDefined();
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).Files[0].Pages).toBe(4);
  });

  it("JSON with base64 FileBody (the SDK's own shape), essbasic, then a group created from the FileIds", async () => {
    const files = ["purchase-contract.pdf", "nda.pdf", "service-agreement.pdf"];
    const res = await upload(
      "essbasic",
      json({ Agent: ESSBASIC_AGENT, Files: files.map((f) => ({ FileName: f, FileBody: sample(f).toString("base64") })) }),
      "application/json",
    );
    expect(res.status).toBe(200);
    expect(res.body.FileIds).toHaveLength(3);

    const request = JSON.parse(await readFile(path.join("test", "fixtures", "seed", "essbasic-example-1.request.json"), "utf8"));
    request.FlowFileInfos.forEach((flow: any, i: number) => (flow.FileIds = [res.body.FileIds[i]]));
    const created = await fetch(`${stack.gateway.url}/essbasic/flow-groups`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
      body: json(request),
    });
    expect(created.status).toBe(200);
    const group = (await created.json()) as { FlowIds: string[] };
    expect(group.FlowIds).toHaveLength(3);
  });

  it("a PDF from another writer (object streams, 12 pages) and a hand-made one", async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 12; i++) doc.addPage();
    const modern = Buffer.from(await doc.save({ useObjectStreams: true }));
    const res = await upload(
      "ess",
      json({
        Operator: { UserId: ESS_OPERATOR },
        Files: [
          { FileName: "modern.PDF", FileBody: modern.toString("base64") },
          { FileName: "hand.pdf", FileBody: buildPdf(ONE_PAGE).bytes.toString("base64") },
        ],
      }),
      "application/json",
    );
    expect(res.status).toBe(200);
    expect(res.body.Files.map((f: any) => f.Pages)).toEqual([12, 1]);
  });
});

describe("refused before ESS is called: nothing reaches it, nothing is kept", () => {
  const pdf = sample("nda.pdf");
  const good = { FileName: "nda.pdf", FileBody: pdf.toString("base64") };
  const jsonCases: Array<[string, unknown, number, string, string]> = [
    [
      "a file that is not a PDF",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ FileName: "a.pdf", FileBody: Buffer.from("PK\u0003\u0004zip").toString("base64") }] },
      415,
      "InvalidParameter.FileType",
      "Files[0].FileBody",
    ],
    [
      "a damaged PDF (cut short)",
      { Operator: { UserId: ESS_OPERATOR }, Files: [good, { FileName: "b.pdf", FileBody: pdf.subarray(0, 2000).toString("base64") }] },
      400,
      "InvalidParameter.FileBody",
      "Files[1].FileBody",
    ],
    [
      "an encrypted PDF",
      {
        Operator: { UserId: ESS_OPERATOR },
        Files: [{ FileName: "e.pdf", FileBody: buildPdf(ONE_PAGE, { trailer: "/Encrypt 9 0 R " }).bytes.toString("base64") }],
      },
      400,
      "InvalidParameter.FileBody",
      "Files[0].FileBody",
    ],
    [
      "a PDF without pages",
      {
        Operator: { UserId: ESS_OPERATOR },
        Files: [
          {
            FileName: "e.pdf",
            FileBody: buildPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]).bytes.toString("base64"),
          },
        ],
      },
      400,
      "InvalidParameter.FileBody",
      "Files[0].FileBody",
    ],
    [
      "a name that is not .pdf",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ ...good, FileName: "nda.docx" }] },
      400,
      "InvalidParameter.FileName",
      "Files[0].FileName",
    ],
    [
      "a name over 200 characters",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ ...good, FileName: `${"a".repeat(200)}.pdf` }] },
      400,
      "InvalidParameter.FileName",
      "Files[0].FileName",
    ],
    [
      "no name",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ FileBody: good.FileBody }] },
      400,
      "MissingParameter.FileName",
      "Files[0].FileName",
    ],
    [
      "a body that is not base64",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ FileName: "a.pdf", FileBody: "not base64!" }] },
      400,
      "InvalidParameter.FileBody",
      "Files[0].FileBody",
    ],
    [
      "an empty body",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ FileName: "a.pdf", FileBody: "" }] },
      400,
      "MissingParameter.FileBody",
      "Files[0].FileBody",
    ],
    [
      "21 files",
      { Operator: { UserId: ESS_OPERATOR }, Files: Array.from({ length: 21 }, () => good) },
      400,
      "LimitExceeded.FileCount",
      "Files",
    ],
    ["no files", { Operator: { UserId: ESS_OPERATOR }, Files: [] }, 400, "MissingParameter.Files", "Files"],
    ["no Files field", { Operator: { UserId: ESS_OPERATOR } }, 400, "MissingParameter.Files", "Files"],
    [
      "an unknown field",
      { Operator: { UserId: ESS_OPERATOR }, Files: [good], BusinessType: "SEAL" },
      400,
      "UnknownParameter",
      "BusinessType",
    ],
    [
      "an unknown field in a file",
      { Operator: { UserId: ESS_OPERATOR }, Files: [{ ...good, FileType: "pdf" }] },
      400,
      "UnknownParameter",
      "Files[0].FileType",
    ],
    [
      "an identity field the upload does not take",
      { Operator: { UserId: ESS_OPERATOR, OpenId: "x" }, Files: [good] },
      400,
      "UnknownParameter",
      "Operator.OpenId",
    ],
    ["no operator (none configured either)", { Files: [good] }, 400, "MissingParameter.Operator.UserId", "Operator.UserId"],
    ["a body that is not an object", [good], 400, "InvalidParameter.Body", "Body"],
  ];

  it.each(jsonCases)("JSON: %s", async (_what, value, status, code, path) => {
    const before = uploads();
    const res = await upload("ess", json(value), "application/json");
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(res.body.Error.Issues.map((i: any) => i.Path)).toContain(path);
    expect(JSON.stringify(res.body)).not.toMatch(/nda|\.docx/);
    expect(uploads()).toEqual(before);
  });

  const partsCases: Array<[string, Parameters<typeof multipart>[0], number, string]> = [
    [
      "raw binary PDF bytes through a function URL (altered on the way)",
      [
        { name: "Operator.UserId", data: ESS_OPERATOR },
        { name: "file", filename: "nda.pdf", type: "application/pdf", data: pdf },
      ],
      400,
      "InvalidParameter.FileBody",
    ],
    [
      "a part declared as an image",
      [
        { name: "Operator.UserId", data: ESS_OPERATOR },
        { name: "file", filename: "nda.pdf", type: "image/png", data: pdf, base64: true },
      ],
      415,
      "InvalidParameter.FileType",
    ],
    [
      "a file part without a file name",
      [
        { name: "Operator.UserId", data: ESS_OPERATOR },
        { name: "file", data: pdf, base64: true },
      ],
      400,
      "MissingParameter.FileName",
    ],
    [
      "a field this upload does not take",
      [
        { name: "Operator.UserId", data: ESS_OPERATOR },
        { name: "BusinessType", data: "SEAL" },
        { name: "file", filename: "a.pdf", data: pdf, base64: true },
      ],
      400,
      "UnknownParameter",
    ],
    [
      "a file under another field name",
      [
        { name: "Operator.UserId", data: ESS_OPERATOR },
        { name: "document", filename: "a.pdf", data: pdf, base64: true },
      ],
      400,
      "UnknownParameter",
    ],
    ["no file part", [{ name: "Operator.UserId", data: ESS_OPERATOR }], 400, "MissingParameter.Files"],
  ];

  it.each(partsCases)("multipart: %s", async (_what, parts, status, code) => {
    const before = uploads();
    const { body, contentType } = multipart(parts);
    const res = await upload("ess", body, contentType);
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(uploads()).toEqual(before);
  });

  it("raw binary bytes are refused with what to do instead", async () => {
    const { body, contentType } = multipart([
      { name: "Operator.UserId", data: ESS_OPERATOR },
      { name: "file", filename: "nda.pdf", data: pdf },
    ]);
    const res = await upload("ess", body, contentType);
    expect(res.body.Error.Issues[0].Message).toMatch(/encoder=base64/);
  });

  it.each([
    ["a PDF posted as application/pdf", pdf, "application/pdf", 415, "InvalidParameter.ContentType"],
    ["text", "hello", "text/plain", 415, "InvalidParameter.ContentType"],
    ["multipart without a boundary", "x", "multipart/form-data", 400, "InvalidParameter.ContentType"],
    [
      "multipart cut short",
      `--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-`,
      "multipart/form-data; boundary=b",
      400,
      "InvalidParameter.Body",
    ],
    ["JSON that does not parse", "{", "application/json", 400, "InvalidParameter.Body"],
  ])("%s", async (_what, body, contentType, status, code) => {
    const before = uploads();
    const res = await upload("ess", body, contentType);
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(uploads()).toEqual(before);
  });

  it("no API key → 401", async () => {
    const before = uploads();
    const res = await upload("ess", json({ Files: [good] }), "application/json", null);
    expect(res.status).toBe(401);
    expect(uploads()).toEqual(before);
  });

  it("a body over 6 MB → 413, with what to do for larger PDFs (the local function URL refuses it before the function)", async () => {
    const before = uploads();
    const res = await upload("ess", json({ Files: [{ FileName: "big.pdf", FileBody: "A".repeat(6 * 1024 * 1024) }] }), "application/json");
    expect(res.status).toBe(413);
    expect(uploads()).toEqual(before);
  });

  it("ESS's own refusal (an operator it does not know) comes back as ESS's error, with its RequestId", async () => {
    const res = await upload("ess", json({ Operator: { UserId: "yDnobodyUUckps3me1aUuRbyBJvD8CI" }, Files: [good] }), "application/json");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(600);
    expect(res.body.Error.EssRequestId).toMatch(/^s/);
  });
});
