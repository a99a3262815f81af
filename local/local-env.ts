import { CONFIG_VARIABLES } from "../shared/config/config";

/**
 * Local commands run on their own settings. Every variable the functions read is listed in
 * `CONFIG_VARIABLES`; a deployer's shell may export any of them (`API_KEY_HASHES`,
 * `ESS_OPERATOR_USER_ID`, `STORE=cos`, `ESS_ENDPOINT`, …), which would make the local stack answer
 * 401/403 or call Tencent Cloud. These helpers remove them before the local functions load.
 */

/** Settings a local command may keep from the shell when `keepLocal` is set: the store folder, its flushing, the log level. */
const LOCAL_SETTINGS = new Set([
  "LOG_LEVEL",
  ...Object.entries(CONFIG_VARIABLES)
    .filter(([, v]) => v.deploy === "local-only")
    .map(([k]) => k),
]);

/**
 * Removes the functions' settings from `env` (all of them, or only the deploy ones with
 * `keepLocal`) and returns the names of those that were set to something, sorted.
 */
export function clearDeploySettings(env: NodeJS.ProcessEnv, options: { keepLocal?: boolean } = {}): string[] {
  const ignored: string[] = [];
  for (const name of Object.keys(CONFIG_VARIABLES)) {
    if ((options.keepLocal && LOCAL_SETTINGS.has(name)) || env[name] === undefined) continue;
    if (env[name]!.trim() !== "") ignored.push(name);
    delete env[name];
  }
  return ignored.sort();
}
