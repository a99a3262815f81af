import { AppError } from "./app-error";

/** Refusals of who is asking: API keys (shared/auth) and the caller identity a request names. */

const REALM = 'Bearer realm="ess-flow-groups"';

/** No API key, an empty one, or one longer than any key. */
export class ApiKeyMissing extends AppError {
  constructor() {
    super("ApiKeyMissing", "An API key is required: send Authorization: Bearer <key> or x-api-key", {
      headers: { "WWW-Authenticate": REALM },
    });
  }
}

/** A key that is none of the configured ones. */
export class ApiKeyInvalid extends AppError {
  constructor() {
    super("ApiKeyInvalid", "The API key is not valid", { headers: { "WWW-Authenticate": `${REALM}, error="invalid_token"` } });
  }
}

/** A request naming a caller identity other than the one this deployment is pinned to act as. */
export class CallerIdentityRefused extends AppError {
  constructor(path: string, why: string) {
    super("CallerIdentityRefused", `${path} ${why}`);
  }
}
