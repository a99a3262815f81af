import { ConfigError } from "../errors/config-error";
import { FunctionMisconfigured } from "../errors/request-errors";
import { errorResponse } from "./response";
import type { HttpEvent, IntegratedResponse, ScfContext, ScfHttpHandler } from "./scf-types";

/** A function's `main_handler`, and the configuration error that stopped it from starting, if any. */
export type StartedHandler = ScfHttpHandler & { startupError?: ConfigError };

/**
 * Builds a function's `main_handler` at module load (once per container, as SCF loads it).
 *
 * A configuration error does not escape as an exception: Node would print the throwing line of the
 * minified bundle (hundreds of KB) before the message. Instead it prints ONE line naming the
 * variables (never their values), sets the exit code to 1 (a bare `node -e 'require(bundle)'`
 * fails), and the handler answers every request with a generic 500 and logs the same line, so the
 * cause is next to every failed request in the function's log. Any other error at load is a bug
 * and is rethrown.
 */
export function startHandler(fn: string, build: () => ScfHttpHandler): StartedHandler {
  return startOrRefuse(fn, build, (line) => async (_event: HttpEvent, context: ScfContext): Promise<IntegratedResponse> => {
    process.stderr.write(`${line}\n`);
    return errorResponse(new FunctionMisconfigured(fn), context?.request_id ?? "unconfigured");
  });
}

/**
 * Builds a handler, or, when its configuration is invalid, prints one line naming the variables
 * (never their values), sets the exit code to 1 and returns `refuse(line)` instead: the one start
 * rule of every function, HTTP or timer. Any other error at load is a bug and is rethrown.
 */
export function startOrRefuse<H extends (...args: never[]) => unknown>(
  fn: string,
  build: () => H,
  refuse: (line: string) => H,
): H & { startupError?: ConfigError } {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const line = `${fn}: ${error.message}`;
    process.stderr.write(`${line}\n`);
    process.exitCode = 1;
    return Object.assign(refuse(line), { startupError: error });
  }
}
