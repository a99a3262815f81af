import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acquireLease, type Lease } from "../../../shared/outbox/lease";
import { memoryObjectStore } from "../../support/memory-object-store";

const WINDOW = 30_000;
const MARGIN = 2_000;

describe("outbox lease", () => {
  it("one run per window; released, the window is free again", async () => {
    const objects = memoryObjectStore();
    const t = 1_000 * WINDOW + 1_000;
    const now = () => t;
    const a = await acquireLease(objects, { now });
    expect(a).toBeDefined();
    expect(await acquireLease(objects, { now })).toBeUndefined();
    await a!.release();
    expect(await acquireLease(objects, { now })).toBeDefined();
  });

  it("a holder takes the next window before its own ends; a newcomer then can take neither", async () => {
    const objects = memoryObjectStore();
    let t = 1_000 * WINDOW + 20_000;
    const now = () => t;
    const a = (await acquireLease(objects, { now }))!;
    expect(await a.ensure(5_000)).toBe(true);
    expect(await a.ensure(20_000)).toBe(true);
    t += 9_000; // in the next window now
    expect(await acquireLease(objects, { now })).toBeUndefined();
    // A step longer than a window is never granted.
    expect(await a.ensure(WINDOW)).toBe(false);
  });

  it("a worker still running after its run released the lease takes nothing (no stray key blocks the next runs)", async () => {
    const objects = memoryObjectStore();
    let t = 1_000 * WINDOW + 27_000;
    const now = () => t;
    const a = (await acquireLease(objects, { now }))!;
    await a.release();
    expect(await a.ensure(5_000)).toBe(false);
    expect([...objects.data.keys()].filter((k) => k.startsWith("outbox/lease/"))).toEqual([]);
    t += 4_000;
    const b = (await acquireLease(objects, { now }))!;
    expect(await b.ensure(5_000)).toBe(true);
  });

  it("a holder paused past its windows has lost the lease", async () => {
    const objects = memoryObjectStore();
    let t = 1_000 * WINDOW;
    const now = () => t;
    const a = (await acquireLease(objects, { now }))!;
    t += 2 * WINDOW;
    expect(await a.ensure(1)).toBe(false);
  });

  it("property: whatever the runs do, no two of them are ever granted overlapping time", async () => {
    type Step = { run: number; kind: "acquire" | "ensure" | "release" | "advance"; ms: number };
    const step = fc.record({
      run: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom("acquire", "ensure", "ensure", "release", "advance") as fc.Arbitrary<Step["kind"]>,
      ms: fc.integer({ min: 1, max: 40_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 60 }), async (steps) => {
        const objects = memoryObjectStore();
        let t = 1_000 * WINDOW;
        const now = () => t;
        const leases: Array<Lease | undefined> = [undefined, undefined, undefined];
        const granted: Array<{ run: number; from: number; to: number }> = [];
        // A run's step ends by its next call (ensure, release): the drain only asks before a step.
        const endSteps = (run: number) => {
          for (const g of granted) if (g.run === run && g.to > t) g.to = t;
        };
        for (const s of steps) {
          if (s.kind !== "advance") endSteps(s.run);
          if (s.kind === "advance") t += s.ms;
          else if (s.kind === "acquire" && leases[s.run] === undefined)
            leases[s.run] = await acquireLease(objects, { now, windowMs: WINDOW, marginMs: MARGIN });
          else if (s.kind === "release" && leases[s.run] !== undefined) {
            await leases[s.run]!.release();
            leases[s.run] = undefined;
          } else if (s.kind === "ensure" && leases[s.run] !== undefined) {
            const ms = Math.min(s.ms, 25_000);
            if (await leases[s.run]!.ensure(ms)) granted.push({ run: s.run, from: t, to: t + ms });
            else leases[s.run] = undefined; // a run that is refused stops (it does not release: it may have died)
          }
        }
        for (const a of granted) {
          for (const b of granted) {
            if (a.run !== b.run) expect(a.to <= b.from || b.to <= a.from).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("outbox lease, steps asking at once", () => {
  it("parallel steps of one run near the window's end all get the extension (one key written)", async () => {
    const objects = memoryObjectStore();
    const t = 1_000 * WINDOW + 25_000;
    const a = (await acquireLease(objects, { now: () => t }))!;
    const answers = await Promise.all([a.ensure(12_000), a.ensure(12_000), a.ensure(25_000), a.ensure(5_000)]);
    expect(answers).toEqual([true, true, true, true]);
    expect([...objects.data.keys()].filter((k) => k.startsWith("outbox/lease/"))).toHaveLength(2);
  });
});
