import { BodyTooLarge, BodyUnreadable, JsonTooDeep } from "../errors/request-errors";
import { decodeUtf8Text, jsonNestsDeeperThan, MAX_JSON_DEPTH } from "../json/json-text";
import type { HttpEvent } from "./scf-types";

/**
 * Function URLs (and API Gateway before them) refuse request bodies above 6 MB; the local gateway
 * and the handlers enforce the same.
 */
export const REQUEST_BODY_LIMIT = 6 * 1024 * 1024;

/**
 * The raw request bytes: base64-decoded when an API Gateway event marked the body so; otherwise the
 * body text as UTF-8 (a function URL event has no such mark, see `FunctionUrlEvent`).
 */
export function rawBody(event: HttpEvent): Buffer {
  const body = event.body ?? "";
  return event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

/** A request header by name (SCF lower-cases names; local callers may not). */
export function header(event: Pick<HttpEvent, "headers">, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  if (headers[wanted] !== undefined) return headers[wanted];
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Decodes a JSON request body. Answers 413 above `maxBytes`, and `InvalidParameter.Body` (400) for
 * an empty body, bytes that are not UTF-8, text that is not JSON, or JSON nested deeper than
 * `MAX_JSON_DEPTH` (checked on the text, before parsing: nothing recursive ever sees such a body).
 */
export function parseJsonBody(event: HttpEvent, maxBytes = REQUEST_BODY_LIMIT): unknown {
  const bytes = rawBody(event);
  if (bytes.length > maxBytes) throw new BodyTooLarge(maxBytes);
  const text = decodeUtf8Text(bytes);
  if (text === undefined) throw new BodyUnreadable("Request body is not valid UTF-8 text");
  if (text.trim() === "") throw new BodyUnreadable("Request body is empty; expected a JSON object");
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) throw new JsonTooDeep("Request body", MAX_JSON_DEPTH);
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = error instanceof SyntaxError ? `: ${error.message.replace(/"[^"]*"/g, "…").slice(0, 120)}` : "";
    throw new BodyUnreadable(`Request body is not valid JSON${where}`);
  }
}
