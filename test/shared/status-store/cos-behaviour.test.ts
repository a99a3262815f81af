import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BucketVersioned, StoreRefusedError } from "../../../shared/errors/store-errors";
import { createIdempotency, requestFingerprint } from "../../../shared/idempotency/idempotency";
import { createCosObjectStore } from "../../../shared/object-store/cos-object-store";
import { createStatusStore } from "../../../shared/status-store/status-store";
import { startCosServer, type CosTestServer } from "../../support/cos-server";
import { flowEvent, groupRecord, T0 } from "./fixtures";

/**
 * The two findings of issue 11, against a COS-protocol server that behaves as COS documents:
 * listings lag behind writes (GET Bucket, 436/7734), and a bucket whose versioning was ever enabled
 * ignores x-cos-forbid-overwrite (436/19889). Each test failed on the store that trusted listings
 * and create-exclusive writes on any bucket.
 */

const clock = () => new Date("2025-06-15T12:00:05.000Z");
let server: CosTestServer;
let counter = 0;

beforeAll(async () => {
  server = await startCosServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  server.listing.lagMs = 0;
  server.listing.catchUp();
});

/** A store on a fresh prefix of the shared server; listings lag for an hour unless `lag` is 0. */
function stores(lagMs = 3_600_000) {
  server.listing.lagMs = lagMs;
  const objects = createCosObjectStore(server.storeConfig({ prefix: `finding${++counter}/` }));
  return { objects, status: createStatusStore(objects, { clock }) };
}

describe("finding 1: listings lag (a key written a moment ago is missing from GET Bucket)", () => {
  it("a callback without FlowGroupId that arrived just before create-group is joined, not stranded", async () => {
    const { status } = stores();
    const early = flowEvent({
      msgId: "M-early",
      flowId: "F1",
      status: "PART",
      occurTime: T0,
      approvers: [{ recipientId: "F1-r1", status: "ACCEPT" }],
    });
    await status.recordEvent(early);
    const recorded = await status.recordGroup(groupRecord("G1", ["F1", "F2"]));
    expect(recorded).toMatchObject({ recorded: true, eventCount: 1, status: "PART" });
    // Still lagging: the read finds it without a listing.
    expect(await status.getGroup("G1")).toMatchObject({ eventCount: 1, includedMsgIds: ["M-early"] });
    server.listing.catchUp();
    expect(await status.getGroup("G1")).toMatchObject({ eventCount: 1, includedMsgIds: ["M-early"] });
  });

  it("a group is readable the moment create-group recorded it", async () => {
    const { status } = stores();
    const recorded = await status.recordGroup(groupRecord("G2", ["F1", "F2"]));
    expect(recorded).toMatchObject({ flowGroupId: "G2", recorded: true });
    expect(await status.getGroup("G2")).toMatchObject({ flowGroupId: "G2", recorded: true, flows: [{ flowId: "F1" }, { flowId: "F2" }] });
  });

  it("a callback naming its group is in the group's status at once, listing or not", async () => {
    const { status } = stores();
    await status.recordGroup(groupRecord("G3", ["F1"]));
    await status.recordEvent(flowEvent({ msgId: "M1", flowId: "F1", flowGroupId: "G3", status: "ALL", occurTime: T0 }));
    expect(await status.getGroup("G3")).toMatchObject({ status: "ALL", eventCount: 1 });
  });

  it("an Idempotency-Key replays its answer while the claim is not listed yet (no spurious 409)", async () => {
    const { objects } = stores();
    const idempotency = createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 5_000 });
    const hash = requestFingerprint("ess", { a: 1 });
    const first = await idempotency.begin("ess\nkey-holder", "k-lag", hash);
    if (first.kind !== "free") throw new Error("expected a free key");
    await (await first.claim()).complete({ statusCode: 200, body: { FlowGroupId: "G" } });
    await expect(idempotency.begin("ess\nkey-holder", "k-lag", hash)).resolves.toEqual({
      kind: "replay",
      response: { statusCode: 200, body: { FlowGroupId: "G" } },
    });
  });
});

describe.each(["Enabled", "Suspended"] as const)("finding 2: a bucket whose versioning is %s", (versioning) => {
  let versioned: CosTestServer;
  beforeAll(async () => {
    versioned = await startCosServer({ versioning });
  });
  afterAll(async () => {
    await versioned.stop();
  });

  const make = () => {
    const objects = createCosObjectStore(versioned.storeConfig({ prefix: `v${++counter}/` }));
    return { objects, status: createStatusStore(objects, { clock }) };
  };

  it("refuses to store a callback (503 with the cause), and writes nothing", async () => {
    const { status } = make();
    const before = versioned.objects.keys().length;
    const event = flowEvent({ msgId: "M-dup", flowId: "F1", flowGroupId: "G1", status: "PART", occurTime: T0 });
    for (let delivery = 0; delivery < 2; delivery++) {
      const error = await status.recordEvent({ ...event }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BucketVersioned);
      expect(error).toMatchObject({ httpStatus: 503, code: "ResourceUnavailable.CosBucketVersioning" });
    }
    expect(versioned.objects.keys().length).toBe(before);
  });

  it("lets no two concurrent creates with one Idempotency-Key through (nothing is claimed at all)", async () => {
    const { objects } = make();
    const idempotency = createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 5_000 });
    const hash = requestFingerprint("ess", { a: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, async () => {
        const found = await idempotency.begin("ess\nkey-holder", "k-v", hash);
        return found.kind === "free" ? found.claim() : found;
      }),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toEqual([]);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreRefusedError);
  });

  it("refuses to record a group, and the check itself says why", async () => {
    const { objects, status } = make();
    await expect(objects.check()).rejects.toBeInstanceOf(BucketVersioned);
    await expect(status.recordGroup(groupRecord("G1", ["F1"]))).rejects.toBeInstanceOf(BucketVersioned);
  });
});
