import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Scans everything each test file writes for personal data (test/support/pii-scan.setup.ts);
    // removes deploy settings the shell exports, so the suite runs on its own (local-env.setup.ts);
    // hands the code's JSON log lines to the console (log-capture.setup.ts), shown for failed tests only.
    setupFiles: ["test/support/local-env.setup.ts", "test/support/pii-scan.setup.ts", "test/support/log-capture.setup.ts"],
    silent: "passed-only",
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests start real loopback servers; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
