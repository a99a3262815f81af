/**
 * Validation speed on the largest request each edition allows, next to JSON.parse of the same body
 * measured in the same run (so the ratio survives a slower or faster machine).
 *
 *   npm run bench:validate            # 200 warm-up + 2,000 measured iterations per case
 *   ITERATIONS=500 npm run bench:validate
 */
import { performance } from "node:perf_hooks";
import { validateEssbasicCreateFlowGroup, validateEssCreateFlowGroup, type ValidateOptions } from "../../shared/validation";
import { maximalEssbasicRequest, maximalEssRequest } from "./maximal-requests";

const WARMUP = 200;
const ITERATIONS = Math.min(Math.max(Number(process.env["ITERATIONS"] ?? 2000) || 2000, 100), 20_000);
const BUDGET_P50_MS = 2;

interface Case {
  name: string;
  json: string;
  run: (body: unknown) => boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Times `fn` on fresh inputs, so no run benefits from a previous run's output. */
function time(iterations: number, input: () => unknown, fn: (value: unknown) => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const value = input();
    const start = performance.now();
    fn(value);
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

function main(): void {
  const options: ValidateOptions = { now: new Date() };
  const cases: Case[] = [
    {
      name: "ess      50 flows x 10 approvers",
      json: JSON.stringify(maximalEssRequest(options.now)),
      run: (b) => validateEssCreateFlowGroup(b, options).ok,
    },
    {
      name: "essbasic 50 flows x 5 approvers",
      json: JSON.stringify(maximalEssbasicRequest(options.now)),
      run: (b) => validateEssbasicCreateFlowGroup(b, options).ok,
    },
  ];

  console.log(`validate bench: ${WARMUP} warm-up + ${ITERATIONS} measured iterations per case, Node ${process.version}`);
  console.log("case                              body KB  validate p50  validate p99  JSON.parse p50  ratio p50");
  let overBudget = false;
  for (const c of cases) {
    const parse = () => JSON.parse(c.json) as unknown;
    if (!c.run(parse())) throw new Error(`${c.name}: the maximal request does not validate; the bench would measure the wrong path`);
    time(WARMUP, parse, c.run);
    time(
      WARMUP,
      () => c.json,
      (s) => JSON.parse(s as string),
    );
    const validate = time(ITERATIONS, parse, c.run);
    const json = time(
      ITERATIONS,
      () => c.json,
      (s) => JSON.parse(s as string),
    );
    const p50 = percentile(validate, 0.5);
    const jsonP50 = percentile(json, 0.5);
    overBudget ||= p50 > BUDGET_P50_MS;
    console.log(
      [
        c.name.padEnd(33),
        (c.json.length / 1024).toFixed(0).padStart(7),
        `${p50.toFixed(3)} ms`.padStart(13),
        `${percentile(validate, 0.99).toFixed(3)} ms`.padStart(13),
        `${jsonP50.toFixed(3)} ms`.padStart(15),
        `${(p50 / jsonP50).toFixed(2)}x`.padStart(10),
      ].join(" "),
    );
  }
  console.log(`budget: validate p50 <= ${BUDGET_P50_MS} ms per maximal request: ${overBudget ? "EXCEEDED on this machine" : "met"}`);
}

main();
