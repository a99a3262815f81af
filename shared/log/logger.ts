import { maskDeep, maskText } from "./mask";

export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured logger: one JSON line per call, every field masked (see `mask.ts`). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `bindings` (request ids, route…) to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

export type LogSink = (line: string) => void;

/** Where log lines go unless a sink is given: stdout, which SCF ships to CLS. */
const stdoutSink: LogSink = (line) => {
  process.stdout.write(line + "\n");
};

let globalSinks: LogSink[] = [];

/**
 * Adds a sink that sees every line written by every logger of this process (used by the test
 * suite to scan all logs for personal data). Returns a function that removes it.
 */
export function tapLogs(sink: LogSink): () => void {
  globalSinks.push(sink);
  return () => {
    globalSinks = globalSinks.filter((s) => s !== sink);
  };
}

export function createLogger(options: { level?: LogLevel; sink?: LogSink; bindings?: Record<string, unknown> } = {}): Logger {
  const minRank = LEVEL_RANK[options.level ?? "info"];
  const sink = options.sink ?? stdoutSink;
  const bindings = options.bindings ?? {};

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVEL_RANK[level] < minRank) return;
    const record = maskDeep({ ...bindings, ...fields }) as Record<string, unknown>;
    const line = JSON.stringify({ level, time: new Date().toISOString(), msg: maskText(msg), ...record });
    sink(line);
    for (const tap of globalSinks) tap(line);
  };

  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (more) => createLogger({ level: options.level ?? "info", sink, bindings: { ...bindings, ...more } }),
  };
}

/** A logger that drops everything (unit tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ level: "error", sink: () => undefined });
