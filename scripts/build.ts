/**
 * Bundles each SCF function into its own folder, `dist/<function>/index.js` (CommonJS, Node 18,
 * minified, with a source map): what serverless.yml deploys. Prints each bundle's size.
 *
 * Cold-start choices (measured by bench/cold-start):
 * - the SDK's `node-fetch` wrapper is replaced by `scripts/shims/sdk-fetch.ts` (the runtime's own
 *   `node:http`), and `form-data` (multipart, unused) by a stand-in that refuses to be used;
 * - only the two ESS service clients are imported (deep paths), never the SDK's root index.
 *
 * `--naive` builds without the replacements, for comparison.
 */
import { build, type Plugin } from "esbuild";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const naive = process.argv.includes("--naive");
const outRoot = path.join(root, naive ? "dist-naive" : "dist");

/** Redirects two of the SDK's modules to the shims (see the file comment). */
const sdkShims: Plugin = {
  name: "sdk-shims",
  setup(b) {
    b.onResolve({ filter: /^\.\/fetch$/ }, (args) =>
      /tencentcloud-sdk-nodejs[\\/]tencentcloud[\\/]common[\\/]http$/.test(args.resolveDir)
        ? { path: path.join(root, "scripts/shims/sdk-fetch.ts") }
        : undefined,
    );
    b.onResolve({ filter: /^form-data$/ }, () => ({ path: path.join(root, "scripts/shims/form-data.ts") }));
  },
};

export async function buildFunctions(options: { naive?: boolean; outRoot?: string; quiet?: boolean } = {}) {
  const out = options.outRoot ?? outRoot;
  const functions = (await readdir(path.join(root, "functions"), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  await rm(out, { recursive: true, force: true });
  const sizes: Array<{ fn: string; bytes: number }> = [];
  for (const fn of functions.sort()) {
    const outfile = path.join(out, fn, "index.js");
    await mkdir(path.dirname(outfile), { recursive: true });
    await build({
      entryPoints: [path.join(root, "functions", fn, "handler.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node18",
      minify: true,
      sourcemap: true,
      legalComments: "linked",
      logLevel: "warning",
      plugins: options.naive ? [] : [sdkShims],
      // Keep the function's own name for SCF's handler lookup and for readable stack traces.
      keepNames: true,
    });
    // SCF runs index.js as CommonJS; this marker keeps a package.json with "type": "module" higher up from changing that.
    await writeFile(path.join(out, fn, "package.json"), '{ "type": "commonjs" }\n');
    sizes.push({ fn, bytes: (await stat(outfile)).size });
  }
  if (!options.quiet) {
    for (const { fn, bytes } of sizes) console.log(`${path.relative(root, path.join(out, fn, "index.js")).padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(8)} KB`);
  }
  return sizes;
}

if (require.main === module) {
  buildFunctions({ naive }).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
