import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Scans everything each test file writes for personal data (test/support/pii-scan.setup.ts).
    setupFiles: ["test/support/pii-scan.setup.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests start real loopback servers; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
