import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { UploadFilesCall, UploadFilesResult } from "../../../shared/ess/port";
import { UPLOAD_LIMITS, uploadFiles, type UploadFilesDeps } from "../../../shared/files/upload-files";
import type { UploadedFile, UploadRequest } from "../../../shared/files/upload-files";
import { createLogger } from "../../../shared/log/logger";
import { buildPdf, ONE_PAGE } from "../../support/pdf-builder";

/** The upload use case with an ESS fake: identity, limits, and what goes to ESS. */
const pdf = readFileSync(path.join("local", "sample-files", "nda.pdf"));
const file = (over: Partial<UploadedFile> = {}): UploadedFile => ({
  path: "Files[0]",
  fileName: "nda.pdf",
  bytes: pdf,
  maybeAltered: false,
  ...over,
});
const request = (files: UploadedFile[], identity: Record<string, unknown> = {}): UploadRequest => ({
  form: "json",
  files,
  identity,
  issues: [],
});

function setup(
  identity: UploadFilesDeps["identity"] = {},
  answer: (call: UploadFilesCall) => UploadFilesResult = (c) => ({
    FileIds: c.request.FileInfos!.map((_f, i) => `F${i}`),
    RequestId: "s1",
    Deadline: 1_800_000_000,
  }),
) {
  const calls: UploadFilesCall[] = [];
  const deps: UploadFilesDeps = {
    ess: { uploadFiles: async (call) => (calls.push(call), answer(call)) },
    identity,
    clock: () => new Date("2026-01-01T00:00:00Z"),
    log: createLogger({ level: "error" }),
  };
  return { calls, deps };
}

describe("uploadFiles", () => {
  it("ess: one UploadFiles call, BusinessType DOCUMENT, FileType pdf, the operator as Caller.OperatorId, bytes in base64", async () => {
    const { calls, deps } = setup();
    const answer = await uploadFiles(
      { edition: "ess", request: request([file()], { Operator: { UserId: "op-1" }, Agent: { ProxyOrganizationId: "sub" } }) },
      { ...deps, identity: { proxyOrganizationId: "sub" } },
    );
    expect(calls).toEqual([
      {
        edition: "ess",
        request: {
          BusinessType: "DOCUMENT",
          FileType: "pdf",
          Caller: { OperatorId: "op-1" },
          Agent: { ProxyOrganizationId: "sub" },
          FileInfos: [{ FileName: "nda.pdf", FileBody: pdf.toString("base64") }],
        },
      },
    ]);
    expect(answer).toEqual({
      FileIds: ["F0"],
      Files: [{ FileId: "F0", FileName: "nda.pdf", Pages: 2, Bytes: pdf.length }],
      ExpiresAt: "2027-01-15T08:00:00.000Z",
      RequestId: "s1",
    });
  });

  it("essbasic: the configured agent fills what the request leaves out", async () => {
    const { calls, deps } = setup({ essbasicAppId: "app", proxyOrganizationOpenId: "org", proxyOperatorOpenId: "op" });
    await uploadFiles({ edition: "essbasic", request: request([file()]) }, deps);
    expect(calls[0]!.request).toMatchObject({
      BusinessType: "DOCUMENT",
      Agent: { AppId: "app", ProxyOrganizationOpenId: "org", ProxyOperator: { OpenId: "op" } },
    });
  });

  it("a request naming another operator than the configured one → 403, ESS not called", async () => {
    const { calls, deps } = setup({ operatorUserId: "configured" });
    await expect(
      uploadFiles({ edition: "ess", request: request([file()], { Operator: { UserId: "someone-else" } }) }, deps),
    ).rejects.toMatchObject({ httpStatus: 403 });
    expect(calls).toHaveLength(0);
  });

  it.each([
    [
      "essbasic without AppId",
      "essbasic" as const,
      { Agent: { ProxyOrganizationOpenId: "o", ProxyOperator: { OpenId: "p" } } },
      "Agent.AppId",
    ],
    [
      "essbasic without the operator",
      "essbasic" as const,
      { Agent: { AppId: "a", ProxyOrganizationOpenId: "o" } },
      "Agent.ProxyOperator.OpenId",
    ],
    ["ess without an operator", "ess" as const, {}, "Operator.UserId"],
  ])("%s → 400 naming %s", async (_what, edition, identity, missing) => {
    const { calls, deps } = setup();
    await expect(uploadFiles({ edition, request: request([file()], identity) }, deps)).rejects.toMatchObject({
      httpStatus: 400,
      issues: [expect.objectContaining({ Path: missing })],
    });
    expect(calls).toHaveLength(0);
  });

  it("every problem at once, each at its file; 415 only when every problem is a file that is not a PDF", async () => {
    const { calls, deps } = setup({ operatorUserId: "op" });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const mixed = uploadFiles(
      {
        edition: "ess",
        request: request([
          file({ path: "Files[0]", bytes: png }),
          file({ path: "Files[1]", fileName: "x.doc" }),
          file({ path: "Files[2]" }),
        ]),
      },
      deps,
    );
    await expect(mixed).rejects.toMatchObject({
      httpStatus: 400,
      issues: [expect.objectContaining({ Path: "Files[0].FileBody" }), expect.objectContaining({ Path: "Files[1].FileName" })],
    });
    const onlyNotPdf = uploadFiles({ edition: "ess", request: request([file({ bytes: png })]) }, deps);
    await expect(onlyNotPdf).rejects.toMatchObject({ httpStatus: 415, code: "InvalidParameter.FileType" });
    expect(calls).toHaveLength(0);
  });

  it("more files than UploadFiles takes, or a PDF over its 60 MB → 400", async () => {
    const { calls, deps } = setup({ operatorUserId: "op" });
    const many = Array.from({ length: UPLOAD_LIMITS.files + 1 }, (_v, i) => file({ path: `Files[${i}]` }));
    await expect(uploadFiles({ edition: "ess", request: request(many) }, deps)).rejects.toMatchObject({ code: "LimitExceeded.FileCount" });
    const huge = Buffer.concat([pdf, Buffer.alloc(UPLOAD_LIMITS.pdfBytes)]);
    await expect(uploadFiles({ edition: "ess", request: request([file({ bytes: huge })]) }, deps)).rejects.toMatchObject({
      code: "LimitExceeded.FileSize",
    });
    expect(calls).toHaveLength(0);
  });

  it("a file read only by repairing it is accepted, unless it travelled as raw bytes in a text event", async () => {
    const { bytes } = buildPdf(ONE_PAGE);
    const shifted = Buffer.concat([bytes.subarray(0, 9), Buffer.from("\uFFFD inserted\n"), bytes.subarray(9)]);
    const { calls, deps } = setup({ operatorUserId: "op" });
    await expect(uploadFiles({ edition: "ess", request: request([file({ bytes: shifted })]) }, deps)).resolves.toMatchObject({
      Files: [{ Pages: 1 }],
    });
    await expect(
      uploadFiles({ edition: "ess", request: request([file({ bytes: shifted, maybeAltered: true, path: "file[0]" })]) }, deps),
    ).rejects.toMatchObject({
      httpStatus: 400,
      issues: [expect.objectContaining({ Path: "file[0]", Message: expect.stringMatching(/encoder=base64/) })],
    });
    expect(calls).toHaveLength(1);
  });

  it("ESS answering fewer FileIds than files → 502, never a short list", async () => {
    const { deps } = setup({ operatorUserId: "op" }, () => ({ FileIds: ["only-one"], RequestId: "s9" }));
    await expect(uploadFiles({ edition: "ess", request: request([file(), file({ path: "Files[1]" })]) }, deps)).rejects.toMatchObject({
      httpStatus: 502,
      essRequestId: "s9",
    });
  });
});
