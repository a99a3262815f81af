import type { ConfigError } from "../errors/config-error";
import type { ScfContext } from "../http/scf-types";
import { startOrRefuse } from "../http/start-handler";

/**
 * What a timer trigger passes an SCF function (SCF doc 583/9708): the trigger's name, the time it
 * fired and the trigger's optional argument (`Message`, up to 4 KB). Timer invocations are
 * asynchronous: nobody waits for the answer, SCF only logs it (and retries a failed run).
 */
export interface TimerEvent {
  Type?: string;
  TriggerName?: string;
  /** ISO time the timer fired, e.g. `2019-02-21T11:49:00Z`. */
  Time?: string;
  Message?: string;
}

/** Whether `event` is what a timer trigger sends (`Type` "Timer"; the docs show both cases). */
export function isTimerEvent(event: unknown): event is TimerEvent {
  const type = (event as TimerEvent | undefined)?.Type;
  return typeof type === "string" && type.toLowerCase() === "timer";
}

export type TimerHandler<R> = (event: TimerEvent, context: ScfContext) => Promise<R>;

/**
 * A timer function's `main_handler`, built at module load. A configuration error prints one line
 * naming the variables (never their values) and sets the exit code, as the HTTP functions do; each
 * run then fails with the same line, so SCF's log of every failed run says what to fix.
 */
export function startTimerHandler<R>(fn: string, build: () => TimerHandler<R>): TimerHandler<R> & { startupError?: ConfigError } {
  return startOrRefuse(fn, build, (line) => async (): Promise<R> => {
    throw new Error(line);
  });
}
