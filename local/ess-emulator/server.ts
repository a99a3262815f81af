import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin, type AdminDeps } from "./admin/admin-api";
import { errorBody } from "./protocol/api-error";
import type { EmulatorEngine } from "./engine";
import { checkRequest } from "./request-guard";

/**
 * The HTTP face of the emulator: `POST /` speaks Tencent Cloud API 3.0, `/_emulator/` is the admin
 * API and sign pages. Hung requests (a fault) are kept open until the client leaves or the server
 * stops.
 */

/** API 3.0 refuses larger POST bodies (RequestSizeLimitExceeded). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * The file host takes UploadFiles bodies up to this size: one 60 MB file in base64 (80 MB) with
 * room for its JSON. The real host's limit is not documented.
 */
export const MAX_UPLOAD_BODY_BYTES = 100 * 1024 * 1024;

/** What a listener serves: the API host (every action, admin pages) or the file host (UploadFiles only). */
export type ListenerRole = "api" | "files";

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendApi(res: ServerResponse, body: string, requestId: string): void {
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "X-TC-RequestId": requestId,
  });
  res.end(body);
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A listening server. */
export interface EmulatorServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** Serves `engine` on `host:port`: the API host (role "api") or the file host (role "files"). */
export async function listen(
  engine: EmulatorEngine,
  admin: Omit<AdminDeps, "engine">,
  host: string,
  port: number,
  role: ListenerRole = "api",
): Promise<EmulatorServer> {
  const hung = new Set<ServerResponse>();
  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const limit = role === "files" ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      const requestId = engine.ids.requestId();
      if (error instanceof BodyTooLarge)
        return sendApi(
          res,
          errorBody(requestId, "RequestSizeLimitExceeded", `The request body is larger than ${limit / 1024 / 1024} MB.`),
          requestId,
        );
      throw error;
    }
    const request = { method: req.method ?? "POST", path: url.pathname, query: url.search.slice(1), headers: req.headers, body };
    const answer = await engine.handle(request, role);
    const latency = engine.latencyFor(answer.action);
    if (latency > 0) await delay(latency);
    if (answer.kind === "hang") {
      hung.add(res);
      res.on("close", () => hung.delete(res));
      return;
    }
    sendApi(res, answer.body, answer.requestId);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const refusal = checkRequest(req, url.pathname, host);
    if (refusal !== undefined) {
      req.resume();
      res.writeHead(refusal.status, { "Content-Type": "application/json" });
      return void res.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
    }
    const route = async (): Promise<void> => {
      if (role === "api" && (url.pathname === "/_emulator" || url.pathname.startsWith("/_emulator/"))) {
        const raw = await readBody(req, 1024 * 1024).catch((error: unknown) => {
          if (!(error instanceof BodyTooLarge)) throw error;
          return undefined;
        });
        if (raw === undefined) {
          res.writeHead(413, { "Content-Type": "application/json" });
          return void res.end(JSON.stringify({ error: { code: "RequestSizeLimitExceeded", message: "admin bodies are limited to 1 MB" } }));
        }
        return handleAdmin(req, res, raw, { engine, ...admin });
      }
      if (url.pathname === "/" && req.method === "POST") return api(req, res, url);
      if (url.pathname === "/") {
        const requestId = engine.ids.requestId();
        return sendApi(res, errorBody(requestId, "UnsupportedProtocol", "The emulator accepts POST with a JSON body only."), requestId);
      }
      res.writeHead(404, { "Content-Type": "application/json" });
      const message =
        role === "files"
          ? "The file host serves POST / (UploadFiles) only."
          : "Not an emulator route; the API is POST / and the admin API is under /_emulator/.";
      res.end(JSON.stringify({ error: { code: "ResourceNotFound", message } }));
    };
    route().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalError", message: "internal error" } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        hung.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
