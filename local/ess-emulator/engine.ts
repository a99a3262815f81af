import { CREATE_ACTIONS } from "./actions/registry";
import {
  createCallbackDispatcher,
  type CallbackDispatcher,
  type CallbackStats,
  type DeliveryLog,
  type RetryPolicy,
} from "./callbacks/dispatcher";
import { toCallbackMessage } from "./callbacks/messages";
import { Directory, type Fixture } from "./core/fixture";
import { createIdSource, type IdSource } from "./core/ids";
import type { Edition } from "./core/model";
import { seededRandom, systemRandom } from "./core/random";
import { expireOverdue, type TransitionContext, type WorldEvent } from "./core/transitions";
import { World } from "./core/world";
import { createFaultEngine, type FaultEngine, type Faults } from "./faults";
import { answerApiCall, type ApiAnswer } from "./protocol/api-call";
import { createRateLimiter, type RateLimiter } from "./protocol/rate-limiter";
import type { ApiKey, SignedRequest } from "./protocol/tc3";
import { stateView, type StateView } from "./admin/views";
import { BlobStore } from "./documents/blob-store";
import { DeliveryFeed } from "./callbacks/delivery-feed";

/**
 * The emulator without its HTTP listener: state, API calls, simulated people, callbacks, faults
 * and counters. `server.ts` puts it on a port; tests of the core can drive it directly.
 */

export interface EngineConfig {
  fixture: Fixture;
  apiKeys: ApiKey[];
  /** Epoch milliseconds. */
  clock: () => number;
  /** Makes generated ids reproducible. */
  idSeed?: number;
  callback: {
    key: string;
    token?: string;
    urls: Partial<Record<Edition, string>>;
    retry: RetryPolicy;
    concurrency: number;
  };
  faults: Faults;
  /** Requests per second per action per SecretId; 0 disables the limit. */
  rateLimitPerSecond: number;
  /** Refuse parameters the SDK models do not define (`UnknownParameter`). */
  strictParameters: boolean;
  baseUrl: () => string;
  onApiCall?: (entry: { requestId: string; action?: string; code?: string }) => void;
  onDelivery?: (entry: DeliveryLog) => void;
  onUnexpected?: (error: unknown) => void;
  /** Called after every change of state (for the state file writer). */
  onMutation?: () => void;
  /** Where uploaded files are kept on disk (beside the state file); memory only when absent. */
  blobDir?: string;
  /** Callbacks wait until the state that produced them is saved (`dispatcher.release()`). */
  holdCallbacksUntilSaved?: boolean;
  /** After a reset: lets the state file writer save the empty state at once. */
  onReset?: () => void;
}

/** `GET /_emulator/stats`. */
export interface EmulatorStats {
  /** Requests received per action name (both editions together), whatever their outcome. */
  calls: Record<string, number>;
  callsByEdition: Record<Edition, Record<string, number>>;
  /** Error answers per error code. */
  errors: Record<string, number>;
  /** Groups created successfully. */
  groupsCreated: number;
  /** Requests left unanswered by the hang fault. */
  hung: number;
  callbacks: CallbackStats;
}

/** State, API calls, simulated people, callbacks, faults and counters of one emulator. */
export class EmulatorEngine {
  readonly directory: Directory;
  readonly world: World;
  /** Bytes of uploaded files (in memory, and beside the state file when there is one). */
  readonly blobs: BlobStore;
  readonly ids: IdSource;
  readonly faults: FaultEngine;
  readonly limiter: RateLimiter;
  readonly dispatcher: CallbackDispatcher;
  /** Every callback delivery attempt, for `GET /_emulator/deliveries` and in-process listeners. */
  readonly deliveries = new DeliveryFeed();
  private readonly initialFaults: Faults;
  private counters = EmulatorEngine.zeroCounters();
  /** Accepted API keys: the fixture's and the configured ones. */
  private readonly apiKeys: Map<string, ApiKey>;

  constructor(private readonly config: EngineConfig) {
    this.directory = new Directory(config.fixture);
    this.world = new World(this.directory);
    this.blobs = new BlobStore(config.blobDir);
    this.ids = createIdSource(config.idSeed === undefined ? systemRandom() : seededRandom(config.idSeed), config.clock);
    this.initialFaults = config.faults;
    this.faults = createFaultEngine(config.faults);
    this.limiter = createRateLimiter(config.rateLimitPerSecond);
    this.dispatcher = createCallbackDispatcher({
      ...config.callback,
      faults: this.faults,
      ids: this.ids,
      clock: config.clock,
      onAttempt: (log) => {
        this.deliveries.add(log);
        config.onDelivery?.(log);
      },
      holdUntilReleased: config.holdCallbacksUntilSaved === true,
      onSettled: () => config.onMutation?.(),
    });
    this.world.onChange = () => config.onMutation?.();
    this.apiKeys = new Map([...config.fixture.apiKeys, ...config.apiKeys].map((k) => [k.secretId, k]));
  }

  private static zeroCounters() {
    return {
      calls: { ess: {} as Record<string, number>, essbasic: {} as Record<string, number> },
      errors: {} as Record<string, number>,
      groupsCreated: 0,
      hung: 0,
    };
  }

  /** Answers one API call (see `protocol/api-call.ts`) that came to the API host or the file host. */
  async handle(request: SignedRequest, role: "api" | "files" = "api"): Promise<ApiAnswer> {
    const keys = this.apiKeys;
    const answer = await answerApiCall(
      request,
      {
        world: this.world,
        blobs: this.blobs,
        directory: this.directory,
        ids: this.ids,
        faults: this.faults,
        limiter: this.limiter,
        findKey: (id) => keys.get(id),
        clock: this.config.clock,
        baseUrl: this.config.baseUrl,
        strictParameters: this.config.strictParameters,
        beforeAction: (events) => this.sweep(events),
        publish: (events) => this.publish(events),
        onCall: (edition, action) => {
          const calls = this.counters.calls[edition];
          calls[action] = (calls[action] ?? 0) + 1;
        },
        onResult: (_edition, action, code) => {
          if (code !== undefined) this.counters.errors[code] = (this.counters.errors[code] ?? 0) + 1;
          else {
            if (action !== undefined && CREATE_ACTIONS.has(action)) this.counters.groupsCreated++;
            this.config.onMutation?.();
          }
        },
        onUnexpected: (error) => this.config.onUnexpected?.(error),
      },
      role === "files",
    );
    if (answer.kind === "hang") this.counters.hung++;
    this.config.onApiCall?.({
      requestId: answer.requestId,
      ...(answer.action ? { action: answer.action } : {}),
      ...(answer.kind === "answer" && answer.code ? { code: answer.code } : {}),
    });
    return answer;
  }

  /** The emulator clock in unix seconds. */
  nowSeconds(): number {
    return Math.floor(this.config.clock() / 1000);
  }

  latencyFor(action: string | undefined): number {
    return action === undefined ? 0 : this.faults.latencyFor(action);
  }

  /**
   * Expires overdue flows. Skipped until the earliest deadline is reached, so a call costs O(1)
   * however many flows the emulator holds.
   */
  private sweep(events: WorldEvent[]): void {
    const now = Math.floor(this.config.clock() / 1000);
    if (now < this.world.earliestDeadline()) return;
    expireOverdue({ world: this.world, now, events });
  }

  /** Sends the callbacks of one batch of state changes. */
  publish(events: WorldEvent[]): void {
    if (events.length === 0) return;
    // Messages for an edition without a callback URL are counted, not built (keeps the bench cheap).
    const wanted = events.filter((e) => this.dispatcher.wants(e.owner.edition));
    for (const e of events) if (!this.dispatcher.wants(e.owner.edition)) this.dispatcher.skip(e.owner.edition);
    if (wanted.length > 0) this.dispatcher.enqueue(wanted.map(toCallbackMessage));
    this.config.onMutation?.();
  }

  /** Runs a simulated person's action (or the clock's) as one batch of state changes. */
  operate<T>(fn: (ctx: TransitionContext) => T): T {
    const timed: WorldEvent[] = [];
    this.sweep(timed);
    this.publish(timed);
    const ctx: TransitionContext = { world: this.world, now: Math.floor(this.config.clock() / 1000), events: [] };
    const out = fn(ctx);
    this.publish(ctx.events);
    return out;
  }

  setFaults(faults: Faults): void {
    this.faults.set(faults);
  }

  /** The state now: flows whose deadline passed are expired first. */
  state(flowGroupId?: string): StateView {
    const timed: WorldEvent[] = [];
    this.sweep(timed);
    this.publish(timed);
    return stateView(this.world, this.config.baseUrl(), flowGroupId);
  }

  stats(): EmulatorStats {
    const c = this.counters;
    const calls: Record<string, number> = {};
    for (const edition of ["ess", "essbasic"] as const)
      for (const [action, n] of Object.entries(c.calls[edition])) calls[action] = (calls[action] ?? 0) + n;
    return {
      calls,
      callsByEdition: { ess: { ...c.calls.ess }, essbasic: { ...c.calls.essbasic } },
      errors: { ...c.errors },
      groupsCreated: c.groupsCreated,
      hung: c.hung,
      callbacks: this.dispatcher.stats(),
    };
  }

  /** Back to the fixture: no groups, no uploads, no quota used, counters and faults as at start. */
  reset(): void {
    this.world.clear();
    this.blobs.clear();
    this.counters = EmulatorEngine.zeroCounters();
    this.limiter.reset();
    this.dispatcher.reset();
    this.deliveries.clear();
    this.faults.set(this.initialFaults);
    this.config.onReset?.();
  }

  close(): void {
    this.dispatcher.close();
  }
}
