/**
 * bench/uploads — what the upload route spends before ESS is called, at the sizes it takes: reading
 * the request (multipart with base64 parts, or JSON), decoding the files, and the PDF check, beside
 * a plain `Buffer.from(…, "base64")` of the same bytes measured in the same run (the floor: any
 * upload must decode its base64). Files are made with pdf-lib (a devDependency; the deployed check
 * loads no PDF library): 1, 10, 100 and 1,000 pages, and the largest request a function URL takes
 * (6 MB, about 4.4 MB of PDF). Prints p50 (and p99 for the check) per case. Then the check on hostile files
 * (review F1: objects that never end, which made the repair scan quadratic) and on a valid file it has to
 * repair, at 1.1 and 4.4 MB: time and bytes visited per byte of input (the check's own meter).
 *
 *   npm run bench:uploads
 */
import { PDFDocument } from "pdf-lib";
import { inspectPdf, inspectPdfWithCost } from "../../shared/files/pdf-check";
import { readUploadRequest } from "../../shared/http/upload-request";
import type { FunctionUrlEvent } from "../../shared/http/scf-types";
import { fmt, percentile, table } from "../support/stats";

const RUNS = Math.min(Math.max(Number(process.env.RUNS ?? 30) || 30, 5), 500);

async function pdfOf(pages: number, padToBytes = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage();
  // Padding is an extra stream object (as an embedded image would be), so the file stays valid.
  if (padToBytes > 0) doc.context.register(doc.context.stream(Buffer.alloc(padToBytes, 0x41)));
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

function multipartEvent(files: Buffer[]): FunctionUrlEvent {
  const boundary = "bench-boundary-7f3a";
  const parts = files.map(
    (bytes, i) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f${i}.pdf"\r\n` +
      `Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${bytes.toString("base64")}\r\n`,
  );
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="Operator.UserId"\r\n\r\nop\r\n${parts.join("")}--${boundary}--\r\n`;
  return { httpMethod: "POST", path: "/ess/files", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body };
}

function jsonEvent(files: Buffer[]): FunctionUrlEvent {
  const body = JSON.stringify({
    Operator: { UserId: "op" },
    Files: files.map((b, i) => ({ FileName: `f${i}.pdf`, FileBody: b.toString("base64") })),
  });
  return { httpMethod: "POST", path: "/ess/files", headers: { "content-type": "application/json" }, body };
}

function time(run: () => void, runs = RUNS): number[] {
  // Warm-up runs (JIT, first allocations) are not counted.
  for (let i = 0; i < 5; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const cases: Array<{ name: string; files: Buffer[] }> = [
    { name: "1 page", files: [await pdfOf(1)] },
    { name: "100 pages", files: [await pdfOf(100)] },
    { name: "1,000 pages", files: [await pdfOf(1000)] },
    { name: "20 files × 3 pages", files: await Promise.all(Array.from({ length: 20 }, () => pdfOf(3))) },
    { name: "6 MB request (4.4 MB PDF)", files: [await pdfOf(10, 4_400_000)] },
  ];
  const rows: Array<Record<string, string | number>> = [];
  for (const c of cases) {
    const bytes = c.files.reduce((n, f) => n + f.length, 0);
    const base64 = c.files.map((f) => f.toString("base64"));
    const floor = time(() => base64.forEach((b) => Buffer.from(b, "base64")));
    const check = time(() => c.files.forEach((f) => inspectPdf(f)));
    const multipart = multipartEvent(c.files);
    const json = jsonEvent(c.files);
    const readMultipart = time(() => readUploadRequest(multipart, "ess"));
    const readJson = time(() => readUploadRequest(json, "ess"));
    const p = (s: number[], q: number) => fmt(percentile(s, q));
    rows.push({
      case: c.name,
      "PDF KB": fmt(bytes / 1024, 0),
      "base64 decode p50 ms": p(floor, 50),
      "PDF check p50/p99 ms": `${p(check, 50)} / ${p(check, 99)}`,
      "read multipart p50 ms": p(readMultipart, 50),
      "read JSON p50 ms": p(readJson, 50),
      "multipart + check p50 ms": fmt(percentile(readMultipart, 50) + percentile(check, 50)),
    });
  }
  console.log(`bench/uploads: ${RUNS} runs per case, Node ${process.version}\n`);
  table(rows);
  console.log(
    "\nThe PDF check reads the tail, the cross-reference sections and the objects on the way to the page tree: its cost grows with\n" +
      "the number of objects it must reach (object streams are inflated), not with the bytes of page content; reading the request\n" +
      "is linear in its size (the body as text to bytes, the base64 check and decode): at the 6 MB limit it is a few times the bare\n" +
      "decode, and both stay far below the ESS call that follows (a 4.4 MB upload).",
  );
}

/** A file with no startxref (the repair scan runs) made of `piece(i)` up to `size` bytes. */
function hostile(size: number, piece: (i: number) => string): Buffer {
  const parts = ["%PDF-1.4\n"];
  let length = parts[0]!.length;
  for (let i = 1; length < size; i++) {
    parts.push(piece(i));
    length += parts[parts.length - 1]!.length;
  }
  parts.push("\n%%EOF\n");
  return Buffer.from(parts.join(""), "latin1");
}

async function hostileFiles(): Promise<void> {
  const runs = Math.min(RUNS, 10);
  const shapes: Array<[string, (i: number) => string]> = [
    ["unclosed strings", (i) => `${i} 0 obj (`],
    // Longer objects: fewer headers than the repair's cap, so the work meter is what stops it (the slowest case).
    ["unclosed strings, 35 bytes each", (i) => `${i} 0 obj (${"x".repeat(24)}`],
    ["unclosed hex strings", (i) => `${i} 0 obj <`],
    ["streams without endstream", (i) => `${i} 0 obj <<>>stream\n`],
    ["comments in an open array", (i) => (i === 1 ? "1 0 obj [" : `%${i} 0 obj\n`)],
  ];
  const rows: Array<Record<string, string | number>> = [];
  for (const size of [1_100_000, 4_400_000]) {
    const valid = await pdfOf(1000, size - 130_000);
    const files: Array<[string, Buffer]> = shapes.map(([name, piece]) => [name, hostile(size, piece)]);
    const broken = Buffer.from(valid.toString("latin1").replace(/startxref(\s+)\d+/, "startxref$19"), "latin1");
    files.push(["valid, startxref broken (repaired)", broken]);
    for (const [name, bytes] of files) {
      const { verdict, cost } = inspectPdfWithCost(bytes);
      const check = time(() => inspectPdf(bytes), runs);
      rows.push({
        file: name,
        KB: fmt(bytes.length / 1024, 0),
        "check p50/max ms": `${fmt(percentile(check, 50))} / ${fmt(check[check.length - 1]!)}`,
        "bytes visited per byte": fmt(cost.bytesVisited / bytes.length),
        verdict: verdict.ok ? `ok, repaired: ${verdict.repaired}` : verdict.problem.slice(0, 60),
      });
    }
  }
  console.log(`\nThe PDF check on hostile files and on a valid one it must repair (${runs} runs each)\n`);
  table(rows);
  console.log(
    "\nEvery scan of the check charges one meter; at 8 bytes visited per byte of input (and of what it inflates) it stops\n" +
      "with damaged, so its cost is linear in the input whatever the file holds (a valid file: 1–1.5 per byte read by its\n" +
      "cross-references, 3–5 repaired). Before this meter, 200 KB of unclosed strings took 3.3 s (O(objects × length)).",
  );
}

main()
  .then(hostileFiles)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
