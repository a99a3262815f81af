import { createHash, randomBytes } from "node:crypto";
import { AppError } from "../errors/app-error";
import {
  IdempotencyInProgress,
  IdempotencyKeyExhausted,
  IdempotencyKeyInvalid,
  IdempotencyKeyReused,
  IdempotencyOutcomeUnknown,
} from "../errors/idempotency-errors";
import { canonicalJson } from "../json/json-text";
import type { CallOptions, ObjectStore } from "../object-store/port";
import { IDEMPOTENCY_KEY } from "../text/input-patterns";

/**
 * Idempotent creates on top of the object-store port, without locks and without listings.
 *
 * A key's claims live in chains, one per time window of `ttlMs` (docs/architecture.md):
 * `idempotency/<digest>/<window>/<n>.json`, n = 1, 2, 3… without gaps. Only the request that
 * created claim n (create-exclusive) ever writes it again; anyone else who wants the key — because
 * claim n was released or has expired — races to create the next entry, which exactly one request
 * wins. A reader walks a chain with single-key reads from 1 until an entry is missing, so a listing
 * that lags behind can never hide a claim.
 *
 * A new claim goes into the chain of the current window. The previous window's chain is first
 * closed with a seal written create-exclusive at its next position: a request whose clock is still
 * in the previous window would create its claim at exactly that position, so of the two only one
 * proceeds. Windows older than the previous one hold only expired claims and are never read; a
 * lifecycle rule may delete them (`claimLifecycleDays`).
 *
 * Claim states:
 * - `pending`: the first request is running. Same key again → 409. Left pending past `staleAfterMs`
 *   (its function died mid-call) it counts as `unknown`.
 * - `done`: ESS answered; the response is kept and replayed for the same key and body.
 * - `unknown`: ESS did not answer (timeout, lost connection, ESS internal error): the group may
 *   exist, so the key is NOT released — a retry could create a second group. Replays get 409
 *   until the claim expires.
 * - `released`: the request failed before anything could have been created (auth, ESS refused
 *   it); the next request with the key claims it afresh. (Invalid requests never claim a key.)
 * Every claim expires `ttlMs` after it was made; after that the key may be used again. Each claim
 * carries a random nonce, so no two claims are ever the same bytes.
 */

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

type ClaimState = "pending" | "done" | "unknown" | "released";

interface Claim {
  state: ClaimState;
  requestHash: string;
  createdAt: number;
  updatedAt: number;
  /** Random, so two claims are never byte-identical (an adapter never tells writers apart by body). */
  nonce: string;
  response?: { statusCode: number; body: unknown };
  errorCode?: string;
}

/** Closes a window's chain: the key's claims continue in the next window. */
interface Seal {
  sealed: true;
  nonce: string;
  sealedAt: number;
}

type Entry = Claim | Seal;

export interface IdempotencyOptions {
  /** How long a key stays bound to its first request (default 24 h); also the window of a chain. */
  ttlMs: number;
  /** After this long a pending claim is taken as abandoned (its outcome unknown). */
  staleAfterMs: number;
  now?: () => number;
}

export interface Claimed {
  complete(response: { statusCode: number; body: unknown }): Promise<void>;
  fail(error: unknown): Promise<void>;
}

/**
 * What `begin` found: a stored answer to replay, or a free key that `claim` takes for this request
 * (call it only once the request is known to be valid: an invalid request never holds a key).
 */
export type Begin = { kind: "replay"; response: { statusCode: number; body: unknown } } | { kind: "free"; claim(): Promise<Claimed> };

/**
 * Days a lifecycle rule on `<prefix>idempotency/` must keep objects: a claim is read until the end
 * of the window after its own (at most two windows), so the rule is twice the TTL, in whole days.
 */
export function claimLifecycleDays(ttlMs: number): number {
  return Math.max(1, Math.ceil((2 * ttlMs) / 86_400_000));
}

/** Refuses keys that are empty, too long, or not printable ASCII. */
export function assertIdempotencyKey(key: string): string {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY.test(key)) {
    throw new IdempotencyKeyInvalid(MAX_IDEMPOTENCY_KEY_LENGTH);
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

/** Chains read, and most rounds of reading and racing before a request gives up with 409. */
const MAX_ROUNDS = 5;
const MAX_CHAIN = 10_000;

export function createIdempotency(objects: ObjectStore, options: IdempotencyOptions) {
  const now = options.now ?? Date.now;

  const prefixOf = (scope: string, key: string) => `idempotency/${createHash("sha256").update(`${scope}\n${key}`).digest("hex")}/`;
  const entryKey = (prefix: string, window: number, n: number) => `${prefix}${window}/${String(n).padStart(6, "0")}.json`;
  const nonce = () => randomBytes(16).toString("hex");

  /** A window's chain, read entry by entry until one is missing. */
  async function readChain(prefix: string, window: number, call: CallOptions): Promise<Entry[]> {
    const entries: Entry[] = [];
    for (let n = 1; n <= MAX_CHAIN; n++) {
      const text = await objects.get(entryKey(prefix, window, n), call);
      if (text === undefined) return entries;
      entries.push(JSON.parse(text) as Entry);
    }
    throw new IdempotencyKeyExhausted();
  }

  function effectiveState(claim: Claim, at: number): ClaimState | "expired" {
    if (at - claim.createdAt >= options.ttlMs) return "expired";
    if (claim.state === "pending" && at - claim.updatedAt >= options.staleAfterMs) return "unknown";
    return claim.state;
  }

  /**
   * The key's chains around now: the previous window's and the current one's (further on while a
   * chain ends with a seal, when another clock is already in a later window). Returns the latest
   * claim and where the next one goes.
   */
  async function survey(prefix: string, call: CallOptions) {
    let window = Math.floor(now() / options.ttlMs);
    let [previous, current] = await Promise.all([readChain(prefix, window - 1, call), readChain(prefix, window, call)]);
    for (let step = 0; step < 3 && isSeal(current[current.length - 1]); step++) {
      window += 1;
      previous = current;
      current = await readChain(prefix, window, call);
    }
    const lastOf = (chain: Entry[]) => chain[chain.length - 1];
    const latest = current.length > 0 ? lastOf(current) : previous.length > 0 && !isSeal(lastOf(previous)) ? lastOf(previous) : undefined;
    return {
      latest: latest as Claim | undefined,
      next: entryKey(prefix, window, current.length + 1),
      // Moving into an empty window closes the previous one first (unless it is closed already).
      seal: current.length === 0 && !isSeal(lastOf(previous)) ? entryKey(prefix, window - 1, previous.length + 1) : undefined,
    };
  }

  return {
    /**
     * Looks the key up (reads only). Throws 422 when the key was used with another body, 409 while
     * the first request runs or when its outcome is unknown; else a stored answer, or a free key.
     */
    async begin(scope: string, key: string, requestHash: string, call: CallOptions = {}): Promise<Begin> {
      const prefix = prefixOf(scope, assertIdempotencyKey(key));
      const decide = (latest: Claim | undefined): Begin | undefined => {
        const at = now();
        const state = latest ? effectiveState(latest, at) : "expired";
        if (!latest || state === "expired" || state === "released") return undefined;
        if (latest.requestHash !== requestHash) {
          throw new IdempotencyKeyReused();
        }
        if (state === "done") return { kind: "replay", response: latest.response! };
        if (state === "pending") {
          throw new IdempotencyInProgress("A request with this Idempotency-Key is still running; retry shortly", 2);
        }
        throw new IdempotencyOutcomeUnknown();
      };

      let found = await survey(prefix, call);
      const decided = decide(found.latest);
      if (decided) return decided;
      return {
        kind: "free",
        claim: async () => {
          for (let round = 0; round < MAX_ROUNDS; round++) {
            if (round > 0) {
              found = await survey(prefix, call);
              const after = decide(found.latest);
              if (after?.kind === "replay") {
                throw new IdempotencyInProgress("Another request with this Idempotency-Key has just completed; retry to get its answer", 1);
              }
            }
            if (found.seal !== undefined) {
              const seal: Seal = { sealed: true, nonce: nonce(), sealedAt: now() };
              if (!(await objects.createExclusive(found.seal, JSON.stringify(seal), call))) continue;
            }
            const at = now();
            const claim: Claim = { state: "pending", requestHash, createdAt: at, updatedAt: at, nonce: nonce() };
            const mine = found.next;
            if (!(await objects.createExclusive(mine, JSON.stringify(claim), call))) continue;
            const write = (update: Partial<Claim>) => objects.put(mine, JSON.stringify({ ...claim, ...update, updatedAt: now() }));
            return {
              complete: (response) => write({ state: "done", response }),
              fail: (error) =>
                write(
                  failureReleasesKey(error)
                    ? { state: "released", errorCode: error instanceof AppError ? error.code : undefined }
                    : { state: "unknown", errorCode: error instanceof AppError ? error.code : undefined },
                ),
            };
          }
          throw new IdempotencyInProgress("Too many concurrent requests with this Idempotency-Key; retry shortly");
        },
      };
    },
  };
}

function isSeal(entry: Entry | undefined): entry is Seal {
  return entry !== undefined && (entry as Seal).sealed === true;
}

export type Idempotency = ReturnType<typeof createIdempotency>;
