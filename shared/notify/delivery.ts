import { NOTIFY_SIGNATURE_HEADER, notifySignatureHeader } from "./signature";

/** How one delivery attempt ended. */
export interface DeliveryOutcome {
  /** A 2xx answer: delivered. */
  ok: boolean;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Why there is no answer: `timeout`, or the network error's code (`ECONNREFUSED`, …). */
  error?: string;
  durationMs: number;
}

/** Sends one signed body; injected in tests and benches. */
export type PostNotification = (url: URL, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<DeliveryOutcome>;

/** Largest answer body read from a receiver (the rest is discarded: only the status matters). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a notification with Node's own HTTP client: no redirects followed (a 3xx is a failed
 * attempt, as with Stripe: the URL to call is the one configured), one overall deadline covering
 * connect, send and answer, the answer body drained but not kept.
 */
export const postNotification: PostNotification = async (url, body, headers, timeoutMs) => {
  // Loaded on the first delivery: `node:https` brings TLS in, which a run with nothing to send never needs.
  const send = url.protocol === "https:" ? (await import("node:https")).request : (await import("node:http")).request;
  return new Promise((resolve) => {
    const started = Date.now();
    const payload = Buffer.from(body, "utf8");
    let settled = false;
    const finish = (outcome: Omit<DeliveryOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: Date.now() - started });
    };
    const req = send(url, { method: "POST", headers: { ...headers, "Content-Length": String(payload.length) } }, (res) => {
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      const status = res.statusCode ?? 0;
      const done = () => finish({ ok: status >= 200 && status < 300, status });
      res.on("end", done);
      res.on("close", done);
      res.on("error", done);
    });
    const timer = setTimeout(() => {
      finish({ ok: false, error: "timeout" });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code ?? "network" }));
    req.end(payload);
  });
};

/** The headers of one attempt: the signature is made for this attempt's time. */
export function notificationHeaders(body: string, secret: string, nowMs: number): Record<string, string> {
  return {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": "ess-flow-groups-notify/1",
    [NOTIFY_SIGNATURE_HEADER]: notifySignatureHeader(body, secret, Math.floor(nowMs / 1000)),
  };
}

/**
 * Whether a failed attempt says the receiver as a whole is unwell (no answer, 5xx, 429, 408): then
 * every group waits (the receiver's backoff). Any other failure (a 4xx, a 3xx) is about this event:
 * only its group waits, and the others go on.
 */
export function isReceiverFailure(outcome: Pick<DeliveryOutcome, "status">): boolean {
  const status = outcome.status;
  return status === undefined || status >= 500 || status === 429 || status === 408;
}
