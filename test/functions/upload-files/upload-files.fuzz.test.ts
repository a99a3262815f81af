import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../../functions/upload-files/handler";
import type { UploadFilesCall } from "../../../shared/ess/port";
import { createLogger } from "../../../shared/log/logger";
import type { FunctionUrlEvent } from "../../../shared/http/scf-types";

/**
 * Property tests of the upload route through its real handler (ESS faked, counting): whatever the
 * body — arbitrary bytes, damaged multipart, PDFs mutated anywhere, JSON of any shape — the answer
 * is a JSON 2xx or 4xx, never a 5xx, and ESS is called only for an answer of 200.
 */
const pdf = readFileSync(path.join("local", "sample-files", "nda.pdf"));
const BOUNDARY = "fuzz-boundary-1";

function setup() {
  const calls: UploadFilesCall[] = [];
  const handler = createHandler({
    auth: { mode: "disabled" },
    identity: { operatorUserId: "operator-1", essbasicAppId: "app", proxyOrganizationOpenId: "org", proxyOperatorOpenId: "op" },
    clock: () => new Date("2026-01-01T00:00:00Z"),
    log: createLogger({ level: "error" }),
    ess: {
      async uploadFiles(call) {
        calls.push(call);
        return { FileIds: call.request.FileInfos!.map((_f, i) => `F${i}`), RequestId: "s1" };
      },
    },
  });
  return { calls, handler };
}

const event = (body: Buffer, contentType: string, edition = "ess"): FunctionUrlEvent => ({
  httpMethod: "POST",
  path: `/${edition}/files`,
  headers: { "content-type": contentType },
  queryString: {},
  // A function URL passes the body as text.
  body: body.toString("utf8"),
});

async function check(body: Buffer, contentType: string, edition?: string) {
  const { calls, handler } = setup();
  const response = await handler(event(body, contentType, edition), { request_id: "fuzz" });
  expect(response.statusCode).toBeLessThan(500);
  expect(response.statusCode === 200 ? 1 : 0).toBe(calls.length);
  expect(() => JSON.parse(response.body)).not.toThrow();
}

const part = fc.record({
  name: fc.constantFrom("file", "Operator.UserId", "Agent.AppId", "x", ""),
  filename: fc.option(fc.constantFrom("a.pdf", "b.PDF", "c.txt", "", "../../etc/passwd.pdf", "合同.pdf"), { nil: undefined }),
  type: fc.option(fc.constantFrom("application/pdf", "image/png", "text/plain", "application/octet-stream"), { nil: undefined }),
  encoding: fc.option(fc.constantFrom("base64", "binary", "quoted-printable", "7bit"), { nil: undefined }),
  data: fc.oneof(
    fc.constant(pdf),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.nat(pdf.length), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, b]) => {
      const copy = Buffer.from(pdf);
      Buffer.from(b).copy(copy, at);
      return copy;
    }),
  ),
});

type Part = typeof part extends fc.Arbitrary<infer T> ? T : never;

function multipart(parts: Part[], closed: boolean): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const headers = [`Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`];
    if (p.type) headers.push(`Content-Type: ${p.type}`);
    if (p.encoding) headers.push(`Content-Transfer-Encoding: ${p.encoding}`);
    const data = p.encoding === "base64" ? Buffer.from(p.data.toString("base64")) : p.data;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${headers.join("\r\n")}\r\n\r\n`), data, Buffer.from("\r\n"));
  }
  if (closed) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

describe("upload-files never answers 5xx", () => {
  it("multipart bodies built from good and bad parts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom("ess", "essbasic"),
        async (parts, closed, edition) => {
          await check(multipart(parts, closed), `multipart/form-data; boundary=${BOUNDARY}`, edition);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("arbitrary bytes under any content type", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom("multipart/form-data; boundary=x", "multipart/form-data", "application/json", "text/plain", "", "application/pdf"),
        async (bytes, type) => {
          await check(Buffer.from(bytes), type);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("JSON of any shape", async () => {
    const file = fc.oneof(
      fc.record({ FileName: fc.constantFrom("a.pdf", "x"), FileBody: fc.constantFrom(pdf.toString("base64"), "", "!!!", "AAAA") }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ Files: fc.array(file, { maxLength: 4 }) }),
          fc.record({ Files: fc.anything(), Operator: fc.anything() }),
          fc.anything(),
        ),
        async (value) => {
          await check(Buffer.from(JSON.stringify(value) ?? "null"), "application/json");
        },
      ),
      { numRuns: 300 },
    );
  });
});
