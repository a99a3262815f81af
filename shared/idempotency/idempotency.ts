import { createHash } from "node:crypto";
import { AppError } from "../errors/app-error";
import { canonicalJson } from "../json/json-text";
import type { ObjectStore } from "../object-store/port";
import { IDEMPOTENCY_KEY } from "../text/input-patterns";

/**
 * Idempotent creates on top of the object-store port, without locks.
 *
 * A key's claims are numbered objects `idempotency/<digest>/<n>.json`. Only the request that
 * created claim n (create-exclusive) ever writes it again; anyone else who wants the key — because
 * claim n was released or has expired — races to create claim n+1, which exactly one request wins.
 * So two concurrent requests with one key never both reach ESS.
 *
 * Claim states:
 * - `pending`: the first request is running. Same key again → 409. Left pending past `staleAfterMs`
 *   (its function died mid-call) it counts as `unknown`.
 * - `done`: ESS answered; the response is kept and replayed for the same key and body.
 * - `unknown`: ESS did not answer (timeout, lost connection, ESS internal error): the group may
 *   exist, so the key is NOT released — a retry could create a second group. Replays get 409
 *   until the claim expires.
 * - `released`: the request failed before anything could have been created (validation, auth,
 *   ESS refused it); the next request with the key claims it afresh.
 * Every claim expires `ttlMs` after it was made; after that the key may be used again.
 */

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

type ClaimState = "pending" | "done" | "unknown" | "released";

interface Claim {
  state: ClaimState;
  requestHash: string;
  createdAt: number;
  updatedAt: number;
  response?: { statusCode: number; body: unknown };
  errorCode?: string;
}

export interface IdempotencyOptions {
  /** How long a key stays bound to its first request (default 24 h). */
  ttlMs: number;
  /** After this long a pending claim is taken as abandoned (its outcome unknown). */
  staleAfterMs: number;
  now?: () => number;
}

/** What `begin` decided. */
export type Begin =
  | { kind: "proceed"; complete(response: { statusCode: number; body: unknown }): Promise<void>; fail(error: unknown): Promise<void> }
  | { kind: "replay"; response: { statusCode: number; body: unknown } };

/** Refuses keys that are empty, too long, or not printable ASCII. */
export function assertIdempotencyKey(key: string): string {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError(
      "InvalidParameter.IdempotencyKey",
      400,
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces`,
    );
  }
  return key;
}

/** Digest of what makes two requests "the same": the route and the body, keys in any order. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash("sha256").update(route).update("\n").update(canonicalJson(body)).digest("hex");
}

/** True when a failed create cannot have created anything, so its key may be reused at once. */
export function failureReleasesKey(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.httpStatus < 500) return true;
  // 5xx: only ESS's explicit business refusals are safe; timeouts, unreachable ESS and ESS
  // internal errors leave the outcome unknown.
  return !/^InternalError(\.|$)/.test(error.code);
}

export function createIdempotency(objects: ObjectStore, options: IdempotencyOptions) {
  const now = options.now ?? Date.now;

  const prefixOf = (scope: string, key: string) => `idempotency/${createHash("sha256").update(`${scope}\n${key}`).digest("hex")}/`;
  const claimKey = (prefix: string, n: number) => `${prefix}${String(n).padStart(10, "0")}.json`;

  async function latest(prefix: string): Promise<{ n: number; claim: Claim } | undefined> {
    const keys = await objects.list(prefix);
    for (let i = keys.length - 1; i >= 0; i--) {
      const match = /(\d{10})\.json$/.exec(keys[i]!);
      if (!match) continue;
      const body = await objects.get(keys[i]!);
      if (body !== undefined) return { n: Number(match[1]), claim: JSON.parse(body) as Claim };
    }
    return undefined;
  }

  function effectiveState(claim: Claim, at: number): ClaimState | "expired" {
    if (at - claim.createdAt >= options.ttlMs) return "expired";
    if (claim.state === "pending" && at - claim.updatedAt >= options.staleAfterMs) return "unknown";
    return claim.state;
  }

  return {
    /**
     * Claims `key` for this request, or says what to answer instead. Throws 422 when the key was
     * used with another body, 409 while the first request runs or when its outcome is unknown.
     */
    async begin(scope: string, key: string, requestHash: string): Promise<Begin> {
      const prefix = prefixOf(scope, assertIdempotencyKey(key));
      for (let round = 0; round < 5; round++) {
        const current = await latest(prefix);
        const at = now();
        const state = current ? effectiveState(current.claim, at) : "expired";
        if (current && state !== "expired" && state !== "released") {
          if (current.claim.requestHash !== requestHash) {
            throw new AppError(
              "InvalidParameter.IdempotencyKeyReused",
              422,
              "This Idempotency-Key was used with a different request body; use a new key for a new request",
            );
          }
          if (state === "done") return { kind: "replay", response: current.claim.response! };
          if (state === "pending") {
            throw new AppError("FailedOperation.IdempotencyKeyInUse", 409, "A request with this Idempotency-Key is still running; retry shortly", {
              headers: { "Retry-After": "2" },
            });
          }
          throw new AppError(
            "FailedOperation.IdempotencyOutcomeUnknown",
            409,
            "The first request with this Idempotency-Key did not get ESS's answer, so the group may exist. " +
              "It is not sent again with this key; check your callbacks or the ESS console before creating it with a new key.",
          );
        }
        const n = (current?.n ?? 0) + 1;
        const mine = claimKey(prefix, n);
        const claim: Claim = { state: "pending", requestHash, createdAt: at, updatedAt: at };
        if (!(await objects.createExclusive(mine, JSON.stringify(claim)))) continue;
        const write = (update: Partial<Claim>) => objects.put(mine, JSON.stringify({ ...claim, ...update, updatedAt: now() }));
        return {
          kind: "proceed",
          complete: (response) => write({ state: "done", response }),
          fail: (error) =>
            write(
              failureReleasesKey(error)
                ? { state: "released", ...(error instanceof AppError ? { errorCode: error.code } : {}) }
                : { state: "unknown", ...(error instanceof AppError ? { errorCode: error.code } : {}) },
            ),
        };
      }
      throw new AppError("FailedOperation.IdempotencyKeyInUse", 409, "Too many concurrent requests with this Idempotency-Key; retry shortly");
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
