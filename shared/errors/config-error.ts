/**
 * A configuration that cannot run: every problem found, each naming its variable (never its value).
 * Not an answer to a request: a function that meets one at start prints one line and answers every
 * request with `FunctionMisconfigured` (shared/http/start-handler.ts).
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}
