/**
 * Stand-in, in the deployed bundles only, for the COS SDK's `require('cos-fast-xml-parser')`
 * (sdk/util.js builds one XMLParser and one XMLBuilder when it loads). The real parser is still what
 * parses and builds: these two classes take the same options and hand every `parse` / `build` to
 * the real ones, which are loaded and constructed on the first call. A status-store write (PUT with
 * no XML either way) never needs them, so the 33 KB parser no longer loads on every cold start;
 * a listing or an error answer loads it when it arrives.
 */
type RealModule = {
  XMLParser: new (options?: unknown) => { parse(xml: unknown, ...rest: unknown[]): unknown };
  XMLBuilder: new (options?: unknown) => { build(json: unknown): unknown };
};

let real: RealModule | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): RealModule => (real ??= require("cos-fast-xml-parser") as RealModule);

export class XMLParser {
  private inner?: InstanceType<RealModule["XMLParser"]>;
  constructor(private readonly options?: unknown) {}
  parse(xml: unknown, ...rest: unknown[]): unknown {
    this.inner ??= new (load().XMLParser)(this.options);
    return this.inner.parse(xml, ...rest);
  }
}

export class XMLBuilder {
  private inner?: InstanceType<RealModule["XMLBuilder"]>;
  constructor(private readonly options?: unknown) {}
  build(json: unknown): unknown {
    this.inner ??= new (load().XMLBuilder)(this.options);
    return this.inner.build(json);
  }
}
