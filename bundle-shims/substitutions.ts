/**
 * The one list of module substitutions made in the deployed bundles, read by the esbuild plugin
 * (scripts/build.ts) and by the test run that repeats the SDK and adapter tests with the shims in
 * place (vitest.shims.config.mts → test/support/bundle-shims.setup.ts), so what is tested is what ships.
 *
 * Each substitution applies only to requests made from inside the named package, so nothing else
 * that happens to use the same module name is touched. Why each shim is safe is written in its file.
 */
import path from "node:path";

export interface Substitution {
  /** The SDK package whose files make the request. */
  package: "tencentcloud-sdk-nodejs" | "cos-nodejs-sdk-v5";
  /** The module request exactly as the importing file writes it. */
  request: string;
  /** Matches the importing file's folder (forward or back slashes). */
  importer: RegExp;
  /** The shim, relative to this folder. */
  shim: string;
  /**
   * The importer calls what `require` returns (`REQUEST(opt)`), so the shim's default export must
   * be `module.exports` itself rather than a `default` property.
   */
  defaultIsModule?: boolean;
}

const inPackage = (name: string) => new RegExp(`[\\\\/]node_modules[\\\\/]${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:[\\\\/]|$)`);
const tencentSdk = inPackage("tencentcloud-sdk-nodejs");
const cosSdk = inPackage("cos-nodejs-sdk-v5");

export const SUBSTITUTIONS: readonly Substitution[] = [
  // Tencent Cloud SDK (ESS clients)
  {
    package: "tencentcloud-sdk-nodejs",
    request: "./fetch",
    importer: /[\\/]tencentcloud-sdk-nodejs[\\/]tencentcloud[\\/]common[\\/]http$/,
    shim: "sdk-fetch.ts",
  },
  { package: "tencentcloud-sdk-nodejs", request: "form-data", importer: tencentSdk, shim: "form-data.ts" },
  { package: "tencentcloud-sdk-nodejs", request: "json-bigint", importer: tencentSdk, shim: "json-bigint.ts" },
  { package: "tencentcloud-sdk-nodejs", request: "uuid", importer: tencentSdk, shim: "uuid.ts" },
  {
    package: "tencentcloud-sdk-nodejs",
    request: "./sse_response_model",
    importer: /[\\/]tencentcloud-sdk-nodejs[\\/]tencentcloud[\\/]common$/,
    shim: "sdk-sse-lazy.ts",
  },
  // COS SDK (status store)
  { package: "cos-nodejs-sdk-v5", request: "cos-request", importer: cosSdk, shim: "cos-request.ts", defaultIsModule: true },
  { package: "cos-nodejs-sdk-v5", request: "mime-types", importer: cosSdk, shim: "mime-types.ts" },
  { package: "cos-nodejs-sdk-v5", request: "./advance", importer: cosSdk, shim: "cos-advance.ts" },
  { package: "cos-nodejs-sdk-v5", request: "./select-stream", importer: cosSdk, shim: "cos-select-stream.ts", defaultIsModule: true },
  { package: "cos-nodejs-sdk-v5", request: "cos-fast-xml-parser", importer: cosSdk, shim: "cos-xml-lazy.ts" },
];

export const SHIM_DIR = __dirname;

/** The substitution for `request` made from a file in `importerDir`, if any. */
export function substitutionFor(request: string, importerDir: string): Substitution | undefined {
  return SUBSTITUTIONS.find((s) => s.request === request && s.importer.test(importerDir));
}

export function shimPath(substitution: Substitution): string {
  return path.join(SHIM_DIR, substitution.shim);
}
