/**
 * Stand-in, in the deployed bundles only, for `json-bigint`, which the Tencent Cloud SDK loads with
 * bignumber.js (together ~25 KB of bundle). The SDK builds it as `JSONbig({ useNativeBigInt: true })`
 * and calls only `stringify`: for the body of each API call and the hash that signs it.
 *
 * `stringify` below is json-bigint 1.0's (Crockford's json2) minus bignumber.js, kept byte for byte
 * because the bytes are what gets signed and sent: it escapes more characters than
 * `JSON.stringify` (U+007F–U+009F, U+00AD, U+2028–U+202F, U+FEFF…), passes lone surrogates through,
 * writes a native BigInt as its digits, and writes a bignumber.js value (recognised by its
 * `_isBigNumber` brand, as `BigNumber.isBigNumber` does) as its `toJSON()` text. The replacer and
 * indentation arguments behave as there. `parse`, which the SDK never calls, is refused.
 */

const escapable =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\\"\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0604\u070f\u17b4\u17b5\u200c-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufff0-\uffff]/g;
const meta: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

type Replacer = ((this: unknown, key: string | number, value: unknown) => unknown) | ReadonlyArray<unknown> | null | undefined;

function quote(text: string): string {
  escapable.lastIndex = 0;
  return escapable.test(text)
    ? `"${text.replace(escapable, (c) => meta[c] ?? `\\u${`0000${c.charCodeAt(0).toString(16)}`.slice(-4)}`)}"`
    : `"${text}"`;
}

export function stringify(value: unknown, replacer?: Replacer, space?: string | number): string | undefined {
  let gap = "";
  let indent = "";
  if (typeof space === "number") for (let i = 0; i < space; i += 1) indent += " ";
  else if (typeof space === "string") indent = space;
  if (replacer && typeof replacer !== "function" && (typeof replacer !== "object" || typeof replacer.length !== "number")) {
    throw new Error("JSON.stringify");
  }

  const str = (key: string | number, holder: Record<string | number, unknown>): string | undefined => {
    const mind = gap;
    let current = holder[key];
    const isBigNumber = current != null && (current as { _isBigNumber?: unknown })._isBigNumber === true;
    if (current && typeof current === "object" && typeof (current as { toJSON?: unknown }).toJSON === "function") {
      current = (current as { toJSON(key: string | number): unknown }).toJSON(key);
    }
    if (typeof replacer === "function") current = replacer.call(holder, key, current);
    switch (typeof current) {
      case "string":
        return isBigNumber ? current : quote(current);
      case "number":
        return Number.isFinite(current) ? String(current) : "null";
      case "boolean":
      case "bigint":
        return String(current);
      case "object": {
        if (!current) return "null";
        gap += indent;
        const partial: string[] = [];
        let text: string;
        if (Object.prototype.toString.apply(current) === "[object Array]") {
          const array = current as unknown as Record<number, unknown> & { length: number };
          for (let i = 0; i < array.length; i += 1) partial[i] = str(i, array) || "null";
          text = partial.length === 0 ? "[]" : gap ? `[\n${gap}${partial.join(`,\n${gap}`)}\n${mind}]` : `[${partial.join(",")}]`;
        } else {
          const object = current as Record<string, unknown>;
          const keys =
            replacer && typeof replacer === "object" ? replacer.filter((k): k is string => typeof k === "string") : Object.keys(object);
          for (const k of keys) {
            const v = str(k, object);
            if (v) partial.push(quote(k) + (gap ? ": " : ":") + v);
          }
          text = partial.length === 0 ? "{}" : gap ? `{\n${gap}${partial.join(`,\n${gap}`)}\n${mind}}` : `{${partial.join(",")}}`;
        }
        gap = mind;
        return text;
      }
      default:
        return undefined;
    }
  };
  return str("", { "": value });
}

function parse(): never {
  throw new Error("json-bigint parse is not supported in this bundle");
}

/** `JSONbig(options)`: the options only change `parse`, so every instance shares this `stringify`. */
export default function JSONbig(_options?: unknown): { parse: typeof parse; stringify: typeof stringify } {
  return { parse, stringify };
}
