import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignedFileUnavailable, type SignedFileSource } from "../../../shared/archive/signed-files";
import { ARCHIVE_GIVE_UP_MS, COMPOSE_DELAY_MS } from "../../../shared/outbox/drain";
import { readArchiveState } from "../../../shared/outbox/state";
import { flowEvent, groupRecord, T0 } from "../status-store/fixtures";
import { outboxHarness } from "./harness";

const G = "yDwJ7UUckpk84praUyPWcjISDLsIVxyo";
const F1 = "yDwFlowA00000000000000000000000A";
const F2 = "yDwFlowB00000000000000000000000B";
/** A "PDF" with every byte value: what is archived must be these bytes exactly. */
const pdfOf = (flowId: string) =>
  Buffer.concat([Buffer.from(`%PDF-1.7 ${flowId}\n`), Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256))]);
const signed = (n: number, flowId: string) =>
  flowEvent({
    msgId: `all-${n}`,
    flowId,
    flowGroupId: G,
    status: "ALL",
    occurTime: T0 + n,
    approvers: [{ recipientId: `${flowId}-r1`, status: "ACCEPT" }],
  });

/** ESS's file links: `composing` flows answer "not yet" to the download, as ESS may while it composes the PDF. */
function fakeFiles(options: { composing?: Set<string>; fail?: boolean } = {}) {
  const asked: string[][] = [];
  const files: SignedFileSource = {
    async fileLinks(_identity, flowIds) {
      asked.push([...flowIds]);
      if (options.fail) throw new Error("ESS down");
      return flowIds.map((flowId) => ({ flowId, urls: [`https://file.ess.example/${flowId}`], ttlSeconds: 300 }));
    },
    async download(url) {
      const flowId = url.slice(url.lastIndexOf("/") + 1);
      if (options.composing?.has(flowId)) throw new SignedFileUnavailable("HTTP 404");
      return new Uint8Array(pdfOf(flowId));
    },
  };
  return { files, asked };
}

const identity = { edition: "ess" as const, operatorUserId: "yDwfSampleOperatorUserId00000001" };

describe("outbox drain: signed PDFs", () => {
  it("archives each flow once ALL, byte for byte, no sooner than ESS needs to compose it", async () => {
    const { files, asked } = fakeFiles();
    const h = outboxHarness({ archive: { files, identity: () => identity } });
    await h.store.recordGroup(groupRecord(G, [F1, F2]));
    await h.store.recordEvent(signed(1, F1));
    await h.drain();
    expect(asked).toEqual([]);
    h.advance(COMPOSE_DELAY_MS);
    expect((await h.drain()).archived).toBe(1);
    expect(asked).toEqual([[F1]]);
    const stored = await h.objects.getBytes(`archive/${G}/${F1}.pdf`);
    expect(Buffer.from(stored!).equals(pdfOf(F1))).toBe(true);
    const state = await readArchiveState(h.objects, G);
    expect(state[F1]).toMatchObject({
      state: "done",
      sha256: createHash("sha256").update(pdfOf(F1)).digest("hex"),
      bytes: pdfOf(F1).length,
    });
    expect(state[F2]).toBeUndefined();
    // Archived once: later passes do not fetch it again.
    await h.store.recordEvent(signed(2, F2));
    await h.drain();
    h.advance(COMPOSE_DELAY_MS);
    await h.drain();
    expect(asked).toEqual([[F1], [F2]]);
  });

  it("retries with backoff while the PDF is being composed, and keeps it once served", async () => {
    const composing = new Set([F1]);
    const { files, asked } = fakeFiles({ composing });
    const h = outboxHarness({ archive: { files, identity: () => identity } });
    await h.store.recordGroup(groupRecord(G, [F1, F2]));
    await h.store.recordEvent(signed(1, F1));
    await h.drain();
    h.advance(COMPOSE_DELAY_MS);
    expect((await h.drain()).archiveFailures).toBe(1);
    const waiting = (await readArchiveState(h.objects, G))[F1]!;
    expect(waiting).toMatchObject({ state: "waiting", attempts: 1, lastError: "signed file not available: HTTP 404" });
    await h.drain();
    expect(asked).toHaveLength(1); // not before its backoff
    composing.delete(F1);
    h.advance(waiting.dueAt! - h.time.now);
    expect((await h.drain()).archived).toBe(1);
    expect((await readArchiveState(h.objects, G))[F1]).toMatchObject({ state: "done", attempts: 2 });
  });

  it("gives up after three days (logged, shown by the files route), and needs an identity to ask ESS with", async () => {
    const { files } = fakeFiles({ fail: true });
    const h = outboxHarness({ archive: { files, identity: () => identity } });
    await h.store.recordGroup(groupRecord(G, [F1, F2]));
    await h.store.recordEvent(signed(1, F1));
    await h.drain();
    for (let t = 0; t < ARCHIVE_GIVE_UP_MS; t += 10 * 60_000) {
      h.advance(10 * 60_000);
      await h.drain();
    }
    h.advance(10 * 60_000);
    await h.drain();
    expect((await readArchiveState(h.objects, G))[F1]).toMatchObject({ state: "failed", lastError: "file links: ESS down" });
    expect(h.objects.data.has(`outbox/pending/archive/${G}.json`)).toBe(false);

    const nobody = outboxHarness({ archive: { files: fakeFiles().files, identity: () => undefined } });
    await nobody.store.recordGroup(groupRecord(G, [F1, F2]));
    await nobody.store.recordEvent(signed(1, F1));
    await nobody.drain();
    nobody.advance(COMPOSE_DELAY_MS);
    await nobody.drain();
    expect((await readArchiveState(nobody.objects, G))[F1]?.lastError).toMatch(/no caller identity/);
  });
});
