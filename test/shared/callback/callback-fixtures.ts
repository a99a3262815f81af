import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Loads the callback fixtures written by `test/fixtures/callbacks/make-fixtures.sh` (openssl CLI,
 * independent of our crypto). Bytes are read exactly as stored: signatures cover them byte for byte.
 */
const DIR = fileURLToPath(new URL("../../fixtures/callbacks/", import.meta.url));

export const fixtureConfig = JSON.parse(readFileSync(`${DIR}fixture-config.json`, "utf8")) as {
  key: string;
  token: string;
  timestamp: string;
  nonce: string;
};

/** Encrypted messages (each has a plaintext, a body, headers and a query signature). */
export const ENCRYPTED_FIXTURES = [
  "ess-flow-status-change",
  "essbasic-flow-status-change",
  "ess-flow-group-status-change",
  "ess-unknown-msg-type",
  "ess-legacy-v1",
] as const;

/** The console's URL probes (a body, headers and a query signature, no plaintext). */
export const PROBE_FIXTURES = ["probe-empty", "probe-bad-encrypt"] as const;

export type FixtureName = (typeof ENCRYPTED_FIXTURES)[number] | (typeof PROBE_FIXTURES)[number];

export interface CallbackFixture {
  name: FixtureName;
  body: Buffer;
  headers: Record<string, string>;
  query: { timestamp: string; nonce: string; msg_signature: string };
  /** The expected decryption; absent for probes. */
  plaintext?: Buffer;
  /** The body's `encrypt` value ("" when it has none). */
  encrypt: string;
}

export function loadFixture(name: FixtureName): CallbackFixture {
  const read = (suffix: string) => readFileSync(`${DIR}${name}.${suffix}`);
  const body = read("body.json");
  const parsed = JSON.parse(body.toString("utf8")) as { encrypt?: string };
  let plaintext: Buffer | undefined;
  try {
    plaintext = read("plaintext.json");
  } catch {
    plaintext = undefined;
  }
  return {
    name,
    body,
    headers: JSON.parse(read("headers.json").toString("utf8")) as Record<string, string>,
    query: JSON.parse(read("query.json").toString("utf8")) as CallbackFixture["query"],
    ...(plaintext !== undefined ? { plaintext } : {}),
    encrypt: parsed.encrypt ?? "",
  };
}

/** The `sha256=<hex>` of a fixture's Content-Signature header, without the prefix. */
export function signatureHex(fixture: CallbackFixture): string {
  return fixture.headers["content-signature"]!.replace(/^sha256=/, "");
}

/**
 * Every personal value in the fixtures' plaintexts (names, mobiles, ID numbers), found by field
 * name so a fixture added later is covered too.
 */
export function personalValues(): string[] {
  const values = new Set<string>();
  const visit = (value: unknown, key = ""): void => {
    if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(v, k);
    else if (typeof value === "string" && /(Name|Mobile|IdCardNumber)$/.test(key) && !/^Flow/.test(key) && value !== "") values.add(value);
  };
  for (const name of ENCRYPTED_FIXTURES) visit(JSON.parse(loadFixture(name).plaintext!.toString("utf8")));
  return [...values];
}
