/**
 * `npm run check:deploy`: verifies offline everything about a deployment that can be verified
 * without Tencent Cloud, running the real deploy engine on a clean checkout (see
 * scripts/deploy-check/README.md). Exits 1 on any problem.
 */
import { runDeployCheck } from "./deploy-check/run";

async function main() {
  const started = Date.now();
  const results = await runDeployCheck();
  let failed = 0;
  for (const result of results) {
    console.log(`${result.problems.length === 0 ? "✓" : "✗"} ${result.name}`);
    for (const problem of result.problems) console.log(`    ${problem}`);
    if (result.problems.length > 0) failed++;
  }
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(failed === 0 ? `\noffline deploy check passed (${took})` : `\noffline deploy check failed: ${failed} check(s) (${took})`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
