import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { TimerEvent, TimerHandler } from "../shared/timer/timer-handler";
import type { DeployedFunction } from "./gateway/functions";

/**
 * The local stand-in for SCF timer triggers: each timer function of serverless.yml is loaded once
 * (like a container's cold start) and invoked on its trigger's period with the event SCF sends
 * (`{Type, TriggerName, Time, Message}`) and a context whose remaining time counts down from the
 * function's timeout. As on SCF, a tick does not wait for the previous run: overlapping runs are
 * the function's own business (the outbox's lease).
 */
export interface RunningTimers {
  timers: Array<{ fn: string; name: string; cronExpression: string; periodMs: number }>;
  /** Runs the timer functions once now (all of them) and waits for them. */
  runNow(): Promise<void>;
  /** Stops the ticks and waits (up to `maxWaitMs`) for runs in flight. */
  stop(maxWaitMs?: number): Promise<void>;
}

export interface TimerRunOptions {
  /** Overrides every timer's period (tests run the outbox every few hundred ms). */
  periodMs?: number;
  rootDir?: string;
  /** Told about each run that failed (the function threw). */
  onError?: (fn: string, error: unknown) => void;
}

export async function startTimers(functions: readonly DeployedFunction[], options: TimerRunOptions = {}): Promise<RunningTimers> {
  const rootDir = options.rootDir ?? process.cwd();
  const jobs: Array<{ fn: DeployedFunction; name: string; cronExpression: string; periodMs: number; invoke: TimerHandler<unknown> }> = [];
  for (const fn of functions) {
    if (fn.timers.length === 0) continue;
    const file = path.join(rootDir, "functions", fn.folder, "handler.ts");
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const invoke = mod[fn.exportName] as (TimerHandler<unknown> & { startupError?: Error }) | undefined;
    if (typeof invoke !== "function") throw new Error(`functions/${fn.folder}/handler.ts does not export ${fn.exportName}`);
    if (invoke.startupError) throw invoke.startupError;
    for (const timer of fn.timers) {
      jobs.push({ fn, ...timer, periodMs: options.periodMs ?? periodOfCron(timer.cronExpression), invoke });
    }
  }

  const inFlight = new Set<Promise<void>>();
  const run = (job: (typeof jobs)[number]): Promise<void> => {
    const started = Date.now();
    const limitMs = job.fn.timeoutSeconds * 1000;
    const event: TimerEvent = {
      Type: "Timer",
      TriggerName: job.name,
      Time: new Date(started).toISOString().replace(/\.\d+Z$/, "Z"),
      Message: "",
    };
    const context = {
      request_id: randomUUID(),
      function_name: job.fn.key,
      time_limit_in_ms: limitMs,
      getRemainingTimeInMillis: () => Math.max(0, limitMs - (Date.now() - started)),
    };
    const running = job.invoke(event, context).then(
      () => undefined,
      (error: unknown) => options.onError?.(job.fn.key, error),
    );
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
    return running;
  };
  const intervals = jobs.map((job) => setInterval(() => void run(job), job.periodMs));

  return {
    timers: jobs.map((j) => ({ fn: j.fn.key, name: j.name, cronExpression: j.cronExpression, periodMs: j.periodMs })),
    runNow: async () => {
      await Promise.all(jobs.map(run));
    },
    async stop(maxWaitMs = 15_000) {
      for (const interval of intervals) clearInterval(interval);
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
      await Promise.race([Promise.all(inFlight), cap]);
      clearTimeout(timer);
    },
  };
}

/**
 * The period of an SCF cron expression (seconds minute hour day month weekday year), as far as a
 * local stand-in needs it: `*\/N` seconds → N s, `*` seconds → 1 s, a fixed second with `*\/N` or `*`
 * minutes → N or 1 min; anything else runs once a minute.
 */
export function periodOfCron(cron: string): number {
  const [seconds = "", minutes = ""] = cron.trim().split(/\s+/);
  const every = (field: string) => (field === "*" ? 1 : /^\*\/(\d+)$/.test(field) ? Number(field.slice(2)) : undefined);
  const s = every(seconds);
  if (s !== undefined && s > 0) return s * 1000;
  const m = /^\d+$/.test(seconds) ? every(minutes) : undefined;
  return m !== undefined && m > 0 ? m * 60_000 : 60_000;
}
