import { inflateSync } from "node:zlib";

/**
 * Is this a PDF that ESS can start a contract from? Checked before the file is sent: the magic
 * bytes, then the structure a reader follows to find the pages — `%%EOF` at the end, `startxref`
 * before it, the cross-reference table or stream it points at (and every `/Prev` section before
 * it), the trailer's `/Root` catalog, its `/Pages` tree and the page `/Count`. Object streams and
 * cross-reference streams (PDF 1.5+) are read with Node's own zlib; nothing else is loaded, so the
 * function that uses this starts as fast as before.
 *
 * Written for hostile input: the whole check visits at most WORK_PER_BYTE + 1 bytes per byte of
 * input (the file, and what it inflates) plus a small constant, counted by one `Work` meter that every
 * scan charges (the lexer's tokens, strings and comments, the search for `endstream`, the table
 * entries, the rows of cross-reference streams, the repair scan). A file whose objects never end (an unclosed string or hex string, a
 * stream without `endstream`, an array of comments) would otherwise make the repair scan read to
 * the end of the file from each of its object headers, O(objects × length); it runs out of work
 * instead and is `damaged`. Nesting is capped, the bytes inflated across the whole check are capped,
 * the repair scan takes at most MAX_REPAIRED_OBJECTS headers, cross-reference sections are followed
 * once each, and the check never throws: anything it cannot follow is a verdict, never a crash.
 */
export type PdfVerdict =
  | {
      ok: true;
      pages: number;
      version: string;
      /**
       * The cross-reference data did not lead to the objects (wrong offsets, a broken table): found
       * by scanning the file for its objects, as PDF readers do when they repair a file.
       */
      repaired: boolean;
    }
  | { ok: false; reason: "not-pdf" | "damaged" | "encrypted" | "no-pages"; problem: string };

/** How far from the end `%%EOF` may be (trailing bytes some writers add), and `startxref` before it. */
const TAIL_WINDOW = 2048;
const MAX_NESTING = 64;
/** Sections followed through `/Prev` and `/XRefStm` together: 64 incremental updates of a hybrid file. */
const MAX_XREF_SECTIONS = 128;
/** More bytes inflated than this, all xref and object streams together, is refused (a zip bomb is not a contract). */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;
/**
 * Bytes the check may visit per byte of input, and a constant for tiny files. Measured on valid files (samples,
 * pdf-lib up to 1,000 pages): 1.1–1.5 read by their cross-references, 3–4.7 repaired (both passes); a file that
 * makes the check re-read what it has read runs out and is `damaged`, so the cost is linear whatever it holds.
 */
const WORK_PER_BYTE = 8;
const WORK_SLACK = 64 * 1024;
/** Object headers the repair scan follows: far more than a 4.4 MB contract holds (pdf-lib's 1,000 pages: ~2,000). */
const MAX_REPAIRED_OBJECTS = 200_000;

export interface PdfCheckCost {
  /** Bytes the check visited (each scan counts what it read), the figure WORK_PER_BYTE bounds. */
  bytesVisited: number;
  /** Bytes inflated from xref and object streams. */
  bytesInflated: number;
}

/** `inspectPdf`, with what it cost: the tests measure that the work stays linear in the input. */
export function inspectPdfWithCost(bytes: Uint8Array): { verdict: PdfVerdict; cost: PdfCheckCost } {
  const work = new Work(bytes.byteLength);
  const verdict = check(bytes, work);
  return { verdict, cost: { bytesVisited: work.visited, bytesInflated: work.inflated } };
}

export function inspectPdf(bytes: Uint8Array): PdfVerdict {
  return check(bytes, new Work(bytes.byteLength));
}

function check(bytes: Uint8Array, work: Work): PdfVerdict {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = /^%PDF-(\d\.\d)/.exec(buffer.subarray(0, 16).toString("latin1"));
  if (!header) return { ok: false, reason: "not-pdf", problem: "does not begin with %PDF-: it is not a PDF" };
  let outline: { encrypted: boolean; pages: number };
  let repaired = false;
  // One reader for both passes: the repair forgets what the first pass found, but not the file's text.
  const reader = new PdfReader(buffer, work);
  try {
    outline = readOutline(reader, false);
  } catch (error) {
    try {
      // Out of work in the first pass: the second has none left either.
      if (error instanceof Refused) throw error;
      outline = readOutline(reader, true);
      repaired = true;
    } catch (repairError) {
      const cause = repairError instanceof Refused ? repairError : error;
      const problem = cause instanceof Damaged ? cause.message : "cannot be read as a PDF";
      return { ok: false, reason: "damaged", problem: `is a damaged PDF: ${problem}` };
    }
  }
  if (outline.encrypted) return { ok: false, reason: "encrypted", problem: "is an encrypted PDF; ESS takes unencrypted files" };
  if (outline.pages === 0) return { ok: false, reason: "no-pages", problem: "is a PDF without pages" };
  return { ok: true, pages: outline.pages, version: header[1]!, repaired };
}

/** Whether the file is encrypted, and its page count, following its cross-references (or its scanned objects). */
function readOutline(reader: PdfReader, repair: boolean): { encrypted: boolean; pages: number } {
  const trailer = repair ? reader.repairCrossReferences() : reader.readCrossReferences().trailer;
  if (trailer.get("Encrypt") !== undefined) return { encrypted: true, pages: 0 };
  return { encrypted: false, pages: reader.pageCount(trailer) };
}

class Damaged extends Error {}

/** Why the check stops reading altogether (not one damaged object, which the repair skips): this is the verdict's reason. */
class Refused extends Damaged {}

/** The check has visited as many bytes as the input allows (see WORK_PER_BYTE); it stops with this verdict. */
class OutOfWork extends Refused {
  constructor() {
    super("its objects never end where they should (reading it would take far more work than its size)");
  }
}

/**
 * The one meter of the check's work. A scan asks `left()` before it starts (so a spent meter stops the next scan at
 * once, even where a caller goes on after a damaged object) and charges what it read when it ends; one scan reads at
 * most the rest of its input, so the total stays below the limit plus one input length.
 */
class Work {
  visited = 0;
  inflated = 0;
  private limit: number;

  constructor(inputLength: number) {
    this.limit = WORK_SLACK + WORK_PER_BYTE * inputLength;
  }

  /** Throws `OutOfWork` once the limit is reached. */
  check(): void {
    if (this.visited >= this.limit) throw new OutOfWork();
  }

  charge(bytes: number): void {
    this.visited += bytes;
    this.check();
  }

  /** Bytes the next inflate may still produce. */
  inflateAllowance(): number {
    return MAX_INFLATED_BYTES - this.inflated;
  }

  /** An inflate that reached the allowance: what is left of it is spent. */
  spendInflateAllowance(): void {
    this.inflated = MAX_INFLATED_BYTES;
  }

  /** Inflated bytes are input too: reading them may cost as much per byte as the file's own. */
  addInflated(bytes: number): void {
    this.inflated += bytes;
    this.limit += WORK_PER_BYTE * bytes;
  }
}

// ---------------------------------------------------------------------------------------------
// Values

type PdfValue = number | boolean | null | PdfName | PdfRef | PdfDict | PdfString | PdfValue[];
interface PdfName {
  name: string;
}
interface PdfRef {
  num: number;
  gen: number;
}
interface PdfString {
  string: true;
}
type PdfDict = Map<string, PdfValue>;

const isName = (v: PdfValue | undefined): v is PdfName => typeof v === "object" && v !== null && "name" in v;
const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === "object" && v !== null && "num" in v;
const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;
const isInt = (v: PdfValue | undefined): v is number => typeof v === "number" && Number.isInteger(v);

/** An indirect object: its value, and its stream's raw bytes when it has one. */
interface PdfObject {
  value: PdfValue;
  stream?: { dict: PdfDict; start: number; raw: Buffer };
}

type XrefEntry = { type: 1; offset: number } | { type: 2; stream: number; index: number };

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (c: number) => !WHITESPACE.has(c) && !DELIMITERS.has(c);

/** Tokens of PDF syntax over one byte range (the file, or a decompressed object stream). */
class Lexer {
  pos: number;
  constructor(
    private readonly bytes: Buffer,
    private readonly work: Work,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  private at(i: number): number {
    return i < this.end ? this.bytes[i]! : -1;
  }

  skipSpace(): void {
    this.work.check();
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.bytes[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) while (this.pos < this.end && this.bytes[this.pos] !== 0x0a && this.bytes[this.pos] !== 0x0d) this.pos++;
      else break;
    }
    this.work.charge(this.pos - start);
  }

  /** The next run of regular characters (a keyword or number), without consuming it. */
  peekWord(): string {
    this.skipSpace();
    let i = this.pos;
    while (i < this.end && isRegular(this.bytes[i]!)) i++;
    this.work.charge(i - this.pos + 1);
    return this.bytes.toString("latin1", this.pos, i);
  }

  word(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  integer(what: string): number {
    const w = this.word();
    if (!/^\d{1,10}$/.test(w)) throw new Damaged(`expected ${what}`);
    return Number(w);
  }

  expect(keyword: string): void {
    if (this.word() !== keyword) throw new Damaged(`expected "${keyword}"`);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new Damaged("objects nested too deep");
    this.skipSpace();
    const c = this.at(this.pos);
    if (c === -1) throw new Damaged("ends inside an object");
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c && this.at(this.pos + 1) === 0x3c) return this.dict(depth);
    if (c === 0x3c) return this.hexString();
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.at(this.pos) === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    const w = this.word();
    if (w === "true" || w === "false") return w === "true";
    if (w === "null") return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) throw new Damaged(`unexpected "${w.slice(0, 20)}"`);
    const number = Number(w);
    if (!/^\d+$/.test(w)) return number;
    // "12 0 R" is a reference: look ahead for a generation number and R.
    const save = this.pos;
    const gen = this.word();
    if (/^\d{1,5}$/.test(gen) && this.word() === "R") return { num: number, gen: Number(gen) };
    this.pos = save;
    return number;
  }

  private name(): PdfName {
    const start = ++this.pos;
    while (this.pos < this.end && isRegular(this.bytes[this.pos]!)) this.pos++;
    this.work.charge(this.pos - start + 1);
    const raw = this.bytes.toString("latin1", start, this.pos);
    return { name: raw.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
  }

  private literalString(): PdfString {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.end) {
      const c = this.bytes[this.pos++]!;
      if (c === 0x5c) this.pos++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.work.charge(this.pos - start);
        return { string: true };
      }
    }
    this.work.charge(this.end - start);
    throw new Damaged("a string is never closed");
  }

  private hexString(): PdfString {
    const close = this.bytes.indexOf(0x3e, this.pos);
    if (close < 0 || close >= this.end) {
      this.work.charge(this.end - this.pos);
      throw new Damaged("a hex string is never closed");
    }
    this.work.charge(close + 1 - this.pos);
    this.pos = close + 1;
    return { string: true };
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.at(this.pos) === 0x3e && this.at(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return dict;
      }
      if (this.at(this.pos) !== 0x2f) throw new Damaged("a dictionary key is not a name");
      const key = this.name().name;
      dict.set(key, this.value(depth + 1));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The file's structure

class PdfReader {
  private readonly xref = new Map<number, XrefEntry>();
  private readonly objectStreams = new Map<number, { text: Buffer; offsets: Map<number, number> }>();
  /** The file as latin1 text (one character per byte), for the cross-reference tables' entry pattern. */
  private latin1: string | undefined;
  /** Offsets of the cross-reference sections read (`/Prev` and `/XRefStm` alike): each is read once. */
  private readonly sections = new Set<number>();

  constructor(
    private readonly bytes: Buffer,
    private readonly work: Work,
  ) {}

  private text(): string {
    if (this.latin1 === undefined) {
      this.work.charge(this.bytes.length);
      this.latin1 = this.bytes.toString("latin1");
    }
    return this.latin1;
  }

  /** Every cross-reference section from the last `startxref` back through `/Prev`; the newest trailer. */
  readCrossReferences(): { trailer: PdfDict } {
    const tail = this.bytes.subarray(Math.max(0, this.bytes.length - TAIL_WINDOW)).toString("latin1");
    const eof = tail.lastIndexOf("%%EOF");
    if (eof < 0) throw new Damaged("no %%EOF at its end (a truncated file?)");
    const startxref = tail.lastIndexOf("startxref", eof);
    if (startxref < 0) throw new Damaged("no startxref before %%EOF");
    const offsetText = /^startxref\s+(\d{1,12})\s/.exec(tail.slice(startxref, eof + 1));
    if (!offsetText) throw new Damaged("startxref is not followed by an offset");
    let offset: number | undefined = Number(offsetText[1]);
    let newest: PdfDict | undefined;
    while (offset !== undefined) {
      const trailer = this.readSection(offset);
      newest ??= trailer;
      const prev = trailer.get("Prev");
      offset = isInt(prev) ? prev : undefined;
    }
    if (!newest || !isRef(newest.get("Root"))) throw new Damaged("its trailer names no /Root catalog");
    return { trailer: newest };
  }

  /**
   * What a reader does with a file whose cross-references are wrong: every `N G obj` the file holds
   * (the last of a number wins, as a later update would), the entries of its cross-reference
   * streams for objects inside object streams, and the last trailer (or cross-reference stream, or
   * catalog) for the root.
   */
  repairCrossReferences(): PdfDict {
    const text = this.text();
    // A file cut short is not repaired: what is missing cannot be found.
    if (!text.slice(-TAIL_WINDOW).includes("%%EOF")) throw new Damaged("no %%EOF at its end (a truncated file?)");
    this.xref.clear();
    this.objectStreams.clear();
    const header = /(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj(?![A-Za-z])/g;
    // One pass of the pattern and one of lastIndexOf over the file.
    this.work.charge(2 * text.length);
    let headers = 0;
    for (const match of text.matchAll(header)) {
      if (++headers > MAX_REPAIRED_OBJECTS) {
        throw new Refused(`its cross-references are broken and it has more than ${MAX_REPAIRED_OBJECTS} objects`);
      }
      this.xref.set(Number(match[1]), { type: 1, offset: match.index! });
    }
    let root: PdfRef | undefined;
    let encrypt: PdfValue | undefined;
    const trailerAt = text.lastIndexOf("trailer");
    if (trailerAt >= 0) {
      const trailer = new Lexer(this.bytes, this.work, trailerAt + "trailer".length).value();
      if (isDict(trailer) && isRef(trailer.get("Root"))) [root, encrypt] = [trailer.get("Root") as PdfRef, trailer.get("Encrypt")];
    }
    for (const [num, entry] of [...this.xref]) {
      if (entry.type !== 1) continue;
      let found: PdfObject;
      try {
        found = this.indirectAt(entry.offset);
      } catch (error) {
        // A damaged object is skipped, as readers do; running out of work ends the repair.
        if (error instanceof Refused) throw error;
        continue;
      }
      if (!isDict(found.value)) continue;
      const type = found.value.get("Type");
      if (isName(type) && type.name === "XRef" && found.stream) {
        this.readStreamEntries(found.value, this.decode(found.stream), { onlyCompressed: true });
        if (root === undefined && isRef(found.value.get("Root")))
          [root, encrypt] = [found.value.get("Root") as PdfRef, found.value.get("Encrypt")];
      }
      if (root === undefined && isName(type) && type.name === "Catalog") root = { num, gen: 0 };
    }
    if (root === undefined) throw new Damaged("no catalog can be found in it");
    const trailer: PdfDict = new Map([["Root", root]]);
    if (encrypt !== undefined) trailer.set("Encrypt", encrypt);
    return trailer;
  }

  /** The page count the catalog's page tree declares. */
  pageCount(trailer: PdfDict): number {
    const catalog = this.object(trailer.get("Root") as PdfRef).value;
    if (!isDict(catalog)) throw new Damaged("its /Root is not a dictionary");
    const type = catalog.get("Type");
    if (type !== undefined && !(isName(type) && type.name === "Catalog")) throw new Damaged("its /Root is not a /Catalog");
    const pagesRef = catalog.get("Pages");
    if (!isRef(pagesRef)) throw new Damaged("its catalog has no /Pages tree");
    const pages = this.object(pagesRef).value;
    if (!isDict(pages)) throw new Damaged("its /Pages is not a dictionary");
    const count = pages.get("Count");
    if (!isInt(count) || count < 0) throw new Damaged("its page tree has no page /Count");
    if (!Array.isArray(pages.get("Kids"))) throw new Damaged("its page tree has no /Kids");
    // Every page is an object: more pages than objects is a lie.
    if (count > this.xref.size) throw new Damaged("its page /Count is larger than its number of objects");
    return count;
  }

  private readSection(offset: number): PdfDict {
    if (offset <= 0 || offset >= this.bytes.length) throw new Damaged("startxref points outside the file");
    if (this.sections.has(offset) || this.sections.size >= MAX_XREF_SECTIONS) throw new Damaged("its cross-reference sections loop");
    this.sections.add(offset);
    const lexer = new Lexer(this.bytes, this.work, offset);
    if (lexer.peekWord() === "xref") {
      lexer.word();
      return this.readTable(lexer);
    }
    const { value, stream } = this.indirectAt(offset);
    if (!stream || !isDict(value) || !(isName(value.get("Type")) && (value.get("Type") as PdfName).name === "XRef")) {
      throw new Damaged("startxref points at neither a cross-reference table nor a cross-reference stream");
    }
    this.readStreamEntries(value, this.decode(stream));
    return value;
  }

  /** A classic `xref` table: subsections of 20-byte entries, then `trailer`. */
  private readTable(lexer: Lexer): PdfDict {
    const text = this.text();
    for (;;) {
      const word = lexer.peekWord();
      if (word === "trailer") break;
      const first = lexer.integer("a cross-reference subsection");
      const count = lexer.integer("a cross-reference subsection's size");
      if (count * 18 > this.bytes.length - lexer.pos) throw new Damaged("a cross-reference subsection is longer than the file");
      lexer.skipSpace();
      const entry = /(\d{10}) (\d{5}) ([nf])[ \r\n]{0,3}/y;
      for (let i = 0; i < count; i++) {
        entry.lastIndex = lexer.pos;
        const m = entry.exec(text);
        if (!m) throw new Damaged("a cross-reference entry is malformed");
        this.work.charge(entry.lastIndex - lexer.pos);
        lexer.pos = entry.lastIndex;
        if (m[3] === "n" && !this.xref.has(first + i)) this.xref.set(first + i, { type: 1, offset: Number(m[1]) });
      }
    }
    lexer.word();
    const trailer = lexer.value();
    if (!isDict(trailer)) throw new Damaged("its trailer is not a dictionary");
    // A hybrid file keeps objects of object streams in a stream the table's trailer names.
    const hybrid = trailer.get("XRefStm");
    if (isInt(hybrid)) this.readSection(hybrid);
    return trailer;
  }

  /** A cross-reference stream's binary entries (`/W`, `/Index`). */
  private readStreamEntries(dict: PdfDict, data: Buffer, options: { onlyCompressed?: boolean } = {}): void {
    const widths = dict.get("W");
    const size = dict.get("Size");
    if (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => isInt(w) && w >= 0 && w <= 8) || !isInt(size)) {
      throw new Damaged("its cross-reference stream has no valid /W or /Size");
    }
    const [w0, w1, w2] = widths as number[];
    const rowWidth = w0! + w1! + w2!;
    if (rowWidth === 0) throw new Damaged("its cross-reference stream has empty rows");
    const index = dict.get("Index") ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every(isInt))
      throw new Damaged("its cross-reference stream has a bad /Index");
    let row = 0;
    for (let s = 0; s < index.length; s += 2) {
      const [first, count] = [index[s] as number, index[s + 1] as number];
      if ((row + count) * rowWidth > data.length) throw new Damaged("its cross-reference stream is shorter than its /Index says");
      // Its rows are read: the same bytes may be the data of many streams whose /Length runs to one endstream.
      this.work.charge(count * rowWidth);
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowWidth;
        const type = w0 === 0 ? 1 : readInt(data, at, w0!);
        const field2 = readInt(data, at + w0!, w1!);
        const field3 = readInt(data, at + w0! + w1!, w2!);
        if (this.xref.has(first + i)) continue;
        if (type === 1 && !options.onlyCompressed) this.xref.set(first + i, { type: 1, offset: field2 });
        else if (type === 2) this.xref.set(first + i, { type: 2, stream: field2, index: field3 });
      }
    }
  }

  /** The object `ref` names, wherever the cross-reference sections put it. */
  private object(ref: PdfRef, depth = 0): PdfObject {
    const entry = this.xref.get(ref.num);
    if (!entry) throw new Damaged(`object ${ref.num} is not in its cross-reference table`);
    if (entry.type === 1) {
      const found = this.indirectAt(entry.offset, depth);
      if (found.num !== ref.num)
        throw new Damaged(`the cross-reference table points object ${ref.num} at another object (offsets are wrong)`);
      return found;
    }
    if (depth > 0) throw new Damaged("an object stream lies inside an object stream");
    const stream = this.objectStream(entry.stream);
    const offset = stream.offsets.get(ref.num);
    if (offset === undefined) throw new Damaged(`object ${ref.num} is not in the object stream that should hold it`);
    return { value: new Lexer(stream.text, this.work, offset).value() };
  }

  private objectStream(num: number): { text: Buffer; offsets: Map<number, number> } {
    const cached = this.objectStreams.get(num);
    if (cached) return cached;
    const { value, stream } = this.object({ num, gen: 0 }, 1);
    if (!stream || !isDict(value)) throw new Damaged(`object stream ${num} is not a stream`);
    const n = value.get("N");
    const first = value.get("First");
    if (!isInt(n) || !isInt(first)) throw new Damaged(`object stream ${num} has no /N or /First`);
    const text = this.decode(stream);
    if (first > text.length || n * 4 > first + 4) throw new Damaged(`object stream ${num} is shorter than its header says`);
    const lexer = new Lexer(text, this.work, 0, first);
    const offsets = new Map<number, number>();
    for (let i = 0; i < n; i++) offsets.set(lexer.integer("an object number"), first + lexer.integer("an object offset"));
    const parsed = { text, offsets };
    this.objectStreams.set(num, parsed);
    return parsed;
  }

  /** `N G obj … endobj` at `offset`, with its stream's raw bytes. */
  private indirectAt(offset: number, depth = 0): PdfObject & { num: number } {
    if (offset < 0 || offset >= this.bytes.length) throw new Damaged("an object offset points outside the file");
    const lexer = new Lexer(this.bytes, this.work, offset);
    const num = lexer.integer("an object number (offsets are wrong)");
    lexer.integer("a generation number");
    lexer.expect("obj");
    const value = lexer.value();
    if (!isDict(value) || lexer.peekWord() !== "stream") return { num, value };
    lexer.word();
    // "stream" is followed by CRLF or LF, then the data.
    let start = lexer.pos;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    const declared = this.streamLength(value, depth);
    let end = declared !== undefined && start + declared <= this.bytes.length ? start + declared : -1;
    if (end < 0 || !/^\s*endstream/.test(this.bytes.toString("latin1", end, end + 32))) {
      this.work.check();
      const found = this.bytes.indexOf("endstream", start, "latin1");
      this.work.charge((found < 0 ? this.bytes.length : found + "endstream".length) - start);
      if (found < 0) throw new Damaged("a stream is never closed");
      end = found;
    }
    return { num, value, stream: { dict: value, start, raw: this.bytes.subarray(start, end) } };
  }

  private streamLength(dict: PdfDict, depth: number): number | undefined {
    const length = dict.get("Length");
    if (isInt(length)) return length;
    if (!isRef(length) || depth > 0) return undefined;
    const entry = this.xref.get(length.num);
    if (entry?.type !== 1) return undefined;
    const resolved = this.indirectAt(entry.offset, depth + 1).value;
    return isInt(resolved) ? resolved : undefined;
  }

  /** A stream's data: raw, or FlateDecode (with PNG predictors), the filters xref and object streams use. */
  private decode(stream: { dict: PdfDict; raw: Buffer }): Buffer {
    const filter = stream.dict.get("Filter");
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return stream.raw;
    if (filters.length !== 1 || !isName(filters[0]) || filters[0].name !== "FlateDecode") {
      throw new Damaged("a cross-reference or object stream uses a filter other than FlateDecode");
    }
    let data: Buffer;
    const allowance = this.work.inflateAllowance();
    if (allowance <= 0) throw new Damaged("its compressed streams inflate past the cap");
    this.work.charge(stream.raw.length);
    try {
      data = inflateSync(stream.raw, { maxOutputLength: allowance });
    } catch (error) {
      // Inflating to the cap was work done: no later stream may do it again.
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") this.work.spendInflateAllowance();
      throw new Damaged("a compressed stream does not decompress (or inflates past the cap)");
    }
    this.work.addInflated(data.length);
    const params = stream.dict.get("DecodeParms");
    const parms = Array.isArray(params) ? params[0] : params;
    const predictor = isDict(parms) ? parms.get("Predictor") : undefined;
    if (!isInt(predictor) || predictor === 1) return data;
    if (predictor < 10) throw new Damaged("a stream uses a TIFF predictor");
    const columns = isDict(parms) ? parms.get("Columns") : undefined;
    return unpredictPng(data, isInt(columns) && columns > 0 ? columns : 1);
  }
}

function readInt(data: Buffer, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + data[at + i]!;
  return value;
}

/** Undoes PNG row filters (one byte per sample, the only layout xref streams use). */
function unpredictPng(data: Buffer, columns: number): Buffer {
  const rowLength = columns + 1;
  if (data.length % rowLength !== 0) throw new Damaged("a predicted stream's rows are incomplete");
  const rows = data.length / rowLength;
  const out = Buffer.alloc(rows * columns);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * rowLength]!;
    for (let c = 0; c < columns; c++) {
      const raw = data[r * rowLength + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else throw new Damaged("a predicted stream has an unknown row filter");
      out[r * columns + c] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
