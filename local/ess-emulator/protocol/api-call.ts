import type { ActionContext } from "../actions/context";
import { ACTIONS, EDITION_OF_VERSION, KNOWN_FIELDS } from "../actions/registry";
import type { Directory } from "../core/fixture";
import type { BlobStore } from "../documents/blob-store";
import type { IdSource } from "../core/ids";
import type { Edition } from "../core/model";
import type { WorldEvent } from "../core/transitions";
import type { World } from "../core/world";
import type { FaultEngine } from "../faults";
import { ApiError, errorBody, missing, successBody } from "./api-error";
import type { RateLimiter } from "./rate-limiter";
import { isObject } from "./read";
import { verifyRequestSignature, type ApiKey, type SignedRequest } from "./tc3";
import { assertKnownParameters } from "./unknown-parameters";

/**
 * One Tencent Cloud API 3.0 call, from headers and raw body to the answer, in the order a real
 * endpoint works: route (version, action) → authenticate → faults and frequency limit → parse →
 * run the action. Every answer is HTTP 200 with a `Response` object.
 */

export interface ApiCallDeps {
  world: World;
  blobs: BlobStore;
  directory: Directory;
  ids: IdSource;
  faults: FaultEngine;
  limiter: RateLimiter;
  findKey(secretId: string): ApiKey | undefined;
  clock(): number;
  baseUrl(): string;
  strictParameters: boolean;
  /** Runs before each action: lets time-driven changes (deadlines) happen. */
  beforeAction(events: WorldEvent[]): void;
  /** State changes of a successful call. */
  publish(events: WorldEvent[]): void;
  onCall(edition: Edition, action: string): void;
  onResult(edition: Edition | undefined, action: string | undefined, code: string | undefined): void;
  onUnexpected(error: unknown): void;
}

/** An answer to send, or a request to leave hanging (fault). */
export type ApiAnswer =
  | { kind: "answer"; requestId: string; body: string; action?: string; code?: string }
  | { kind: "hang"; requestId: string; action: string };

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.length === 0 ? "{}" : raw.toString("utf8"));
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (!isObject(body)) throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
  return body;
}

/** Answers one API call; never rejects. `fileHost`: the call came to the file host, which serves UploadFiles only. */
export async function answerApiCall(request: SignedRequest, deps: ApiCallDeps, fileHost = false): Promise<ApiAnswer> {
  const requestId = deps.ids.requestId();
  let edition: Edition | undefined;
  let action: string | undefined;
  try {
    action = header(request, "x-tc-action");
    const version = header(request, "x-tc-version");
    if (action === undefined) throw missing("X-TC-Action");
    if (version === undefined) throw missing("X-TC-Version");
    edition = EDITION_OF_VERSION[version];
    if (edition === undefined) throw new ApiError("NoSuchVersion", `The API version \`${version}\` does not exist.`);
    const spec = ACTIONS[edition][action];
    if (!spec) throw new ApiError("InvalidAction", `The action \`${action}\` does not exist in version ${version} (or is not emulated).`);
    if (fileHost && action !== "UploadFiles")
      throw new ApiError("InvalidAction", `The file host serves UploadFiles only, not \`${action}\`.`);
    deps.onCall(edition, action);

    const now = deps.clock();
    const key = verifyRequestSignature(request, { findKey: deps.findKey, now });
    const fault = deps.faults.decideApi(action);
    if (fault === "hang") return { kind: "hang", requestId, action };
    if (fault === "requestLimit") throw new ApiError("RequestLimitExceeded", "The number of requests exceeds the frequency limit.");
    if (fault === "internalError") throw new ApiError("InternalError", "An internal error occurred (injected fault).");
    if (!deps.limiter.take(`${key.secretId}|${version}|${action}`, now))
      throw new ApiError("RequestLimitExceeded", "The number of requests exceeds the frequency limit.");

    const body = parseBody(request.body);
    if (deps.strictParameters) assertKnownParameters(body, spec.request, KNOWN_FIELDS[edition]);
    const timed: WorldEvent[] = [];
    deps.beforeAction(timed);
    deps.publish(timed);
    const ctx: ActionContext = {
      edition,
      world: deps.world,
      directory: deps.directory,
      ids: deps.ids,
      nowMs: now,
      events: [],
      baseUrl: deps.baseUrl(),
      blobs: deps.blobs,
    };
    const data = await spec.handler(body, ctx);
    deps.publish(ctx.events);
    deps.onResult(edition, action, undefined);
    return { kind: "answer", requestId, body: successBody(requestId, data), action };
  } catch (error) {
    const known = error instanceof ApiError;
    if (!known) deps.onUnexpected(error);
    const code = known ? error.code : "InternalError";
    const message = known ? error.message : "An internal error occurred.";
    deps.onResult(edition, action, code);
    return { kind: "answer", requestId, body: errorBody(requestId, code, message), ...(action !== undefined ? { action } : {}), code };
  }
}
