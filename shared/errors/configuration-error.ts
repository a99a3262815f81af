import { AppError } from "./app-error";

/**
 * A request reached a function whose configuration did not load. The caller gets a generic 500; the
 * function's log names the variables (never their values).
 */
export class FunctionMisconfiguredError extends AppError {
  constructor(fn: string) {
    super("InternalError.Configuration", 500, `Function ${fn} is misconfigured; its log names the setting to fix`);
    this.name = "FunctionMisconfiguredError";
  }
}
