import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NotifySignatureError } from "../../../shared/errors/notify-errors";
import { constructNotifyEvent, notifySignatureHeader, verifyNotifySignature } from "../../../shared/notify/receiver";
import { computeNotifySignature } from "../../../shared/notify/signature";

/**
 * The receiver helper users run in their own backend: signed real bodies, checked on the raw bytes,
 * with an injected clock (stripe-node's Webhooks tests are the model).
 */
const SECRET = "test-notify-secret-7d1f0c9a2b4e6f8a";
const T = 1_795_000_000;
const now = (seconds: number) => () => seconds * 1000;
const body = JSON.stringify({
  id: "evt_1",
  type: "flow_group.updated",
  created: T,
  sequence: 1,
  data: { FlowGroupId: "G", Status: "PART" },
});

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof NotifySignatureError) return error.reason;
    throw error;
  }
}

describe("constructNotifyEvent", () => {
  it("accepts a body signed with the secret, as text or as bytes, and returns the event", () => {
    const header = notifySignatureHeader(body, SECRET, T);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(constructNotifyEvent(body, header, SECRET, { now: now(T) }).data).toEqual({ FlowGroupId: "G", Status: "PART" });
    expect(constructNotifyEvent(Buffer.from(body), header, SECRET, { now: now(T + 10) }).id).toBe("evt_1");
  });

  it.each([
    ["no header", undefined, "missing"],
    ["an empty header", "", "missing"],
    ["no timestamp", `v1=${"a".repeat(64)}`, "malformed"],
    ["no v1", `t=${T}`, "malformed"],
    ["a v1 that is not 64 hex digits", `t=${T},v1=abc`, "malformed"],
    ["another scheme only", `t=${T},v0=${computeNotifySignature(T, body, SECRET)}`, "malformed"],
    ["a signature made with another secret", notifySignatureHeader(body, "another-secret-entirely-0123456789", T), "mismatch"],
    ["a signature of another timestamp", `t=${T + 1},v1=${computeNotifySignature(T, body, SECRET)}`, "mismatch"],
  ])("refuses %s", (_case, header, reason) => {
    expect(reasonOf(() => constructNotifyEvent(body, header, SECRET, { now: now(T) }))).toBe(reason);
  });

  it("refuses a body that was parsed and serialised again (the signature covers the exact bytes)", () => {
    const header = notifySignatureHeader(body, SECRET, T);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(reasonOf(() => constructNotifyEvent(reserialised, header, SECRET, { now: now(T) }))).toBe("mismatch");
    expect(reasonOf(() => constructNotifyEvent(JSON.parse(body) as never, header, SECRET, { now: now(T) }))).toBe("payload");
  });

  it("refuses a timestamp outside the tolerance, in the past (a replay) and in the future; accepts the edges", () => {
    const header = notifySignatureHeader(body, SECRET, T);
    expect(reasonOf(() => constructNotifyEvent(body, header, SECRET, { now: now(T + 301) }))).toBe("stale");
    expect(reasonOf(() => constructNotifyEvent(body, header, SECRET, { now: now(T - 301) }))).toBe("stale");
    expect(reasonOf(() => constructNotifyEvent(body, header, SECRET, { now: now(T + 300) }))).toBeUndefined();
    expect(reasonOf(() => constructNotifyEvent(body, header, SECRET, { now: now(T + 30), toleranceSeconds: 10 }))).toBe("stale");
  });

  it("accepts any listed v1 that matches (a sender signing with the old and the new secret while rotating)", () => {
    const old = computeNotifySignature(T, body, "old-secret-0123456789abcdef");
    const header = `t=${T},v1=${old},v1=${computeNotifySignature(T, body, SECRET)}`;
    expect(constructNotifyEvent(body, header, SECRET, { now: now(T) }).id).toBe("evt_1");
    expect(constructNotifyEvent(body, header, "old-secret-0123456789abcdef", { now: now(T) }).id).toBe("evt_1");
  });

  it("says when the secret holds whitespace (a pasted newline)", () => {
    const header = notifySignatureHeader(body, SECRET, T);
    expect(() => verifyNotifySignature(body, header, `${SECRET}\n`, { now: now(T) })).toThrow(/whitespace/);
  });

  it("refuses a verified body that is not an event", () => {
    const other = '{"hello":"world"}';
    expect(reasonOf(() => constructNotifyEvent(other, notifySignatureHeader(other, SECRET, T), SECRET, { now: now(T) }))).toBe("payload");
  });

  it("property: whatever the body and secret, the header it signs verifies, and any changed byte does not", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        (bytes, secret, at) => {
          const t = 1_700_000_000 + (at % 100_000_000);
          const header = notifySignatureHeader(bytes, secret, t);
          verifyNotifySignature(bytes, header, secret, { now: now(t) });
          const changed = Uint8Array.from(bytes);
          changed[at % changed.length] = (changed[at % changed.length]! + 1) % 256;
          expect(reasonOf(() => verifyNotifySignature(changed, header, secret, { now: now(t) }))).toBe("mismatch");
        },
      ),
      { numRuns: 300 },
    );
  });
});
