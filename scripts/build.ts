/**
 * Bundles each SCF function into its own folder, `dist/<function>/index.js` (CommonJS, Node 18,
 * minified, with a source map): what serverless.yml deploys. Prints each bundle's size.
 *
 * Cold-start choices (measured by bench/cold-start; a user pays the bundle's initialisation on every
 * cold start):
 * - the SDKs' transport and helper modules that the kit's calls do not need in full are replaced
 *   by the shims listed in `bundle-shims/substitutions.ts` (why each is safe is in its file; the
 *   SDK and adapter tests run again on them: `vitest.shims.config.mts`);
 * - only the two ESS service clients are imported (deep paths), never the SDK's root index;
 * - where a function reaches the Tencent Cloud SDK only on a rare path (group-status, `?refresh=1`),
 *   the SDK goes into a sibling file required on that path, so plain reads never parse it.
 *
 * `--naive` builds without the replacements and the sibling file, for comparison.
 * `--analyze` prints the largest contributors to each bundle.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { SUBSTITUTIONS, shimPath, substitutionFor, type Substitution } from "../bundle-shims/substitutions";

const root = path.resolve(__dirname, "..");
const naive = process.argv.includes("--naive");
const analyze = process.argv.includes("--analyze");
const outRoot = path.join(root, naive ? "dist-naive" : "dist");

/** The SDK modules shared/ess/sdk-adapter.ts imports, by deep path. */
const SDK_CLIENTS: Readonly<Record<string, string>> = {
  "tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client": "abstractClient",
};
/** The sibling file holding the SDK for the functions below. */
const SDK_FILE = "tencentcloud-sdk.js";
/** Functions whose handler imports the ESS SDK adapter dynamically, on a path most requests never take. */
const SDK_ON_DEMAND: ReadonlySet<string> = new Set(["group-status", "outbox"]);

/**
 * The Node.js version the bundles are built for: the functions' SCF runtime, Nodejs18.15
 * (serverless.yml; the deploy check compares the two).
 */
export const NODE_TARGET = "node18";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Puts the shims of `bundle-shims/substitutions.ts` in place of the modules they replace, only for
 * requests made from inside the SDK packages named there. A shim whose `default` export is the
 * module itself (the COS SDK calls `require("cos-request")(options)`) is reached through a one-line
 * CommonJS wrapper.
 */
function shimPlugin(hits: Set<Substitution>): Plugin {
  const requests = [...new Set(SUBSTITUTIONS.map((s) => s.request))].map(escapeRegExp);
  return {
    name: "shims",
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(?:${requests.join("|")})$`) }, (args) => {
        const substitution = substitutionFor(args.path, args.resolveDir);
        if (!substitution) return undefined;
        hits.add(substitution);
        return { path: shimPath(substitution), namespace: substitution.defaultIsModule ? "shim-module" : "file" };
      });
      b.onLoad({ filter: /.*/, namespace: "shim-module" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)}).default;`,
        loader: "js",
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}

/**
 * Sends the service clients' imports to the sibling SDK file. The `require` sits inside the module
 * that imports them, so it runs when that module is first used (the dynamic import), not at load.
 */
const sdkOnDemandPlugin: Plugin = {
  name: "sdk-on-demand",
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(?:${Object.keys(SDK_CLIENTS).map(escapeRegExp).join("|")})$`) }, (args) => ({
      path: args.path,
      namespace: "sdk-on-demand",
    }));
    b.onLoad({ filter: /.*/, namespace: "sdk-on-demand" }, (args) => ({
      contents: `module.exports = require("./${SDK_FILE}")[${JSON.stringify(SDK_CLIENTS[args.path])}];`,
      loader: "js",
    }));
    b.onResolve({ filter: new RegExp(`^\\./${escapeRegExp(SDK_FILE)}$`), namespace: "sdk-on-demand" }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

/** A substitution that did not happen although its package is in the bundle means the package changed shape. */
function assertShimsApplied(file: string, inputs: string[], hits: Set<Substitution>): void {
  for (const substitution of SUBSTITUTIONS) {
    const packageUsed = inputs.some((input) => substitution.importer.test(path.dirname(path.resolve(root, input))));
    if (packageUsed && !hits.has(substitution) && substitution.request !== "./select-stream") {
      throw new Error(
        `${file}: the shim for "${substitution.request}" (${substitution.shim}) was never applied; check bundle-shims/substitutions.ts`,
      );
    }
  }
}

/** Output bytes per package (or per source folder of ours), largest first. */
function bytesByPackage(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inModules = input.lastIndexOf("node_modules/");
      const name =
        inModules >= 0
          ? /^((?:@[^/]+\/)?[^/]+)/.exec(input.slice(inModules + "node_modules/".length))![1]!
          : input
              .replace(/^[^:]*:/, "")
              .split("/")
              .slice(0, -1)
              .slice(-2)
              .join("/") || input;
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export interface BundleSize {
  fn: string;
  /** `index.js`, what SCF loads at every cold start. */
  bytes: number;
  /** The sibling SDK file, loaded only on the path that needs it. */
  onDemand?: { file: string; bytes: number };
}

export async function buildFunctions(
  options: { naive?: boolean; outRoot?: string; quiet?: boolean; analyze?: boolean; minify?: boolean } = {},
): Promise<BundleSize[]> {
  const out = options.outRoot ?? outRoot;
  const functions = (await readdir(path.join(root, "functions"), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  await rm(out, { recursive: true, force: true });

  const bundle = async (label: string, outfile: string, entry: Pick<BuildOptions, "entryPoints" | "stdin">, plugins: Plugin[] = []) => {
    const hits = new Set<Substitution>();
    const result = await build({
      ...entry,
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: NODE_TARGET,
      minify: options.minify ?? true,
      sourcemap: true,
      legalComments: "linked",
      logLevel: "warning",
      plugins: options.naive ? [] : [shimPlugin(hits), ...plugins],
      metafile: true,
      // No keepNames: SCF finds `main_handler` by its export name, our errors set their `name`, and
      // logs carry name/message/code rather than stacks. It cost ~5% of each bundle and ~10% of its
      // initialisation (bench/cold-start).
      keepNames: false,
    });
    if (!options.naive) assertShimsApplied(label, Object.keys(result.metafile.inputs), hits);
    if (options.analyze) {
      console.log(`${label}: largest contributors (KB in the minified bundle)`);
      for (const { name, bytes } of bytesByPackage(result.metafile).slice(0, 15))
        console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)}  ${name}`);
    }
    return (await stat(outfile)).size;
  };

  const sizes: BundleSize[] = [];
  for (const fn of functions.sort()) {
    const folder = path.join(out, fn);
    await mkdir(folder, { recursive: true });
    const onDemand = !options.naive && SDK_ON_DEMAND.has(fn);
    const bytes = await bundle(
      fn,
      path.join(folder, "index.js"),
      { entryPoints: [path.join(root, "functions", fn, "handler.ts")] },
      onDemand ? [sdkOnDemandPlugin] : [],
    );
    const size: BundleSize = { fn, bytes };
    if (onDemand) {
      const contents = `module.exports = { ${Object.entries(SDK_CLIENTS)
        .map(([request, name]) => `${name}: require(${JSON.stringify(request)})`)
        .join(", ")} };`;
      const sdkBytes = await bundle(`${fn}/${SDK_FILE}`, path.join(folder, SDK_FILE), {
        stdin: { contents, resolveDir: root, loader: "js", sourcefile: SDK_FILE },
      });
      size.onDemand = { file: SDK_FILE, bytes: sdkBytes };
    }
    // SCF runs index.js as CommonJS; this marker keeps a package.json with "type": "module" higher up from changing that.
    await writeFile(path.join(folder, "package.json"), '{ "type": "commonjs" }\n');
    sizes.push(size);
  }
  if (!options.quiet) {
    for (const { fn, bytes, onDemand } of sizes) {
      const line = `${path.relative(root, path.join(out, fn, "index.js")).padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(8)} KB`;
      console.log(onDemand ? `${line}   (+ ${onDemand.file} ${(onDemand.bytes / 1024).toFixed(1)} KB, loaded on demand)` : line);
    }
  }
  return sizes;
}

if (require.main === module) {
  buildFunctions({ naive, analyze }).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
