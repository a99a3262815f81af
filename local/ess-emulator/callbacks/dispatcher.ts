import http from "node:http";
import https from "node:https";
import type { IdSource } from "../core/ids";
import type { Edition } from "../core/model";
import type { FaultEngine } from "../faults";
import { callbackBody, contentSignature, corruptSignature } from "./crypto";
import { MSG_VERSION, type CallbackMessage } from "./messages";

/**
 * Delivers callback messages the way ESS does: encrypted envelope, optional HMAC header, retried
 * with exponential backoff until answered 200 or out of attempts. A retry resends the same MsgId
 * and the same bytes. With concurrency 1 (the default) messages leave in the order they happened,
 * unless the shuffle fault says otherwise; receivers must not rely on it either way.
 */

export interface RetryPolicy {
  /** Attempts per message, first one included. */
  maxAttempts: number;
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** ESS-like retries for `npm run emulator`; tests pass faster ones. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 1000, factor: 2, maxDelayMs: 30_000, timeoutMs: 5_000 };

/** Delivery counters (see `stats()`). */
export interface CallbackCounters {
  /** Distinct messages produced while a URL was configured. */
  messages: number;
  /** Deliveries queued: messages plus injected duplicates. */
  deliveries: number;
  /** HTTP POSTs made. */
  sent: number;
  /** Deliveries answered 200. */
  acknowledged: number;
  /** Deliveries given up after the last attempt. */
  failed: number;
  /** Attempts not sent because of the drop-first fault. */
  dropped: number;
  /** Extra deliveries added by the duplicate fault. */
  duplicated: number;
  /** Messages not delivered because their edition had no callback URL. */
  skipped: number;
}

/** Delivery counters, in total and per edition. */
export interface CallbackStats extends CallbackCounters {
  /** Deliveries not finished yet (queued, in flight, or waiting for a retry or a delay). */
  pending: number;
  byEdition: Record<Edition, CallbackCounters>;
}

/** What became of one delivery attempt. */
export type DeliveryResult = "delivered" | "retrying" | "failed";

/** One delivery attempt, for logs and the delivery feed (never the body: it may hold personal data). */
export interface DeliveryLog {
  msgId: string;
  msgType: string;
  edition: Edition;
  flowGroupId: string;
  /** Absent for group-level messages. */
  flowId?: string;
  /** 1-based. */
  attempt: number;
  /** HTTP status, or the network error's message ("dropped" for the drop-first fault). */
  outcome: number | string;
  /** HTTP status when the receiver answered. */
  status?: number;
  /** Why no HTTP status came back (timeout, refused connection, dropped by a fault). */
  error?: string;
  /** delivered (answered 200), retrying (another attempt follows), failed (that was the last attempt). */
  result: DeliveryResult;
  /** Delay before the next attempt, when one follows. */
  retryInMs?: number;
  /** Epoch milliseconds (emulator clock) when the attempt ended. */
  at: number;
}

/** An undelivered message as kept in the state file (resumed after a restart). */
export interface PendingDelivery {
  msgId: string;
  msgType: string;
  edition: Edition;
  flowGroupId: string;
  flowId?: string;
  /** The exact bytes sent, base64. */
  body: string;
  /** Attempts made so far. */
  attempt: number;
}

/** Key, token, URLs, retry policy and faults of the dispatcher. */
export interface CallbackDispatcherOptions {
  key: string;
  token?: string;
  urls: Partial<Record<Edition, string>>;
  retry: RetryPolicy;
  concurrency: number;
  faults: FaultEngine;
  ids: IdSource;
  /** Epoch milliseconds, for the `at` of delivery logs. */
  clock: () => number;
  onAttempt?: (log: DeliveryLog) => void;
  /**
   * Hold new messages until `release()`: the engine releases them once the state that produced
   * them is on disk, so a receiver never learns of a change a restarted emulator forgot.
   */
  holdUntilReleased?: boolean;
  /** A message was delivered or given up (the set of pending deliveries changed). */
  onSettled?: () => void;
}

/** Queues, sends and retries callback messages. */
export interface CallbackDispatcher {
  /** Queues the messages of one state change (one create, one signing…). */
  enqueue(batch: CallbackMessage[]): void;
  /** Whether messages of `edition` would be delivered at all (lets callers skip building them). */
  wants(edition: Edition): boolean;
  /** Counts a message not built because its edition has no URL. */
  skip(edition: Edition): void;
  setUrl(edition: Edition, url: string | undefined): void;
  urls(): Partial<Record<Edition, string>>;
  stats(): CallbackStats;
  /** Forgets queued deliveries and counters (in-flight attempts finish unobserved). */
  reset(): void;
  /** Lets held messages go (see `holdUntilReleased`). */
  release(): void;
  /** Every message not yet delivered nor given up, for the state file. */
  pendingDeliveries(): PendingDelivery[];
  /** Queues deliveries saved by an earlier run (they were released before that run saved them). */
  resume(pending: PendingDelivery[]): void;
  waitForIdle(timeoutMs: number): Promise<void>;
  close(): void;
}

interface Job {
  msgId: string;
  msgType: string;
  edition: Edition;
  flowGroupId: string;
  flowId?: string;
  body: Buffer;
  attempt: number;
  generation: number;
}

const zeroCounters = (): CallbackCounters => ({
  messages: 0,
  deliveries: 0,
  sent: 0,
  acknowledged: 0,
  failed: 0,
  dropped: 0,
  duplicated: 0,
  skipped: 0,
});

/** Delay before the attempt after `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
}

/** A dispatcher with its own keep-alive agents; `close()` releases them. */
export function createCallbackDispatcher(options: CallbackDispatcherOptions): CallbackDispatcher {
  const urls: Partial<Record<Edition, string>> = { ...options.urls };
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const queue: Job[] = [];
  /** Produced but not yet released (see `holdUntilReleased`). */
  const held: Job[] = [];
  /** Every job not delivered nor given up: held, queued, in flight, or waiting for a retry or a delay. */
  const live = new Set<Job>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let generation = 0;
  let closed = false;
  let counters = { ess: zeroCounters(), essbasic: zeroCounters() };
  const waiters = new Set<() => void>();

  const count = (edition: Edition, key: keyof CallbackCounters, n = 1): void => {
    counters[edition][key] += n;
  };
  const pending = (): number => live.size;
  const notifyIdle = (): void => {
    if (pending() > 0) return;
    for (const w of waiters) w();
    waiters.clear();
  };

  const later = (delayMs: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timers.add(timer);
  };

  const push = (job: Job): void => {
    if (closed || job.generation !== generation) return;
    queue.push(job);
    pump();
  };

  const finish = (): void => {
    pump();
    notifyIdle();
  };

  const settle = (job: Job): void => {
    live.delete(job);
    options.onSettled?.();
  };

  /** Logs an attempt that did not deliver, then schedules the next one or gives up. */
  const retryOrFail = (job: Job, outcome: number | string): void => {
    if (job.generation !== generation) return;
    const last = job.attempt >= options.retry.maxAttempts;
    const retryInMs = last ? undefined : backoffDelay(options.retry, job.attempt);
    options.onAttempt?.({
      ...describe(job),
      outcome,
      status: typeof outcome === "number" ? outcome : undefined,
      error: typeof outcome === "string" ? outcome : undefined,
      result: last ? "failed" : "retrying",
      retryInMs,
      at: options.clock(),
    });
    if (last) {
      count(job.edition, "failed");
      settle(job);
      return;
    }
    later(retryInMs!, () => push(job));
  };

  const post = (url: string, body: Buffer, headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const req = (secure ? https : http).request(
        target,
        {
          method: "POST",
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, "Content-Length": String(body.length) },
          timeout: options.retry.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${options.retry.timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });

  const attempt = async (job: Job): Promise<void> => {
    job.attempt++;
    const url = urls[job.edition];
    if (url === undefined) {
      count(job.edition, "skipped");
      settle(job);
      return;
    }
    const faults = options.faults.decideAttempt(job.attempt);
    if (faults.drop) {
      count(job.edition, "dropped");
      retryOrFail(job, "dropped");
      return;
    }
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (options.token) {
      const signature = contentSignature(job.body, options.token);
      headers["Content-Signature"] = faults.corruptSignature ? corruptSignature(signature) : signature;
    }
    count(job.edition, "sent");
    let outcome: number | string;
    try {
      outcome = await post(url, job.body, headers);
    } catch (error) {
      outcome = (error as Error).message;
    }
    if (job.generation !== generation) return;
    if (outcome !== 200) return retryOrFail(job, outcome);
    options.onAttempt?.({ ...describe(job), outcome, status: 200, result: "delivered", at: options.clock() });
    count(job.edition, "acknowledged");
    settle(job);
  };

  function describe(job: Job): Pick<DeliveryLog, "msgId" | "msgType" | "edition" | "flowGroupId" | "flowId" | "attempt"> {
    return {
      msgId: job.msgId,
      msgType: job.msgType,
      edition: job.edition,
      flowGroupId: job.flowGroupId,
      flowId: job.flowId,
      attempt: job.attempt,
    };
  }

  const dispatch = (jobs: Job[]): void => {
    const delay = options.faults.callbackDelayMs();
    for (const job of jobs) {
      if (delay > 0 && job.attempt === 0) later(delay, () => push(job));
      else push(job);
    }
  };

  function pump(): void {
    while (!closed && inFlight < options.concurrency && queue.length > 0) {
      const job = queue.shift()!;
      inFlight++;
      void attempt(job).finally(() => {
        inFlight--;
        finish();
      });
    }
  }

  return {
    enqueue(batch) {
      const delivered: Job[] = [];
      for (const message of options.faults.order(batch)) {
        if (urls[message.edition] === undefined) {
          count(message.edition, "skipped");
          continue;
        }
        const msgId = options.ids.msgId();
        const envelope = { MsgId: msgId, MsgType: message.MsgType, MsgVersion: MSG_VERSION[message.edition], MsgData: message.MsgData };
        const job: Job = {
          msgId,
          msgType: message.MsgType,
          edition: message.edition,
          flowGroupId: message.flowGroupId,
          flowId: message.flowId,
          body: callbackBody(envelope, options.key),
          attempt: 0,
          generation,
        };
        count(message.edition, "messages");
        count(message.edition, "deliveries");
        delivered.push(job);
        if (options.faults.duplicateMessage()) {
          count(message.edition, "deliveries");
          count(message.edition, "duplicated");
          delivered.push({ ...job });
        }
      }
      for (const job of delivered) live.add(job);
      if (options.holdUntilReleased) held.push(...delivered);
      else dispatch(delivered);
    },
    release() {
      if (held.length === 0) return;
      dispatch(held.splice(0));
    },
    pendingDeliveries() {
      return [...live].map((job) => ({
        msgId: job.msgId,
        msgType: job.msgType,
        edition: job.edition,
        flowGroupId: job.flowGroupId,
        flowId: job.flowId,
        body: job.body.toString("base64"),
        attempt: job.attempt,
      }));
    },
    resume(saved) {
      const jobs = saved.map((p): Job => ({ ...p, body: Buffer.from(p.body, "base64"), generation }));
      for (const job of jobs) live.add(job);
      dispatch(jobs);
    },
    wants: (edition) => urls[edition] !== undefined,
    skip: (edition) => count(edition, "skipped"),
    setUrl(edition, url) {
      if (url === undefined) delete urls[edition];
      else urls[edition] = url;
    },
    urls: () => ({ ...urls }),
    stats() {
      const total = zeroCounters();
      for (const edition of ["ess", "essbasic"] as const)
        for (const key of Object.keys(total) as Array<keyof CallbackCounters>) total[key] += counters[edition][key];
      return { ...total, pending: pending(), byEdition: { ess: { ...counters.ess }, essbasic: { ...counters.essbasic } } };
    },
    reset() {
      generation++;
      queue.length = 0;
      held.length = 0;
      live.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      counters = { ess: zeroCounters(), essbasic: zeroCounters() };
      notifyIdle();
    },
    waitForIdle(timeoutMs) {
      if (pending() === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`callbacks still pending after ${timeoutMs} ms (${pending()} deliveries)`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(done);
      });
    },
    close() {
      closed = true;
      generation++;
      queue.length = 0;
      held.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      agents.http.destroy();
      agents.https.destroy();
      for (const w of waiters) w();
      waiters.clear();
    },
  };
}
