import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { buildSample, SAMPLES } from "../../../local/sample-files/generate";

/** The shipped sample PDFs are what the committed script makes, and real multi-page PDFs. */
describe("sample PDFs", () => {
  it.each(SAMPLES.map((s) => [s.file, s] as const))("%s is reproduced byte for byte and has its pages", async (file, s) => {
    const shipped = readFileSync(join(__dirname, "../../../local/sample-files", file));
    expect(Buffer.from(await buildSample(s)).equals(shipped)).toBe(true);
    const doc = await PDFDocument.load(shipped);
    expect(doc.getPageCount()).toBe(s.pages.length);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expect(shipped.length).toBeLessThan(20_000);
  });
});
