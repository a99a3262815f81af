import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CreateFlowGroupCall, EssPort } from "../../../shared/ess/port";
import type { ApiGatewayEvent } from "../../../shared/http/scf-types";
import { createIdempotency } from "../../../shared/idempotency/idempotency";
import { silentLogger } from "../../../shared/log/logger";
import { createStatusStore } from "../../../shared/status-store";
import { memoryObjectStore } from "../../support/memory-object-store";
import { unusedEss } from "../../support/unused-ess";

/**
 * Property tests of create-group: whatever JSON is posted — random values, or the documentation's
 * examples with random damage — the answer is a JSON 4xx with an ESS-style code, or the request
 * reached ESS (exactly once) and was answered 200. Never a 5xx, never an uncaught exception.
 */
Object.assign(process.env, { ESS_SECRET_ID: "AKIDfuzz", ESS_SECRET_KEY: "fuzz", AUTH_DISABLED: "true", LOG_LEVEL: "error" });
const { createHandler } = await import("../../../functions/create-group/handler");

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
const NOW = new Date("2026-11-23T00:00:00Z");

const seeds = readdirSync("test/fixtures/seed")
  .filter((f) => f.endsWith(".request.json"))
  .map((f) => ({
    edition: f.startsWith("essbasic") ? ("essbasic" as const) : ("ess" as const),
    body: JSON.parse(readFileSync(path.join("test/fixtures/seed", f), "utf8")),
  }));

function setup() {
  const calls: CreateFlowGroupCall[] = [];
  const ess: EssPort = {
    ...unusedEss(),
    async createFlowGroup(call) {
      calls.push(call);
      const flows = call.edition === "ess" ? call.request.FlowGroupInfos : call.request.FlowFileInfos;
      const flowIds = flows.map((_f, i) => `Fuzz${String(i).padStart(28, "0")}`);
      return { FlowGroupId: "FuzzGroup00000000000000000000000", FlowIds: flowIds, RequestId: "s1" };
    },
    async describeGroup() {
      throw new Error("not used");
    },
  };
  const objects = memoryObjectStore();
  const handler = createHandler({
    auth: { mode: "disabled" },
    ess,
    store: createStatusStore(objects, { clock: () => NOW }),
    idempotency: createIdempotency(objects, { ttlMs: 60_000, staleAfterMs: 10_000, now: () => NOW.getTime() }),
    identity: {},
    clock: () => NOW,
    log: silentLogger,
  });
  return { handler, calls };
}

function event(edition: string, body: string, headers: Record<string, string> = {}): ApiGatewayEvent {
  return {
    requestContext: {
      serviceId: "s",
      path: `/${edition}/flow-groups`,
      httpMethod: "POST",
      requestId: "r",
      sourceIp: "1.1.1.1",
      stage: "release",
    },
    headers: { "content-type": "application/json", ...headers },
    body,
    isBase64Encoded: false,
    path: `/${edition}/flow-groups`,
    httpMethod: "POST",
  };
}

/** Sets `value` at a random place of `doc` (an object/array path chosen by `picks`). */
function damage(doc: unknown, picks: number[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc);
  let node: any = copy;
  for (let depth = 0; depth < picks.length; depth++) {
    if (node === null || typeof node !== "object") break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[picks[depth]! % keys.length]!;
    const last = depth === picks.length - 1 || node[key] === null || typeof node[key] !== "object";
    if (last) {
      if (remove && !Array.isArray(node)) delete node[key];
      else node[key] = value;
      break;
    }
    node = node[key];
  }
  return copy;
}

async function expectWellBehaved(res: Awaited<ReturnType<ReturnType<typeof setup>["handler"]>>, calls: number) {
  expect(res.statusCode).toBeLessThan(500);
  const body = JSON.parse(res.body);
  if (res.statusCode === 200) {
    expect(calls).toBe(1);
    expect(body.FlowGroupId).toBeTruthy();
  } else {
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(calls).toBe(0);
    expect(body.Error.Code).toMatch(
      /^(InvalidParameter|MissingParameter|UnknownParameter|OperationDenied|LimitExceeded|UnsupportedOperation)/,
    );
    expect(typeof body.Error.Message).toBe("string");
    expect(body.RequestId).toBeTruthy();
  }
}

describe("create-group fuzzing", () => {
  it("any JSON value: a JSON 4xx, or ESS reached once with 200; never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("ess", "essbasic"), fc.jsonValue({ maxDepth: 4 }), async (edition, value) => {
        const { handler, calls } = setup();
        const res = await handler(event(edition, JSON.stringify(value)), { request_id: "r" });
        await expectWellBehaved(res, calls.length);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("the documentation's examples with random damage: the same, and every issue names a path", async () => {
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.integer(), fc.constant(null), fc.constant("1"), fc.constant(-1)),
        fc.boolean(),
        async (seed, picks, value, remove) => {
          const { handler, calls } = setup();
          const res = await handler(event(seed.edition, JSON.stringify(damage(seed.body, picks, value, remove))), { request_id: "r" });
          await expectWellBehaved(res, calls.length);
          outcomes.set(res.statusCode, (outcomes.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 400) {
            const issues = JSON.parse(res.body).Error.Issues ?? [];
            for (const issue of issues) expect(typeof issue.Path).toBe("string");
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    // Not vacuous: damage both breaks rules and, sometimes, leaves a request ESS would take.
    expect(outcomes.get(400) ?? 0).toBeGreaterThan(FUZZ_RUNS / 10);
    expect(outcomes.get(200) ?? 0).toBeGreaterThan(0);
  });

  it("arbitrary text and headers, including Idempotency-Keys: never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("ess", "essbasic"),
        fc.string({ maxLength: 300 }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (edition, text, key) => {
          const { handler, calls } = setup();
          const res = await handler(event(edition, text, key !== undefined ? { "idempotency-key": key } : {}), { request_id: "r" });
          await expectWellBehaved(res, calls.length);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
