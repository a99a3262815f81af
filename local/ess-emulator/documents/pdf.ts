import {
  beginText,
  endText,
  moveText,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFString,
  setFontAndSize,
  showText,
  type PDFPage,
  type PDFRef,
} from "pdf-lib";

/**
 * PDF work of the emulator: checking an upload the way a PDF reader would (it must parse, not be
 * encrypted, and have pages) and writing pages of text. Text is drawn with the non-embedded CJK
 * font `STSong-Light` in the `UniGB-UCS2-H` encoding, the standard way Chinese PDFs name a font
 * every reader substitutes, so Chinese names print without shipping a font file.
 */

/** Why a file is not a usable PDF. */
export class PdfProblem extends Error {}

/** Reads a PDF; throws `PdfProblem` for anything a signing service could not use. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    // throwOnInvalidObject: a damaged object fails the parse instead of being skipped with a warning.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    // pdf-lib's EncryptedPDFError is compiled to ES5 and loses its class name; its message is stable.
    if (/is encrypted/.test((error as Error)?.message ?? "")) throw new PdfProblem("is an encrypted PDF");
    throw new PdfProblem("is not a readable PDF");
  }
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    throw new PdfProblem("is not a readable PDF (no page tree)");
  }
  if (pages === 0) throw new PdfProblem("is a PDF without pages");
  return doc;
}

/** The number of pages of a usable PDF (see `loadPdf`). */
export async function countPdfPages(bytes: Uint8Array): Promise<number> {
  return (await loadPdf(bytes)).getPageCount();
}

const FONT_KEY = "EmuCJK";

/** Registers the CJK font in `doc` once and returns its reference. */
function cjkFont(doc: PDFDocument): PDFRef {
  const context = doc.context;
  const descriptor = context.register(
    context.obj({
      Type: "FontDescriptor",
      FontName: "STSong-Light",
      Flags: 6,
      FontBBox: [-25, -254, 1000, 880],
      ItalicAngle: 0,
      Ascent: 880,
      Descent: -120,
      CapHeight: 880,
      StemV: 93,
    }),
  );
  const descendant = context.register(
    context.obj({
      Type: "Font",
      Subtype: "CIDFontType0",
      BaseFont: "STSong-Light",
      CIDSystemInfo: context.obj({ Registry: PDFString.of("Adobe"), Ordering: PDFString.of("GB1"), Supplement: 2 }),
      FontDescriptor: descriptor,
      DW: 1000,
      W: [1, 95, 500],
    }),
  );
  return context.register(
    context.obj({
      Type: "Font",
      Subtype: "Type0",
      BaseFont: "STSong-Light-UniGB-UCS2-H",
      Encoding: "UniGB-UCS2-H",
      DescendantFonts: [descendant],
    }),
  );
}

/** UCS-2 (big-endian hex) of `text`; characters outside the BMP become "?". */
export function ucs2Hex(text: string): string {
  let hex = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    hex += (code > 0xffff ? 0x3f : code).toString(16).padStart(4, "0");
  }
  return hex.toUpperCase();
}

/** One line of text: its size and how far it is indented. */
export interface TextLine {
  text: string;
  size?: number;
  indent?: number;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** Adds A4 pages holding `lines` (as many pages as they need) and returns how many were added. */
export function addTextPages(doc: PDFDocument, lines: TextLine[]): number {
  const font = cjkFont(doc);
  let page: PDFPage | undefined;
  let y = 0;
  let added = 0;
  const newPage = (): PDFPage => {
    const p = doc.addPage(A4);
    p.node.setFontDictionary(PDFName.of(FONT_KEY), font);
    added++;
    y = A4[1] - MARGIN;
    return p;
  };
  for (const line of lines) {
    const size = line.size ?? 11;
    if (!page || y - size * 1.6 < MARGIN) page = newPage();
    y -= size * 1.6;
    if (line.text === "") continue;
    page.pushOperators(
      beginText(),
      setFontAndSize(FONT_KEY, size),
      moveText(MARGIN + (line.indent ?? 0), y),
      showText(PDFHexString.of(ucs2Hex(line.text))),
      endText(),
    );
  }
  return added;
}
