import { authenticate, type AuthSettings } from "../../shared/auth/api-keys";
import { readAuthConfig, readEssConfig, readLogLevel, readSections, type Env } from "../../shared/config/config";
import type { Edition } from "../../shared/ess/edition";
import { createSdkEssAdapter } from "../../shared/ess/sdk-adapter";
import { uploadFiles, type UploadFilesDeps } from "../../shared/files/upload-files";
import { readUploadRequest } from "../../shared/http/upload-request";
import { bindRoutes, createHttpHandler, type HttpRequest, type HttpResult } from "../../shared/http/http-handler";
import { startHandler } from "../../shared/http/start-handler";
import { callBudget } from "../../shared/http/time-budget";
import { createLogger } from "../../shared/log/logger";
import { routes } from "./routes";

/** Time kept back from the upload for answering. */
const RESPONSE_MARGIN_MS = 1_000;

type Deps = UploadFilesDeps & { auth: AuthSettings };

/** Composition root: real dependencies, built once per container from the environment. No store: an upload keeps nothing. */
export function compose(env: Env): Deps {
  const config = readSections(env, { ess: readEssConfig, auth: readAuthConfig, logLevel: readLogLevel });
  const log = createLogger({ level: config.logLevel, bindings: { fn: "upload-files" } });
  // Once per container: the composition runs when the container loads the module.
  for (const warning of config.ess.warnings) log.warn(warning, { startup: true });
  return { auth: config.auth, ess: createSdkEssAdapter(config.ess), identity: config.ess.identity, clock: () => new Date(), log };
}

/** POST /ess/files and POST /essbasic/files (see ./routes.ts). */
export function createHandler(deps: Deps) {
  const upload =
    (edition: Edition) =>
    async (request: HttpRequest): Promise<HttpResult> => {
      const answer = await uploadFiles(
        {
          edition,
          request: readUploadRequest(request.event, edition),
          timeoutMs: callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS).timeoutMs,
        },
        { ...deps, log: request.log },
      );
      return { statusCode: 200, body: answer, logFields: { essRequestId: answer.RequestId, files: answer.FileIds.length } };
    };
  return createHttpHandler({
    log: deps.log,
    routes: bindRoutes(routes, { "upload-files.ess": upload("ess"), "upload-files.essbasic": upload("essbasic") }),
    authenticate: (event) => authenticate(event, deps.auth),
  });
}

export const main_handler = startHandler("upload-files", () => createHandler(compose(process.env)));
