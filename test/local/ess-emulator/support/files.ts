import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";

/** Files for upload tests: the shipped samples, and damaged or unusual files made on the spot. */

const SAMPLE_DIR = join(__dirname, "../../../../local/sample-files");

/** The sample PDFs the demo ships, with their page counts. */
export const SAMPLES = [
  { file: "purchase-contract.pdf", pages: 3 },
  { file: "nda.pdf", pages: 2 },
  { file: "service-agreement.pdf", pages: 4 },
] as const;

export function sample(file: string): Buffer {
  return readFileSync(join(SAMPLE_DIR, file));
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** A valid PDF of `pages` blank pages; `padTo` grows it (inside a stream object) to at least that many bytes. */
export async function makePdf(pages: number, padTo = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage();
  if (padTo > 0) doc.context.register(doc.context.flateStream(Buffer.alloc(0)));
  let bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  if (padTo > bytes.length) {
    // A comment block before the body keeps the file a valid PDF of the same pages.
    const header = bytes.indexOf("\n") + 1;
    const filler = Buffer.alloc(padTo - bytes.length, "%");
    filler[filler.length - 1] = 0x0a;
    bytes = Buffer.concat([bytes.subarray(0, header), filler, bytes.subarray(header)]);
  }
  return bytes;
}

/** A PDF whose trailer names an encryption dictionary (what encrypted PDFs have). */
export async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString("latin1");
  return Buffer.from(text.replace("trailer\n<<", "trailer\n<<\n/Encrypt 1 0 R"), "latin1");
}

/** A PNG signature followed by `size - 8` bytes: enough for magic-byte detection. */
export function png(size = 64): Buffer {
  const bytes = Buffer.alloc(size, 0);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

/** The text drawn on a page (hex UCS-2 strings shown with Tj, as the emulator writes them). */
export async function pageText(pdf: Uint8Array, pageIndex: number): Promise<string> {
  const { decodePDFRawStream, PDFArray, PDFRawStream } = await import("pdf-lib");
  const doc = await PDFDocument.load(pdf);
  const contents = doc.getPage(pageIndex).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  let ops = "";
  for (const s of streams) if (s instanceof PDFRawStream) ops += Buffer.from(decodePDFRawStream(s).decode()).toString("latin1");
  return [...ops.matchAll(/<([0-9A-Fa-f]+)>\s*Tj/g)].map((m) => Buffer.from(m[1]!, "hex").swap16().toString("utf16le")).join("\n");
}
