/**
 * Runs in every test file (vitest `setupFiles`, after the PII scan): the structured log lines the
 * code under test writes to stdout or stderr (`{"level":…}`, one JSON object a line) go through
 * `console.log` instead, so vitest attributes them to the test that wrote them and, with
 * `silent: "passed-only"` (vitest.config.mts), shows them only when that test fails. A green run
 * prints no log lines; a red one prints the failing test's. Everything else is written as before.
 */
const LOG_LINE = /^\{"level":"(?:debug|info|warn|error)"/;

let inConsole = false;
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
    if (inConsole || text === undefined || !LOG_LINE.test(text)) return original(chunk, ...rest);
    inConsole = true;
    try {
      console.log(text.replace(/\n$/, ""));
    } finally {
      inConsole = false;
    }
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof stream.write;
}
