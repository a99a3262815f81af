import { describe, expect, it, vi } from "vitest";
import {
  checkSignature,
  hasQuerySignature,
  querySignature,
  verifyContentSignature,
  verifyQuerySignature,
} from "../../../shared/callback/signature";
import { ENCRYPTED_FIXTURES, PROBE_FIXTURES, fixtureConfig, loadFixture, signatureHex } from "./callback-fixtures";

const { token } = fixtureConfig;
const SIGNED = [...ENCRYPTED_FIXTURES, ...PROBE_FIXTURES];

/** A copy of `bytes` with one byte changed. */
function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

describe("verifyContentSignature (header form, openssl-signed fixtures)", () => {
  it.each(SIGNED)("%s: accepts the header as signed, with and without the sha256= prefix, any hex case", (name) => {
    const fixture = loadFixture(name);
    const hex = signatureHex(fixture);
    expect(verifyContentSignature(fixture.body, fixture.headers["content-signature"]!, token)).toBe(true);
    expect(verifyContentSignature(fixture.body, hex, token)).toBe(true);
    expect(verifyContentSignature(fixture.body, `SHA256=${hex.toUpperCase()}`, token)).toBe(true);
    expect(verifyContentSignature(fixture.body, `  sha256=${hex}  `, token)).toBe(true);
  });

  const fixture = loadFixture("ess-flow-status-change");
  const hex = signatureHex(fixture);
  const other = signatureHex(loadFixture("essbasic-flow-status-change"));

  it.each([
    ["first byte of the body changed", flipByte(fixture.body, 0), `sha256=${hex}`, token],
    ["a byte inside encrypt changed", flipByte(fixture.body, 40), `sha256=${hex}`, token],
    ["last byte of the body changed", flipByte(fixture.body, fixture.body.length - 1), `sha256=${hex}`, token],
    ["a trailing newline added to the body", Buffer.concat([fixture.body, Buffer.from("\n")]), `sha256=${hex}`, token],
    ["the body re-serialised", Buffer.from(JSON.stringify(JSON.parse(fixture.body.toString()), null, 1)), `sha256=${hex}`, token],
    ["wrong token", fixture.body, `sha256=${hex}`, `${token}x`],
    ["another message's signature", fixture.body, `sha256=${other}`, token],
    ["a truncated signature (length mismatch)", fixture.body, `sha256=${hex.slice(0, 62)}`, token],
    ["a signature one byte too long", fixture.body, `sha256=${hex}00`, token],
    ["a short signature", fixture.body, "sha256=abcd", token],
    ["non-hex characters of the right length", fixture.body, `sha256=${"z".repeat(64)}`, token],
    ["an empty header", fixture.body, "", token],
    ["only the prefix", fixture.body, "sha256=", token],
    ["a SHA-1 sized signature", fixture.body, `sha256=${hex.slice(0, 40)}`, token],
  ])("refuses %s", (_case, body, header, useToken) => {
    expect(verifyContentSignature(body, header, useToken)).toBe(false);
  });
});

/** A clock right after the fixtures were signed, and the default window. */
const FRESH = { now: new Date(Number(fixtureConfig.timestamp) * 1000 + 5_000), maxAgeSeconds: 300 };

describe("query form (timestamp, nonce, msg_signature)", () => {
  it.each(SIGNED)("%s: our SHA-1 of the sorted parts equals openssl's", (name) => {
    const fixture = loadFixture(name);
    expect(querySignature(token, fixture.query.timestamp, fixture.query.nonce, fixture.encrypt)).toBe(fixture.query.msg_signature);
  });

  it.each(SIGNED)("%s: verifies", (name) => {
    const { query, encrypt } = loadFixture(name);
    const params = { timestamp: query.timestamp, nonce: query.nonce, msgSignature: query.msg_signature };
    expect(verifyQuerySignature(params, encrypt, token, FRESH)).toEqual({ ok: true, form: "query" });
    expect(verifyQuerySignature({ ...params, msgSignature: params.msgSignature.toUpperCase() }, encrypt, token, FRESH).ok).toBe(true);
  });

  const { query, encrypt } = loadFixture("essbasic-flow-status-change");
  const good = { timestamp: query.timestamp, nonce: query.nonce, msgSignature: query.msg_signature };

  it.each([
    ["encrypt changed", good, `${encrypt.slice(0, -3)}A==`, token, "mismatch"],
    ["another timestamp", { ...good, timestamp: String(Number(good.timestamp) + 1) }, encrypt, token, "mismatch"],
    ["another nonce", { ...good, nonce: `${good.nonce}x` }, encrypt, token, "mismatch"],
    ["wrong token", good, encrypt, `${token}x`, "mismatch"],
    ["a truncated msg_signature", { ...good, msgSignature: good.msgSignature.slice(0, 38) }, encrypt, token, "malformed"],
    ["a SHA-256 sized msg_signature", { ...good, msgSignature: good.msgSignature.padEnd(64, "0") }, encrypt, token, "malformed"],
    ["a non-hex msg_signature", { ...good, msgSignature: "g".repeat(40) }, encrypt, token, "malformed"],
  ] as const)("refuses %s", (_case, params, useEncrypt, useToken, reason) => {
    expect(verifyQuerySignature(params, useEncrypt, useToken, FRESH)).toEqual({ ok: false, reason });
  });

  const sentAt = new Date(Number(good.timestamp) * 1000);
  it.each([
    ["just sent", 0, true],
    ["299 s later", 299, true],
    ["301 s later", 301, false],
    ["301 s earlier (clock skew)", -301, false],
    ["a day later", 86_400, false],
  ])("with maxAgeSeconds = 300, a message checked %s is accepted: %s", (_case, offsetSeconds, accepted) => {
    const now = new Date(sentAt.getTime() + offsetSeconds * 1000);
    const check = verifyQuerySignature(good, encrypt, token, { now, maxAgeSeconds: 300 });
    expect(check).toEqual(accepted ? { ok: true, form: "query" } : { ok: false, reason: "stale" });
  });

  it.each([
    ["a timestamp of 2001", "1000000000"],
    ["a timestamp far in the future", "99999999999"],
    ["a timestamp that is not a number", "soon"],
  ])("refuses %s, signed correctly, as stale", (_case, timestamp) => {
    const signed = { ...good, timestamp, msgSignature: querySignature(token, timestamp, good.nonce, encrypt) };
    expect(verifyQuerySignature(signed, encrypt, token, FRESH)).toEqual({ ok: false, reason: "stale" });
  });

  it("the window is the configured one", () => {
    const now = new Date(sentAt.getTime() + 3_600_000);
    expect(verifyQuerySignature(good, encrypt, token, { now, maxAgeSeconds: 300 }).ok).toBe(false);
    expect(verifyQuerySignature(good, encrypt, token, { now, maxAgeSeconds: 7_200 }).ok).toBe(true);
  });

  it.each([
    [{}, false],
    [{ timestamp: "1" }, true],
    [{ nonce: "n" }, true],
    [{ msgSignature: "x" }, true],
  ])("hasQuerySignature(%j) = %s", (params, expected) => {
    expect(hasQuerySignature(params)).toBe(expected);
  });
});

describe("checkSignature (either form)", () => {
  const fixture = loadFixture("ess-flow-status-change");
  const goodQuery = { timestamp: fixture.query.timestamp, nonce: fixture.query.nonce, msgSignature: fixture.query.msg_signature };
  const badQuery = { ...goodQuery, nonce: "other" };
  const goodHeader = fixture.headers["content-signature"]!;
  const badHeader = `sha256=${"0".repeat(64)}`;

  it.each([
    ["header only, valid", goodHeader, {}, { ok: true, form: "header" }],
    ["header without prefix, valid", signatureHex(fixture), {}, { ok: true, form: "header" }],
    ["query only, valid", undefined, goodQuery, { ok: true, form: "query" }],
    ["both valid", goodHeader, goodQuery, { ok: true, form: "header" }],
    ["header wrong, query valid", badHeader, goodQuery, { ok: true, form: "query" }],
    ["header valid, query wrong", goodHeader, badQuery, { ok: true, form: "header" }],
    ["neither form", undefined, {}, { ok: false, reason: "missing" }],
    ["a blank header and no query", "  ", {}, { ok: false, reason: "missing" }],
    ["header wrong", badHeader, {}, { ok: false, reason: "mismatch" }],
    ["header of the wrong length", "sha256=abc", {}, { ok: false, reason: "malformed" }],
    ["query wrong", undefined, badQuery, { ok: false, reason: "mismatch" }],
    [
      "query without nonce",
      undefined,
      { timestamp: goodQuery.timestamp, msgSignature: goodQuery.msgSignature },
      { ok: false, reason: "malformed" },
    ],
    ["both wrong", badHeader, badQuery, { ok: false, reason: "mismatch" }],
  ] as const)("%s", (_case, contentSignature, query, expected) => {
    const check = checkSignature({ rawBody: fixture.body, contentSignature, query, token, encrypt: () => fixture.encrypt, ...FRESH });
    expect(check).toEqual(expected);
  });

  it("verifies the header form on the raw bytes without reading the body's encrypt", () => {
    const encrypt = vi.fn(() => fixture.encrypt);
    expect(checkSignature({ rawBody: fixture.body, contentSignature: goodHeader, query: {}, token, encrypt, ...FRESH }).ok).toBe(true);
    expect(encrypt).not.toHaveBeenCalled();
  });
});
