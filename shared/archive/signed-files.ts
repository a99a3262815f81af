import type { CallerIdentity, EssPort, FlowFileLinks } from "../ess/port";

/**
 * Where signed PDFs come from: ESS's download links for a group's flows, and the bytes behind a
 * link. A port so the outbox and the files route are tested with loopback servers or fakes.
 */
export interface SignedFileSource {
  /** Each flow's current download links (ess `DescribeFileUrls`, essbasic `DescribeResourceUrlsByFlows`). */
  fileLinks(identity: CallerIdentity, flowIds: readonly string[], options?: { timeoutMs?: number }): Promise<FlowFileLinks[]>;
  /** The bytes behind one link; throws `SignedFileUnavailable` when they are not (yet) a PDF. */
  download(url: string, options?: { timeoutMs?: number }): Promise<Uint8Array>;
}

/** Largest signed PDF fetched (ESS takes uploads up to 60 MB; a signature page adds little). */
export const MAX_SIGNED_PDF_BYTES = 80 * 1024 * 1024;

/** A link whose answer is not a PDF yet (or not at all): retried later. */
export class SignedFileUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`signed file not available: ${reason}`);
    this.name = "SignedFileUnavailable";
  }
}

/** The real source: ESS through the port, downloads with `fetch` (redirects followed: links may point at storage). */
export function createSignedFileSource(ess: () => Promise<EssPort>): SignedFileSource {
  return {
    async fileLinks(identity, flowIds, options = {}) {
      return (await ess()).describeFileLinks(identity, flowIds, options);
    },
    download: downloadPdf,
  };
}

/** GETs `url` and answers its bytes when they are a PDF within `MAX_SIGNED_PDF_BYTES`. */
export async function downloadPdf(url: string, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000), redirect: "follow" });
  } catch (error) {
    throw new SignedFileUnavailable(error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network error");
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new SignedFileUnavailable(`HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_SIGNED_PDF_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new SignedFileUnavailable(`larger than ${MAX_SIGNED_PDF_BYTES} bytes`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_SIGNED_PDF_BYTES) throw new SignedFileUnavailable(`larger than ${MAX_SIGNED_PDF_BYTES} bytes`);
  if (!isPdf(bytes)) throw new SignedFileUnavailable("not a PDF");
  return bytes;
}

/** `%PDF-` in the first 1 KB (the PDF spec lets a header start a little after byte 0). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return head.includes("%PDF-");
}
