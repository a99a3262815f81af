import fc from "fast-check";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import JSONbigShim, { stringify } from "../../bundle-shims/json-bigint";
import { lookup } from "../../bundle-shims/mime-types";
import { v4 } from "../../bundle-shims/uuid";

/** The small stand-ins against the modules they replace, resolved as the SDKs resolve them. */
const here = createRequire(import.meta.url);
const fromTencentSdk = createRequire(here.resolve("tencentcloud-sdk-nodejs/tencentcloud/common/http/http_connection"));
const fromCosSdk = createRequire(here.resolve("cos-nodejs-sdk-v5"));
const JSONbig = fromTencentSdk("json-bigint") as (options: object) => { stringify: typeof stringify };
const realStringify = JSONbig({ useNativeBigInt: true }).stringify;
const realMime = fromCosSdk("mime-types") as { lookup(path: unknown): string | false };

describe("json-bigint stand-in: the bytes the Tencent SDK signs and sends", () => {
  // Strings weighted towards the code units the two writers could treat differently: controls,
  // U+007F–U+009F, U+00AD, U+0600–U+0604, U+2028, U+FEFF, U+FFF0+, quotes, backslashes, surrogates.
  const codeUnit = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
  const text = fc.string({
    unit: fc.oneof(
      codeUnit(0x20, 0x7e),
      codeUnit(0x00, 0x1f),
      codeUnit(0x7f, 0xad),
      codeUnit(0x5ff, 0x710),
      codeUnit(0x17b3, 0x17b6),
      codeUnit(0x200b, 0x2070),
      codeUnit(0xd800, 0xdfff),
      codeUnit(0xfeff, 0xffff),
      fc.constantFrom('"', "\\", "状", "😀"),
      codeUnit(0, 0xffff),
    ),
  });
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(text, fc.double(), fc.integer(), fc.bigInt(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    node: fc.oneof(
      { depthSize: "small" },
      tie("leaf"),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(text, tie("node"), { maxKeys: 4 }),
    ),
  })).node;

  it("writes every value as json-bigint does", () => {
    fc.assert(
      fc.property(value, (v) => stringify(v) === realStringify(v)),
      { numRuns: 500 },
    );
  });

  it.each([
    ["an indent of 2", 2],
    ["a tab indent", "\t"],
    ["a fractional indent", 1.5],
  ])("indents as json-bigint does: %s", (_, space) => {
    fc.assert(
      fc.property(value, (v) => stringify(v, null, space) === realStringify.call(null, v, null, space as never)),
      { numRuns: 100 },
    );
  });

  it("applies replacers, toJSON and bignumber-branded values as json-bigint does", () => {
    const sample = {
      d: new Date(0),
      big: 2n ** 70n,
      branded: { _isBigNumber: true, toJSON: () => "123456789012345678901234567890" },
      f: () => 1,
      arr: [undefined, () => 1, Symbol("s")],
    };
    expect(stringify(sample)).toBe(realStringify(sample));
    const replacer = (key: string | number, v: unknown) => (key === "big" ? "hidden" : v);
    expect(stringify(sample, replacer)).toBe(realStringify.call(null, sample, replacer as never));
    expect(stringify(sample, ["d", "big"])).toBe(realStringify.call(null, sample, ["d", "big"] as never));
  });

  it("refuses parse, which the SDK never calls", () => {
    expect(() => JSONbigShim({ useNativeBigInt: true }).parse()).toThrow(/not supported/);
  });
});

describe("mime-types stand-in", () => {
  it.each([
    "json",
    "txt",
    "text",
    "csv",
    "md",
    "html",
    "htm",
    "css",
    "js",
    "xml",
    "yaml",
    "yml",
    "pdf",
    "zip",
    "gz",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "webp",
    "bin",
  ])("answers like mime-types for .%s", (extension) => {
    for (const path of [`a.${extension}`, `/tmp/dir.x/File.${extension.toUpperCase()}`, extension, `.${extension}`])
      expect(lookup(path)).toBe(realMime.lookup(path));
  });

  it.each([[""], [undefined], [42], ["noextension"], ["a."], ["/tmp/x.unknownext"]])("answers false for %j", (path) => {
    expect(lookup(path)).toBe(false);
    if (path !== "/tmp/x.unknownext") expect(realMime.lookup(path)).toBe(false);
  });
});

describe("uuid stand-in", () => {
  it("makes random version-4 UUIDs, as uuid's v4() does on Node", () => {
    const ids = new Set(Array.from({ length: 200 }, () => v4()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refuses options it does not implement", () => {
    expect(() => v4({ random: new Uint8Array(16) })).toThrow(/not supported/);
  });
});
