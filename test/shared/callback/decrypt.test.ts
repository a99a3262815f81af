import { createCipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptCallback, DecryptError, stripPkcs7, type DecryptFailure } from "../../../shared/callback/decrypt";
import { ENCRYPTED_FIXTURES, fixtureConfig, loadFixture } from "./callback-fixtures";

const { key } = fixtureConfig;

/**
 * Encrypts raw blocks without adding padding, to build ciphertexts whose padding is wrong on
 * purpose. (The well-formed ciphertexts come from openssl, see make-fixtures.sh.)
 */
function encryptRawBlocks(plain: Buffer, useKey = key): string {
  const keyBytes = Buffer.from(useKey, "utf8");
  const cipher = createCipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

function failureOf(run: () => unknown): DecryptError {
  try {
    run();
  } catch (error) {
    if (error instanceof DecryptError) return error;
    throw error;
  }
  throw new Error("expected a DecryptError");
}

describe("decryptCallback on openssl-made fixtures", () => {
  it.each(ENCRYPTED_FIXTURES)("%s decrypts to the exact plaintext bytes", (name) => {
    const fixture = loadFixture(name);
    expect(decryptCallback(fixture.encrypt, key).equals(fixture.plaintext!)).toBe(true);
  });

  it("accepts base64 wrapped over several lines", () => {
    const fixture = loadFixture("ess-flow-status-change");
    const wrapped = fixture.encrypt.replace(/(.{64})/g, "$1\n");
    expect(wrapped).toContain("\n");
    expect(decryptCallback(wrapped, key).equals(fixture.plaintext!)).toBe(true);
  });

  it("reads a multi-byte UTF-8 key as its UTF-8 bytes", () => {
    // 10 three-byte characters + 2 ASCII = 32 bytes.
    const utf8Key = "电子签回调密钥测试用例".slice(0, 10) + "ab";
    expect(Buffer.byteLength(utf8Key, "utf8")).toBe(32);
    const plain = Buffer.from('{"MsgId":"m"}');
    const padded = Buffer.concat([plain, Buffer.alloc(16 - (plain.length % 16), 16 - (plain.length % 16))]);
    expect(decryptCallback(encryptRawBlocks(padded, utf8Key), utf8Key).equals(plain)).toBe(true);
  });
});

describe("decryptCallback refusals", () => {
  const fixture = loadFixture("ess-flow-status-change");
  const block = Buffer.alloc(16, 0x41);

  it.each<[string, string, string, DecryptFailure]>([
    ["the console probe's encrypt", "console*probe*not*base64", key, "base64"],
    ["an empty string", "", key, "base64"],
    ["only whitespace", "  \n ", key, "base64"],
    ["base64 with one dangling character", "QUJDR", key, "base64"],
    ["URL-unsafe garbage in the middle", fixture.encrypt.slice(0, 10) + "%" + fixture.encrypt.slice(11), key, "base64"],
    ["padding in the middle", "QQ==QUJD", key, "base64"],
    ["15 bytes of ciphertext", Buffer.alloc(15).toString("base64"), key, "length"],
    ["17 bytes of ciphertext", Buffer.alloc(17).toString("base64"), key, "length"],
    ["the fixture with its last byte cut", fixture.encrypt.replace(/=*$/, "").slice(0, -2), key, "length"],
    ["a wrong key", fixture.encrypt, "WrongCallbackKey-0123456789ABCDE", "padding"],
    ["a key that differs in its IV half only", fixture.encrypt, "XixtureCallbackKey-0123456789ABC", "padding"],
    ["a last block padded with 0", encryptRawBlocks(Buffer.concat([block.subarray(0, 15), Buffer.from([0])])), key, "padding"],
    ["a last block padded with 17", encryptRawBlocks(Buffer.concat([block.subarray(0, 15), Buffer.from([17])])), key, "padding"],
    ["inconsistent padding bytes", encryptRawBlocks(Buffer.concat([block.subarray(0, 13), Buffer.from([2, 3, 3])])), key, "padding"],
    ["a key of 31 bytes", fixture.encrypt, key.slice(0, 31), "key"],
    ["a key of 33 bytes", fixture.encrypt, `${key}x`, "key"],
  ])("%s → %s", (_case, encrypt, useKey, reason) => {
    const error = failureOf(() => decryptCallback(encrypt, useKey));
    expect(error.reason).toBe(reason);
    expect(error.name).toBe("DecryptError");
  });

  it.each([
    ["wrong key", fixture.encrypt, "WrongCallbackKey-0123456789ABCDE"],
    ["good key, bad base64", "console*probe*not*base64", key],
    ["bad padding", encryptRawBlocks(Buffer.concat([block.subarray(0, 15), Buffer.from([0])])), key],
  ])("the error message of %s carries neither key nor ciphertext nor plaintext", (_case, encrypt, useKey) => {
    const error = failureOf(() => decryptCallback(encrypt, useKey));
    const text = `${error.message} ${String(error.stack)}`;
    expect(text).not.toContain(useKey);
    expect(text).not.toContain(key);
    expect(text).not.toContain(encrypt.slice(0, 12));
    expect(text).not.toContain("AAAAAAAAAAA");
  });
});

describe("stripPkcs7", () => {
  it.each(Array.from({ length: 16 }, (_, i) => i + 1))("removes %i bytes of padding", (n) => {
    const data = Buffer.alloc(32 - n, 0x61);
    const padded = Buffer.concat([data, Buffer.alloc(n, n)]);
    expect(stripPkcs7(padded).equals(data)).toBe(true);
  });

  it.each([
    ["empty input", Buffer.alloc(0)],
    ["last byte 0", Buffer.from([1, 2, 3, 0])],
    ["last byte 17", Buffer.concat([Buffer.alloc(31, 17), Buffer.from([17])])],
    ["padding longer than the input", Buffer.from([3, 3])],
    ["a wrong byte inside the padding", Buffer.from([9, 4, 4, 5, 4, 4])],
    ["a wrong first padding byte", Buffer.from([9, 3, 4, 4, 4])],
  ])("refuses %s", (_case, padded) => {
    expect(failureOf(() => stripPkcs7(padded)).reason).toBe("padding");
  });
});
