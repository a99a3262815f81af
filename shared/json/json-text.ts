/**
 * Text and JSON helpers shared by the request body readers (create-group, callback) and by the
 * code that compares or fingerprints JSON values (status snapshots, idempotency keys).
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as UTF-8 text without a leading byte-order mark, or undefined when they are not UTF-8. */
export function decodeUtf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON with object keys sorted and undefined members dropped: equal values give equal text, whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** How deep a request's JSON may nest (objects and arrays); the deepest valid create request nests 8. */
export const MAX_JSON_DEPTH = 32;

/** The characters that matter to nesting: one character class, so the search is linear. */
const STRUCTURAL = /["[\]{}]/g;

/**
 * Whether JSON `text` nests objects and arrays deeper than `max`, found in one pass over the text
 * before anything parses or walks it: recursive code further on (fingerprints, masking, JSON
 * output) never meets a body nested 10,000 deep, and `JSON.parse` never spends a second on 6 MB of
 * `[`. Strings are skipped with `indexOf` (about 0.7× the cost of `JSON.parse` on a 450 KB body).
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  STRUCTURAL.lastIndex = 0;
  while (STRUCTURAL.test(text)) {
    const at = STRUCTURAL.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === 0x22) {
      const end = closingQuote(text, at + 1);
      if (end < 0) return false;
      STRUCTURAL.lastIndex = end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else depth--;
  }
  return false;
}

/** Index of the quote that ends the string starting at `from` (one not escaped), or -1. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** The JSON value of `text`, or undefined when there is no text or it is not JSON (stored objects may be damaged). */
export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
