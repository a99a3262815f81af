import { seededRandom, shuffled, systemRandom, type Random } from "./core/random";

/**
 * Injected faults. API faults hit answers to Tencent Cloud API calls; callback faults hit the
 * deliveries to the callback URLs. Rates are probabilities in [0, 1]; `*Next` counts affect the
 * next N matching calls. With `seed` set, every random decision is reproducible.
 */
export interface Faults {
  /** Seeds the fault decisions (and nothing else). */
  seed?: number;
  /** Added delay before every API answer, in milliseconds. */
  latencyMs?: number;
  /** Share of API calls answered `InternalError` (nothing is executed). */
  internalErrorRate?: number;
  /** The next N API calls are answered `InternalError`. */
  internalErrorNext?: number;
  /** The next N API calls are answered `RequestLimitExceeded`. */
  requestLimitNext?: number;
  /** The next N API calls never get an answer (until the client gives up). */
  hangNext?: number;
  /** Share of API calls that never get an answer. */
  hangRate?: number;
  /** Limit the API faults to these actions (e.g. `["CreateFlowGroupByFiles"]`); all when absent. */
  actions?: string[];
  /** Share of callback messages delivered twice (same MsgId, same bytes). */
  callbackDuplicateRate?: number;
  /** Deliver the messages of each batch (one create, one signing…) in a shuffled order. */
  callbackShuffle?: boolean;
  /** Delay before the first delivery attempt of each message, in milliseconds. */
  callbackDelayMs?: number;
  /** Share of messages whose first attempt is dropped (never sent); the retry delivers them. */
  callbackDropFirstRate?: number;
  /** Share of delivery attempts sent with a corrupted `Content-Signature`. */
  callbackCorruptSignatureRate?: number;
  /**
   * ESS composes a flow's signed PDF 1–3 s after the last signature: for this long after it, the
   * flow's download links answer 404 "being composed" (what ESS really answers then is unconfirmed).
   */
  signedFileComposeMs?: number;
}

/** Every fault setting's name, for validation of JSON and env input. */
export const FAULT_KEYS: ReadonlyArray<keyof Faults> = [
  "seed",
  "latencyMs",
  "internalErrorRate",
  "internalErrorNext",
  "requestLimitNext",
  "hangNext",
  "hangRate",
  "actions",
  "callbackDuplicateRate",
  "callbackShuffle",
  "callbackDelayMs",
  "callbackDropFirstRate",
  "callbackCorruptSignatureRate",
  "signedFileComposeMs",
];

/** A faults object with an unknown key or an out-of-range value. */
export class FaultConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultConfigError";
  }
}

const RATE_KEYS = new Set<keyof Faults>([
  "internalErrorRate",
  "hangRate",
  "callbackDuplicateRate",
  "callbackDropFirstRate",
  "callbackCorruptSignatureRate",
]);

/** Checks a faults object (from JSON or code); throws naming the first bad key. */
export function normalizeFaults(input: unknown): Faults {
  if (input === undefined || input === null) return {};
  if (typeof input !== "object" || Array.isArray(input)) throw new FaultConfigError("faults must be an object");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!FAULT_KEYS.includes(key as keyof Faults)) throw new FaultConfigError(`unknown fault "${key}"`);
    if (value === undefined || value === null) continue;
    if (key === "actions") {
      if (!Array.isArray(value) || value.some((a) => typeof a !== "string"))
        throw new FaultConfigError("actions must be a list of action names");
      out[key] = value;
    } else if (key === "callbackShuffle") {
      if (typeof value !== "boolean") throw new FaultConfigError("callbackShuffle must be true or false");
      out[key] = value;
    } else {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new FaultConfigError(`${key} must be a number >= 0`);
      if (RATE_KEYS.has(key as keyof Faults) && value > 1) throw new FaultConfigError(`${key} must be between 0 and 1`);
      if (!RATE_KEYS.has(key as keyof Faults) && !Number.isInteger(value)) throw new FaultConfigError(`${key} must be a whole number`);
      out[key] = value;
    }
  }
  return out as Faults;
}

/** What happens to one API call. */
export type ApiFaultOutcome = "none" | "internalError" | "requestLimit" | "hang";

/** What happens to one callback delivery attempt. */
export interface CallbackAttemptFaults {
  drop: boolean;
  corruptSignature: boolean;
}

/** Decides, call by call, which faults apply. */
export interface FaultEngine {
  current(): Faults;
  /** Replaces the faults; counters and the random sequence restart. */
  set(faults: Faults): void;
  latencyFor(action: string): number;
  /** Consumes counters: call once per API call. */
  decideApi(action: string): ApiFaultOutcome;
  duplicateMessage(): boolean;
  /** Order in which a batch is delivered: shuffled (never the original order when it has 2+ items) or as is. */
  order<T>(batch: readonly T[]): T[];
  callbackDelayMs(): number;
  decideAttempt(attempt: number): CallbackAttemptFaults;
}

/** A fault engine starting with `initial`. */
export function createFaultEngine(initial: Faults = {}): FaultEngine {
  let faults: Faults = {};
  let random: Random = systemRandom();
  let counters = { internalError: 0, requestLimit: 0, hang: 0 };

  const set = (next: Faults): void => {
    faults = normalizeFaults(next);
    random = faults.seed === undefined ? systemRandom() : seededRandom(faults.seed);
    counters = {
      internalError: faults.internalErrorNext ?? 0,
      requestLimit: faults.requestLimitNext ?? 0,
      hang: faults.hangNext ?? 0,
    };
  };
  set(initial);

  const applies = (action: string): boolean => faults.actions === undefined || faults.actions.includes(action);
  const chance = (rate: number | undefined): boolean => rate !== undefined && rate > 0 && random.next() < rate;

  return {
    current: () => ({ ...faults }),
    set,
    latencyFor: (action) => (applies(action) ? (faults.latencyMs ?? 0) : 0),
    decideApi(action) {
      if (!applies(action)) return "none";
      if (counters.hang > 0) {
        counters.hang--;
        return "hang";
      }
      if (counters.requestLimit > 0) {
        counters.requestLimit--;
        return "requestLimit";
      }
      if (counters.internalError > 0) {
        counters.internalError--;
        return "internalError";
      }
      if (chance(faults.hangRate)) return "hang";
      if (chance(faults.internalErrorRate)) return "internalError";
      return "none";
    },
    duplicateMessage: () => chance(faults.callbackDuplicateRate),
    order(batch) {
      if (!faults.callbackShuffle || batch.length < 2) return batch.slice();
      const out = shuffled(batch, random);
      // A shuffle that lands on the original order would hide the fault: rotate it instead.
      if (out.every((item, i) => item === batch[i])) out.push(out.shift()!);
      return out;
    },
    callbackDelayMs: () => faults.callbackDelayMs ?? 0,
    decideAttempt(attempt) {
      return {
        drop: attempt === 1 && chance(faults.callbackDropFirstRate),
        corruptSignature: chance(faults.callbackCorruptSignatureRate),
      };
    },
  };
}
