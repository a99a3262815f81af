/**
 * Hand-made PDFs for the PDF check's tests: a classic file written object by object with its
 * cross-reference table computed from the real offsets, and incremental updates appended to it.
 * Each test states exactly what its file holds, instead of trusting a library's output.
 */

/** The three objects of a one-page document: catalog (1), page tree (2), page (3). */
export const ONE_PAGE = [
  "<< /Type /Catalog /Pages 2 0 R >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
];

export interface BuiltPdf {
  bytes: Buffer;
  /** Offset of the cross-reference section, for a later update's /Prev. */
  xrefOffset: number;
  size: number;
}

/** A classic PDF: object n+1 is `objects[n]`; `trailer` adds entries to the trailer dictionary. */
export function buildPdf(objects: readonly string[], options: { trailer?: string; version?: string; eol?: string } = {}): BuiltPdf {
  const eol = options.eol ?? "\n";
  let text = `%PDF-${options.version ?? "1.4"}${eol}%\u00e2\u00e3\u00cf\u00d3${eol}`;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text, "latin1"));
    text += `${i + 1} 0 obj${eol}${body}${eol}endobj${eol}`;
  });
  const xrefOffset = Buffer.byteLength(text, "latin1");
  text += `xref${eol}0 ${objects.length + 1}${eol}0000000000 65535 f\r\n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, "0")} 00000 n\r\n`;
  text += `trailer${eol}<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailer ?? ""}>>${eol}`;
  text += `startxref${eol}${xrefOffset}${eol}%%EOF${eol}`;
  return { bytes: Buffer.from(text, "latin1"), xrefOffset, size: objects.length + 1 };
}

/** An incremental update: `objects` (by number) appended with a new section whose /Prev is the previous one. */
export function appendUpdate(
  pdf: BuiltPdf,
  objects: ReadonlyArray<{ num: number; body: string }>,
  options: { prev?: number } = {},
): BuiltPdf {
  let text = pdf.bytes.toString("latin1");
  const entries: string[] = [];
  for (const { num, body } of objects) {
    entries.push(`${num} 1\n${String(Buffer.byteLength(text, "latin1")).padStart(10, "0")} 00000 n\r\n`);
    text += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xrefOffset = Buffer.byteLength(text, "latin1");
  const size = Math.max(pdf.size, ...objects.map((o) => o.num + 1));
  text += `xref\n${entries.join("")}trailer\n<< /Size ${size} /Root 1 0 R /Prev ${options.prev ?? pdf.xrefOffset} >>\n`;
  text += `startxref\n${xrefOffset}\n%%EOF\n`;
  return { bytes: Buffer.from(text, "latin1"), xrefOffset, size };
}
