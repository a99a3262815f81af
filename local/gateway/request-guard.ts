import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "../../shared/config/ess-endpoints";
import { HostRefused, JsonContentTypeRequired, OriginRefused } from "../../shared/errors/request-errors";
import { matchPath, type RouteSpec } from "../../shared/http/routes";

/**
 * What the local gateway checks before a function runs, so that a web page open in the developer's
 * browser cannot use it (AUTH_DISABLED is the local default): the `Host` must name this machine's
 * loopback (a page on attacker.example that rebinds its DNS to 127.0.0.1 still sends its own name),
 * an `Origin`, when a browser sends one, must be this server itself, and a JSON route takes only
 * `Content-Type: application/json` (which a page cannot send across origins without a preflight
 * that this server never grants). Deployed function URLs are not behind this: the API keys are.
 */

/** The host name of a `Host` header value (`name[:port]`, `[v6][:port]`), lower-cased. */
function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith("[")) return v.slice(0, v.indexOf("]") + 1);
  const colon = v.lastIndexOf(":");
  return colon >= 0 ? v.slice(0, colon) : v;
}

/**
 * Whether `name` is one this server answers to: a loopback name (an IPv4 literal of 127.0.0.0/8, never a DNS name that
 * merely starts with `127.`), or the address it listens on.
 */
function allowedName(name: string, listenHost: string): boolean {
  if (isLoopbackHost(name)) return true;
  return listenHost !== "0.0.0.0" && listenHost !== "::" && name === listenHost.toLowerCase();
}

/** Throws `HostRefused` or `OriginRefused` unless the request may reach a function. */
export function checkHostAndOrigin(req: IncomingMessage, listenHost: string): void {
  const host = req.headers.host;
  if (host === undefined || !allowedName(hostName(host), listenHost)) throw new HostRefused();
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new OriginRefused();
  }
  if (url.protocol !== "http:" || url.host.toLowerCase() !== host.trim().toLowerCase()) throw new OriginRefused();
}

/** Throws `JsonContentTypeRequired` when `route` reads JSON and a body comes as something else. */
export function checkContentType(req: IncomingMessage, route: RouteSpec | undefined, bodyLength: number): void {
  if (route?.body !== "json" || bodyLength === 0) return;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new JsonContentTypeRequired();
}

/** The route of `routes` that `method` and `pathname` select, if any. */
export function routeOf(routes: readonly RouteSpec[], method: string, pathname: string): RouteSpec | undefined {
  return routes.find((route) => route.method.toUpperCase() === method && matchPath(route.path, pathname) !== undefined);
}
