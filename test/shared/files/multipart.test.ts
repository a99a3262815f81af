import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MULTIPART_LIMITS, MultipartError, multipartBoundary, parseMultipart } from "../../../shared/files/multipart";

/** The multipart reader: bodies as curl, browsers and hand-written clients send them, and broken ones. */
const B = "------------------------67c4f03a36c4f7a7";
const body = (...lines: Array<string | Buffer>) => Buffer.concat(lines.map((l) => (typeof l === "string" ? Buffer.from(l, "utf8") : l)));

describe("multipartBoundary", () => {
  it.each([
    [`multipart/form-data; boundary=${B}`, B],
    ['multipart/form-data; boundary="a b:c"', "a b:c"],
    ["Multipart/Form-Data;charset=utf-8;BOUNDARY=xyz", "xyz"],
  ])("%s → %s", (header, boundary) => {
    expect(multipartBoundary(header)).toBe(boundary);
  });

  it.each([
    ["multipart/form-data"],
    ["multipart/mixed; boundary=x"],
    [`multipart/form-data; boundary=${"x".repeat(71)}`],
    ['multipart/form-data; boundary="ends with space "'],
    ["multipart/form-data; boundary=bad\u0000char"],
  ])("%s → none", (header) => {
    expect(multipartBoundary(header)).toBeUndefined();
  });
});

describe("parseMultipart", () => {
  it("reads what curl -F sends: fields and files, in order, bytes untouched", () => {
    const binary = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0xff, 0x00, 0x2d, 0x2d]);
    const parts = parseMultipart(
      body(
        `--${B}\r\nContent-Disposition: form-data; name="Operator.UserId"\r\n\r\nuser-1\r\n`,
        `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        binary,
        `\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\nContent-Type: application/pdf\r\n`,
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n",
        `--${B}--\r\n`,
      ),
      B,
    );
    expect(parts.map((p) => [p.index, p.name, p.filename, p.contentType, p.transferEncoding])).toEqual([
      [0, "Operator.UserId", undefined, undefined, undefined],
      [1, "file", "a.pdf", "application/pdf", undefined],
      [2, "file", "b.pdf", "application/pdf", "base64"],
    ]);
    expect(parts[0]!.body.toString()).toBe("user-1");
    expect(parts[1]!.body.equals(binary)).toBe(true);
  });

  it("skips a preamble and an epilogue, allows padding after a boundary, reads quoted and RFC 5987 names", () => {
    const parts = parseMultipart(
      body(
        "This is the preamble.\r\n",
        `--${B} \t\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%E5%90%88%E5%90%8C.pdf\r\n\r\nx\r\n`,
        `--${B}\r\ncontent-disposition: FORM-DATA; name="file"; filename="a \\"quoted\\"; name.pdf"\r\n\r\ny\r\n`,
        `--${B}--\r\nepilogue`,
      ),
      B,
    );
    expect(parts.map((p) => p.filename)).toEqual(["合同.pdf", 'a "quoted"; name.pdf']);
  });

  it("an empty part body is an empty buffer", () => {
    const parts = parseMultipart(body(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="e.pdf"\r\n\r\n\r\n--${B}--`), B);
    expect(parts[0]!.body.length).toBe(0);
  });

  it.each([
    ["no boundary at all", body("hello")],
    ["no closing boundary (truncated)", body(`--${B}\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc`)],
    ["a boundary line without CRLF", body(`--${B}xx\r\n`)],
    ["headers that never end", body(`--${B}\r\nContent-Disposition: form-data; name="file"\r\n`)],
    ["a header without a colon", body(`--${B}\r\nContent-Disposition form-data\r\n\r\nx\r\n--${B}--`)],
    ["a folded header line", body(`--${B}\r\nContent-Disposition: form-data;\r\n name="file"\r\n\r\nx\r\n--${B}--`)],
    ["a part without Content-Disposition", body(`--${B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${B}--`)],
    ["a part without a name", body(`--${B}\r\nContent-Disposition: form-data; filename="a.pdf"\r\n\r\nx\r\n--${B}--`)],
    ["an attachment disposition", body(`--${B}\r\nContent-Disposition: attachment; name="file"\r\n\r\nx\r\n--${B}--`)],
    ["headers over 8 KB", body(`--${B}\r\nContent-Disposition: form-data; name="file"\r\nX-Pad: ${"a".repeat(9000)}\r\n\r\nx\r\n--${B}--`)],
    [
      "too many parts",
      body(
        ...Array.from({ length: MULTIPART_LIMITS.parts + 1 }, () => `--${B}\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n`),
        `--${B}--`,
      ),
    ],
  ])("refuses %s", (_what, bytes) => {
    expect(() => parseMultipart(bytes, B)).toThrow(MultipartError);
  });

  it("never throws anything but MultipartError, whatever the body", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        `--${B}`,
        `--${B}--`,
        "\r\n",
        "\r\n\r\n",
        'Content-Disposition: form-data; name="file"; filename="a.pdf"',
        "Content-Transfer-Encoding: base64",
        ": ",
        '"',
        ";",
      ),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString("latin1")),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        try {
          const parts = parseMultipart(Buffer.from(pieces.join(""), "latin1"), B);
          for (const part of parts) expect(part.name.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(MultipartError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
