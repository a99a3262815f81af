import { clearDeploySettings } from "../../local/local-env";

/**
 * Runs before every test file (vitest `setupFiles`): the suite runs on its own settings, whatever
 * the shell exports (a deployer's `API_KEY_HASHES`, `STORE=cos`, `ESS_ENDPOINT`, `AUTH_DISABLED`…).
 * Each test sets what it needs.
 */
clearDeploySettings(process.env);
