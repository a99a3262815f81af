/**
 * `npm run bench`: every benchmark, one after the other (each prints its own table). Run on a quiet
 * machine; each script compares figures measured in one run.
 */
import { spawnSync } from "node:child_process";

const benches = ["bench:validate", "bench:emulator", "bench:callbacks", "bench:round-trips", "bench:cold-start", "bench:uploads"];
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== npm run ${bench}\n`);
  const result = spawnSync("npm", ["run", "--silent", bench], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
