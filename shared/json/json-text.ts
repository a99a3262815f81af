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
