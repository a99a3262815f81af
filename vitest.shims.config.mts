import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The SDK and adapter tests again, with the deployed bundles' shims (bundle-shims/) in place of
 * cos-request, mime-types, the COS SDK's advance/select-stream, and the Tencent Cloud SDK's fetch,
 * form-data, json-bigint and uuid: whatever those tests expect of the real modules, the shims must
 * do too. `npx vitest run -c vitest.shims.config.mts`
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      "test/shared/object-store/**/*.test.ts",
      "test/shared/status-store/**/*.test.ts",
      "test/shared/ess/**/*.test.ts",
      "test/local/ess-emulator/**/*.test.ts",
      "test/bundle-shims/**/*.shims.ts",
    ],
    setupFiles: [...((base.test?.setupFiles ?? []) as string[]), "test/support/bundle-shims.setup.ts"],
  },
});
