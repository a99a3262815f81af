import type { AppError } from "../errors/app-error";
import {
  CallbackBodyInvalid,
  CallbackEncryptInvalid,
  CallbackEncryptMissing,
  CallbackEnvelopeInvalid,
  CallbackKeyWrong,
  CallbackSignatureExpired,
  CallbackSignatureInvalid,
  CallbackStoreUnavailable,
  LegacyCallbackUnsigned,
  QuerySignatureCoversNothing,
} from "../errors/callback-errors";
import { BodyTooLarge, JsonTooDeep } from "../errors/request-errors";
import { decodeUtf8Text, jsonNestsDeeperThan, MAX_JSON_DEPTH, parseJsonText } from "../json/json-text";
import { isObject } from "../lang/objects";
import { StoreRefusedError } from "../errors/store-errors";
import type { Logger } from "../log/logger";
import type { StatusEvent } from "../status-store/model";
import type { StatusStore } from "../status-store/port";
import { decryptCallback, DecryptError, type DecryptFn } from "./decrypt";
import { EnvelopeError, isEnvelope, parseEnvelope, parseLegacyV1 } from "./envelope";
import { checkSignature, type SignatureCheck } from "./signature";

/**
 * The callback receive pipeline, in a fixed order: raw body → signature → outer JSON → decrypt →
 * envelope → store → 200. Nothing is decrypted before the signature holds, and nothing is answered
 * 200 unless it was stored (or is a probe that carries nothing to store): ESS retries any other
 * answer, but drops a message it got a 200 for.
 */

/** How callbacks are checked (`ESS_CALLBACK_*`, read by shared/config). */
export interface CallbackSettings {
  /** 32-byte AES-256 key from the ESS console, as UTF-8 text. */
  key: string;
  /** HMAC token; when set, every message must carry a valid signature. */
  token?: string;
  /** Undecryptable bodies become 400 instead of the probe's 200. */
  strict: boolean;
  /** Accept legacy v1 callbacks (bare MsgData); only with a token, and only when signed in the header form. */
  acceptLegacyV1: boolean;
  /** A query-form signature whose `timestamp` is further than this from the clock is refused. */
  signatureMaxAgeSeconds: number;
}

export interface ReceiveCallbackDeps {
  store: StatusStore;
  config: CallbackSettings;
  clock: () => Date;
  log: Logger;
  /** Injected so tests can see whether (and when) decryption runs; defaults to `decryptCallback`. */
  decrypt?: DecryptFn;
  /** Defaults to `MAX_CALLBACK_BODY_BYTES`. */
  maxBodyBytes?: number;
}

/** The parts of an HTTP request the pipeline reads. */
export interface CallbackRequest {
  /** The raw request bytes, already base64-decoded when API Gateway marked the body so. */
  body: Uint8Array;
  /** The `Content-Signature` header, when present. */
  contentSignature?: string | undefined;
  /** Query parameters (`timestamp`, `nonce`, `msg_signature` of the query signature form). */
  query: Readonly<Record<string, string | undefined>>;
  /** Epoch ms by which storing must be done (the function's remaining time, less a margin). */
  deadline?: number;
}

/**
 * The largest callback body accepted. ESS's largest message (a FlowStatusChange naming 50 approvers
 * with their names, mobiles and messages) encrypts to well under 100 KB
 * (`test/shared/callback/limits.test.ts` measures one); 1 MB leaves ten times that.
 */
export const MAX_CALLBACK_BODY_BYTES = 1024 * 1024;

/** `stored`: at least one new event; `duplicate`: all already stored; `probe`: nothing to store. */
export type CallbackOutcome = "stored" | "duplicate" | "probe";

export interface ReceivedEvent {
  msgId: string;
  msgType: string;
  edition: StatusEvent["edition"];
  flowGroupId?: string;
  flowId?: string;
  duplicate: boolean;
}

export interface CallbackResult {
  outcome: CallbackOutcome;
  /** The events stored (or found already stored); empty for a probe. */
  events: ReceivedEvent[];
  /** Why a request was taken as a probe. */
  probeReason?: ProbeReason;
}

export type ProbeReason = "empty-body" | "no-encrypt" | "unsigned-without-encrypt" | "legacy-v1-disabled" | "undecryptable";

/** The outer request body as the pipeline sees it. */
export type OuterBody = { kind: "empty" } | { kind: "object"; value: Record<string, unknown> } | { kind: "invalid"; why: string };

/**
 * Receives one callback; throws `AppError`s for every non-200 answer.
 *
 * What may be stored, by configuration (nothing unsigned or unverifiable):
 * - with a token: a message signed in the header form (HMAC over the raw body), or an `encrypt`
 *   signed in the query form within `signatureMaxAgeSeconds`; a legacy v1 message (not an
 *   envelope) only in the header form, and only with `acceptLegacyV1`;
 * - without a token (refused on SCF, see config): an `encrypt` that decrypts with the callback key
 *   to a JSON envelope; never a legacy v1 message.
 */
export async function receiveCallback(request: CallbackRequest, deps: ReceiveCallbackDeps): Promise<CallbackResult> {
  const { config, log } = deps;
  const bytes = request.body;
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_CALLBACK_BODY_BYTES;
  if (bytes.length > maxBodyBytes) throw new BodyTooLarge(maxBodyBytes);

  // Parsed at most once, and only when a step needs it (the header form never does).
  let parsed: OuterBody | undefined;
  const outer = () => (parsed ??= parseOuterBody(bytes));

  let form: "header" | "query" | undefined;
  if (config.token !== undefined) {
    const check = checkSignature({
      rawBody: bytes,
      contentSignature: request.contentSignature,
      query: { timestamp: request.query.timestamp, nonce: request.query.nonce, msgSignature: request.query.msg_signature },
      token: config.token,
      encrypt: () => encryptField(outer()),
      now: deps.clock(),
      maxAgeSeconds: config.signatureMaxAgeSeconds,
    });
    if (!check.ok) {
      const body = outer();
      // The console's URL probe is not signed; a body without `encrypt` carries nothing to forge.
      if (check.reason === "missing" && (body.kind === "empty" || (body.kind === "object" && !("encrypt" in body.value)))) {
        return probe(log, "unsigned-without-encrypt");
      }
      throw signatureError(log, check);
    }
    form = check.form;
  }

  const body = outer();
  if (body.kind === "empty") return probe(log, "empty-body");
  if (body.kind === "invalid") throw new CallbackBodyInvalid(body.why);

  const receivedAt = deps.clock();
  // Only the header form covers the whole body; the query form covers `encrypt` and nothing else.
  const legacyAllowed = config.acceptLegacyV1 && config.token !== undefined && form === "header";
  let events: StatusEvent[];
  if (!("encrypt" in body.value)) {
    if (Object.keys(body.value).length === 0) return probe(log, "no-encrypt");
    if (form === "query") throw refused(log, new QuerySignatureCoversNothing());
    if (!legacyAllowed) {
      if (config.strict) throw new CallbackEncryptMissing();
      return probe(log, "legacy-v1-disabled");
    }
    events = parseOrReject(() => parseLegacyV1(body.value, bytes, receivedAt));
  } else {
    if (form === "query" && encryptField(body) === "") throw refused(log, new QuerySignatureCoversNothing());
    const plaintext = decryptOrUndefined(body.value.encrypt, deps);
    const json = plaintext === undefined ? undefined : readJson(plaintext);
    if (plaintext === undefined || json === undefined) {
      if (config.token !== undefined) {
        // The signature held, so ESS sent this: it is a real message our key cannot open (a wrong
        // ESS_CALLBACK_KEY). A 200 would lose it for good; a 5xx makes ESS retry until the key is fixed.
        log.error("signed callback does not decrypt; check that ESS_CALLBACK_KEY matches the ESS console", { reason: "undecryptable" });
        throw new CallbackKeyWrong();
      }
      if (config.strict) throw new CallbackEncryptInvalid();
      return probe(log, "undecryptable");
    }
    events = parseOrReject(() => {
      if (isEnvelope(json)) return parseEnvelope(json, receivedAt);
      if (legacyAllowed) return parseLegacyV1(json, plaintext, receivedAt);
      if (config.acceptLegacyV1 && config.token !== undefined) throw refused(log, new LegacyCallbackUnsigned());
      throw new EnvelopeError("callback envelope has no MsgId or MsgType (a legacy v1 message; legacy v1 is not enabled)");
    });
  }

  const received = await storeAll(events, deps, request.deadline);
  const outcome: CallbackOutcome = received.every((event) => event.duplicate) ? "duplicate" : "stored";
  for (const event of received) log.info("callback received", { ...event, outcome });
  return { outcome, events: received };
}

// ---------------------------------------------------------------------------------------------

/** Reads the outer body: empty, a JSON object, or something that is neither (with why, no content). */
export function parseOuterBody(bytes: Uint8Array): OuterBody {
  const text = decodeUtf8Text(bytes);
  if (text === undefined) return { kind: "invalid", why: "is not valid UTF-8 text" };
  if (text.trim() === "") return { kind: "empty" };
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return { kind: "invalid", why: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid", why: "is not valid JSON" };
  }
  if (!isObject(value)) return { kind: "invalid", why: "is not a JSON object" };
  return { kind: "object", value };
}

/** The `encrypt` the query signature covers; the empty string when the body has none. */
function encryptField(body: OuterBody): string {
  return body.kind === "object" && typeof body.value.encrypt === "string" ? body.value.encrypt : "";
}

function decryptOrUndefined(encrypt: unknown, deps: ReceiveCallbackDeps): Buffer | undefined {
  if (typeof encrypt !== "string") {
    deps.log.warn("callback encrypt is not a string", { reason: "base64" });
    return undefined;
  }
  try {
    return (deps.decrypt ?? decryptCallback)(encrypt, deps.config.key);
  } catch (error) {
    // Only the decryption's own refusals mean "undecryptable"; anything else is a bug and answers 500.
    if (!(error instanceof DecryptError)) throw error;
    // A padding failure on a well-formed ciphertext is what a wrong ESS_CALLBACK_KEY looks like.
    deps.log.warn("callback encrypt does not decrypt", {
      reason: error.reason,
      hint: error.reason === "padding" ? "check that ESS_CALLBACK_KEY matches the ESS console" : undefined,
    });
    return undefined;
  }
}

function readJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8Text(bytes);
  if (text === undefined) return undefined;
  // Decrypted, so sent by a key holder; still refused, as the stored copy is walked when shown.
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) throw new JsonTooDeep("Callback message", MAX_JSON_DEPTH);
  return parseJsonText(text);
}

function parseOrReject(parse: () => StatusEvent[]): StatusEvent[] {
  try {
    return parse();
  } catch (error) {
    // A message that decrypted with our key but is malformed: refused (not 200) so it is not lost
    // silently; ESS retries it while someone reads the log.
    if (error instanceof EnvelopeError) throw new CallbackEnvelopeInvalid(error.message);
    throw error;
  }
}

async function storeAll(events: StatusEvent[], deps: ReceiveCallbackDeps, deadline: number | undefined): Promise<ReceivedEvent[]> {
  const received: ReceivedEvent[] = [];
  for (const event of events) {
    let duplicate: boolean;
    let storedGroupId: string | undefined;
    try {
      ({ duplicate, flowGroupId: storedGroupId } = await deps.store.recordEvent(event, deadline !== undefined ? { deadline } : {}));
    } catch (error) {
      deps.log.error("callback not stored; answering 503 so ESS retries", {
        msgId: event.msgId,
        msgType: event.msgType,
        error,
      });
      // A store that must not be used (a versioned COS bucket) answers with a code naming why.
      if (error instanceof StoreRefusedError) throw error;
      throw new CallbackStoreUnavailable(error);
    }
    const flowGroupId = storedGroupId ?? event.flowGroupId;
    received.push({
      msgId: event.msgId,
      msgType: event.msgType,
      edition: event.edition,
      flowGroupId,
      flowId: event.flowId,
      duplicate,
    });
  }
  return received;
}

function probe(log: Logger, reason: ProbeReason): CallbackResult {
  log.warn("callback probe or unusable body: nothing stored", { outcome: "probe", reason });
  return { outcome: "probe", events: [], probeReason: reason };
}

function refused(log: Logger, error: AppError): AppError {
  log.warn("callback signature refused", { outcome: "refused", reason: error.name });
  return error;
}

function signatureError(log: Logger, check: Extract<SignatureCheck, { ok: false }>): AppError {
  log.warn("callback signature refused", { outcome: "refused", reason: check.reason });
  if (check.reason === "stale") return new CallbackSignatureExpired();
  return new CallbackSignatureInvalid(check.reason);
}
