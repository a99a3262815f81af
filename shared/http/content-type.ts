import { UnsupportedContentType } from "../errors/request-errors";
import { header, parseJsonBody, rawBody, REQUEST_BODY_LIMIT } from "./request";
import type { HttpEvent } from "./scf-types";

/** The media type of a request (`type/subtype`, lower-cased, parameters dropped), or undefined without the header. */
export function mediaType(event: Pick<HttpEvent, "headers">): string | undefined {
  const value = header(event, "content-type");
  if (value === undefined || value.trim() === "") return undefined;
  return value.split(";")[0]!.trim().toLowerCase();
}

/** `application/json` and the `+json` types; a request without Content-Type is read as JSON too. */
export function isJsonMediaType(type: string | undefined): boolean {
  return type === undefined || type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * A JSON request body, checked by its Content-Type first: a body declared as anything else (a PDF,
 * a form) is 415 before a byte of it is parsed, with `hint` saying where it belongs.
 */
export function parseJsonRequest(event: HttpEvent, maxBytes = REQUEST_BODY_LIMIT, hint = ""): unknown {
  if (!isJsonMediaType(mediaType(event))) throw new UnsupportedContentType("application/json", hint);
  return parseJsonBody(event, maxBytes);
}

/** Like `parseJsonRequest`, for routes whose body is optional: an empty body is undefined. */
export function parseOptionalJsonRequest(event: HttpEvent, maxBytes = REQUEST_BODY_LIMIT): unknown {
  if (rawBody(event).length === 0) return undefined;
  return parseJsonRequest(event, maxBytes);
}
