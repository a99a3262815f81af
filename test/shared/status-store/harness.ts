import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosObjectStore } from "../../../shared/object-store/cos-object-store";
import { createFileObjectStore } from "../../../shared/object-store/file-object-store";
import { startCosServer, type CosTestServer } from "../../support/cos-server";
import { instrument, type InstrumentedObjectStore } from "./instrumented-object-store";

/** One fresh, empty store on a real adapter, with controls for the tests. */
export interface StoreHarness {
  objects: InstrumentedObjectStore;
  /** Makes matching calls fail in the backend itself until `clearFaults` (COS: real 503 answers). */
  failBackend(kind: "write" | "read", key: (key: string) => boolean): void;
  clearFaults(): void;
  /** Listings show everything written so far (a no-op where listings never lag). */
  catchUp(): void;
  cleanup(): Promise<void>;
}

export interface AdapterUnderTest {
  name: string;
  /** Whether the status store folds on write over this adapter (else on read). */
  foldOnWrite: boolean;
  create(): Promise<StoreHarness>;
  /** Releases what all harnesses of this adapter shared (the COS server). */
  shutdown(): Promise<void>;
}

const fileAdapter = (foldOnWrite: boolean): AdapterUnderTest => ({
  name: foldOnWrite ? "file adapter, folding on write" : "file adapter (folding on read)",
  foldOnWrite,
  async create() {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ess-status-store-"));
    const objects = instrument(createFileObjectStore(dir));
    return {
      objects,
      failBackend(kind, key) {
        objects.failCalls({ ops: kind === "write" ? ["createExclusive", "put", "delete"] : ["get", "list"], key });
      },
      clearFaults: () => objects.clear(),
      catchUp: () => undefined,
      cleanup: () => fs.rm(dir, { recursive: true, force: true }),
    };
  },
  async shutdown() {},
});

/**
 * The COS adapter against the test server. With `lagging`, listings never show a key written after
 * the test started until the test calls `catchUp()` (COS documents no bound on the lag), so a test
 * that passes here relies on no listing.
 */
export function cosAdapter(options: { lagging?: boolean } = {}): AdapterUnderTest {
  let server: Promise<CosTestServer> | undefined;
  let counter = 0;
  return {
    name: options.lagging ? "COS adapter (test server, listings lagging)" : "COS adapter (test server)",
    foldOnWrite: true,
    async create() {
      server ??= startCosServer({
        credentials: { secretId: "AKIDstatusstore01", secretKey: "status-store-secret", token: "status-store-token" },
      });
      const cos = await server;
      cos.listing.lagMs = options.lagging ? 3_600_000 : 0;
      const prefix = `store${++counter}/`;
      const objects = instrument(createCosObjectStore(cos.storeConfig({ prefix })));
      return {
        objects,
        failBackend(kind, key) {
          cos.faults.failNext({
            on: kind,
            mode: "unavailable",
            count: Number.POSITIVE_INFINITY,
            key: (full) => full.startsWith(prefix) && key(full.slice(prefix.length)),
          });
        },
        clearFaults() {
          cos.faults.clear();
          objects.clear();
        },
        catchUp: () => cos.listing.catchUp(),
        async cleanup() {
          cos.faults.clear();
          objects.clear();
        },
      };
    },
    async shutdown() {
      if (server) await (await server).stop();
    },
  };
}

/** Every adapter the StatusStore tests run over. */
export function adaptersUnderTest(): AdapterUnderTest[] {
  return [fileAdapter(false), fileAdapter(true), cosAdapter(), cosAdapter({ lagging: true })];
}
