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

/**
 * Whether JSON `text` nests objects and arrays deeper than `max`, found in one pass over the text
 * before anything parses or walks it: recursive code further on (fingerprints, masking, JSON
 * output) then never meets a body nested 10,000 deep.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
