import { describe, expect, it } from "vitest";
import { canonicalJson, decodeUtf8Text } from "../../../shared/json/json-text";

describe("decodeUtf8Text", () => {
  it("decodes UTF-8 and drops a leading byte-order mark", () => {
    expect(decodeUtf8Text(Buffer.from('\ufeff{"合同":1}'))).toBe('{"合同":1}');
    expect(decodeUtf8Text(Buffer.from(""))).toBe("");
  });
  it("refuses bytes that are not UTF-8", () => {
    expect(decodeUtf8Text(Buffer.from([0xff, 0xfe, 0x7b]))).toBeUndefined();
  });
});

describe("canonicalJson", () => {
  it("gives equal text for equal values in any key order, dropping undefined members", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: undefined, a: null }], a: "x" })).toBe('{"a":"x","b":[1,{"a":null,"d":2}]}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(undefined)).toBe("null");
  });
});
