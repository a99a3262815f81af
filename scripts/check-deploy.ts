/**
 * `npm run check:deploy`: builds the bundles and verifies offline everything about a deployment
 * that can be verified without Tencent Cloud (see scripts/deploy-check/). Exits 1 on any problem.
 */
import { buildFunctions } from "./build";
import { runDeployCheck } from "./deploy-check/run";

async function main() {
  await buildFunctions({ quiet: true });
  const results = await runDeployCheck();
  let failed = 0;
  for (const result of results) {
    console.log(`${result.problems.length === 0 ? "✓" : "✗"} ${result.name}`);
    for (const problem of result.problems) console.log(`    ${problem}`);
    if (result.problems.length > 0) failed++;
  }
  console.log(failed === 0 ? "\noffline deploy check passed" : `\noffline deploy check failed: ${failed} check(s)`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
