import type { IncomingMessage } from "node:http";
import { isIPv4 } from "node:net";

/**
 * What the emulator checks before it acts, so that a web page open in the developer's browser
 * cannot sign, reject or create groups through it: the `Host` must name this machine's loopback (a
 * page that rebinds its DNS name to 127.0.0.1 still sends its own name), an `Origin`, when a
 * browser sends one, must be the emulator itself, and the admin API takes JSON, or a form only from
 * the emulator's own sign pages (a browser always sends `Origin` with a form post). The SDK and
 * curl send no `Origin` and pass as before. Written for the emulator alone: it imports nothing of
 * the product (the local gateway has its own guard).
 */

export interface Refusal {
  status: 403 | 415;
  code: string;
  message: string;
}

const LOOPBACK_NAMES = new Set(["localhost", "[::1]"]);

/**
 * Whether `name` is this machine's loopback: `localhost`, `[::1]`, or an IPv4 literal in 127.0.0.0/8. A name is
 * compared, not an address: `127.0.0.1.attacker.example` is a DNS name its owner can point anywhere (rebinding),
 * so only a literal whose four octets are 0–255 counts.
 */
function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || (isIPv4(name) && name.startsWith("127."));
}

function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith("[")) return v.slice(0, v.indexOf("]") + 1);
  const colon = v.lastIndexOf(":");
  return colon >= 0 ? v.slice(0, colon) : v;
}

function allowedName(name: string, listenHost: string): boolean {
  if (isLoopbackName(name)) return true;
  return listenHost !== "0.0.0.0" && listenHost !== "::" && name === listenHost.toLowerCase();
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers["content-length"] ?? "0");
  return req.headers["transfer-encoding"] !== undefined || (Number.isFinite(length) && length > 0);
}

/** Why the request is refused, or undefined when the emulator may serve it. */
export function checkRequest(req: IncomingMessage, pathname: string, listenHost: string): Refusal | undefined {
  const host = req.headers.host;
  if (host === undefined || !allowedName(hostName(host), listenHost)) {
    return { status: 403, code: "OperationDenied.Host", message: "The emulator answers only to 127.0.0.1, localhost and [::1]" };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let same = false;
    try {
      const url = new URL(origin);
      same = url.protocol === "http:" && url.host.toLowerCase() === host.trim().toLowerCase();
    } catch {
      same = false;
    }
    if (!same) return { status: 403, code: "OperationDenied.Origin", message: "Requests from web pages of another origin are refused" };
  }
  const admin = pathname === "/_emulator" || pathname.startsWith("/_emulator/");
  if (admin && req.method !== "GET" && req.method !== "HEAD" && hasBody(req)) {
    const type = mediaType(req);
    if (type === "application/x-www-form-urlencoded" && origin !== undefined) return undefined;
    if (type !== "application/json") {
      return {
        status: 415,
        code: "InvalidParameter.ContentType",
        message: "The admin API takes Content-Type: application/json (forms only from the emulator's own sign pages)",
      };
    }
  }
  return undefined;
}
