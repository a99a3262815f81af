import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A callback endpoint for tests, with its own decryption and signature check written from the
 * protocol facts (docs in ../shared/spec/ess-callbacks.md), independent of the emulator's code:
 * AES-256-CBC, key = the 32 UTF-8 bytes of the callback key, IV = its first 16 bytes, PKCS#7;
 * `Content-Signature: sha256=<hex HMAC-SHA256(token, raw body)>`.
 */

export interface ReceivedCallback {
  rawBody: Buffer;
  signatureHeader: string | undefined;
  /** Whether `signatureHeader` matches the raw body under the token. */
  signatureValid: boolean;
  envelope: { MsgId: string; MsgType: string; MsgVersion: string; MsgData: Record<string, any> };
  /** 1-based arrival number. */
  seq: number;
}

export interface CallbackReceiver {
  url: string;
  received: ReceivedCallback[];
  /** Status to answer for the n-th request (1-based); default 200. */
  respond: (n: number, callback: ReceivedCallback | undefined) => number;
  /** Forgets what was received, restarts the count and answers 200 again. */
  reset(): void;
  close(): Promise<void>;
}

export function decryptCallback(encrypted: string, key: string): string {
  const keyBytes = Buffer.from(key, "utf8");
  if (keyBytes.length !== 32) throw new Error("callback key must be 32 bytes");
  const decipher = createDecipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, 16));
  return Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]).toString("utf8");
}

export function verifySignature(rawBody: Buffer, header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const given = header.startsWith("sha256=") ? header.slice(7) : header;
  const expected = createHmac("sha256", token).update(rawBody).digest("hex");
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startCallbackReceiver(options: { key: string; token?: string }): Promise<CallbackReceiver> {
  let count = 0;
  const receiver: CallbackReceiver = {
    url: "",
    received: [],
    respond: () => 200,
    reset: () => {
      receiver.received.length = 0;
      receiver.respond = () => 200;
      count = 0;
    },
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      count++;
      const rawBody = Buffer.concat(chunks);
      let callback: ReceivedCallback | undefined;
      try {
        const { encrypt } = JSON.parse(rawBody.toString("utf8")) as { encrypt: string };
        const signatureHeader = req.headers["content-signature"] as string | undefined;
        callback = {
          rawBody,
          signatureHeader,
          signatureValid: options.token !== undefined && verifySignature(rawBody, signatureHeader, options.token),
          envelope: JSON.parse(decryptCallback(encrypt, options.key)),
          seq: count,
        };
        receiver.received.push(callback);
      } catch {
        callback = undefined;
      }
      const status = callback === undefined ? 400 : receiver.respond(count, callback);
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
