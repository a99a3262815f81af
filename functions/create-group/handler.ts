import { authenticate, principalOf, type AuthSettings } from "../../shared/auth/api-keys";
import {
  readAuthConfig,
  readEssConfig,
  readIdempotencyConfig,
  readLogLevel,
  readOutboxMarking,
  readSections,
  readStoreConfig,
  type Env,
} from "../../shared/config/config";
import type { Edition } from "../../shared/ess/edition";
import { createSdkEssAdapter } from "../../shared/ess/sdk-adapter";
import { createGroupIdempotently, type CreateGroupDeps } from "../../shared/groups/create-group";
import { identityWarnings } from "../../shared/groups/identity";
import { bindRoutes, createHttpHandler, type HttpRequest, type HttpResult } from "../../shared/http/http-handler";
import { parseJsonRequest } from "../../shared/http/content-type";
import { header } from "../../shared/http/request";
import { startHandler } from "../../shared/http/start-handler";
import { callBudget } from "../../shared/http/time-budget";
import { createIdempotency } from "../../shared/idempotency/idempotency";
import { createLogger } from "../../shared/log/logger";
import { createObjectStore } from "../../shared/object-store";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store";
import { routes } from "./routes";
import { MAX_CREATE_BODY_BYTES } from "../../shared/validation/limits";

/** Time kept back from the ESS call for writing the group record and answering. */
const RESPONSE_MARGIN_MS = 1_500;

type Deps = CreateGroupDeps & { auth: AuthSettings };

/** Where a PDF posted here belongs. */
const FILES_HINT: Record<Edition, string> = {
  ess: "upload PDFs with POST /ess/files first and put the FileIds it answers in FlowGroupInfos[].FileIds",
  essbasic: "upload PDFs with POST /essbasic/files first and put the FileIds it answers in FlowFileInfos[].FileIds",
};

/** Composition root: real dependencies, built once per container from the environment. */
export function compose(env: Env): Deps {
  const clock = () => new Date();
  const config = readSections(env, {
    ess: readEssConfig,
    store: readStoreConfig,
    auth: readAuthConfig,
    idempotency: readIdempotencyConfig,
    logLevel: readLogLevel,
    marking: readOutboxMarking,
  });
  const { ess } = config;
  const objects = createObjectStore(config.store);
  const log = createLogger({ level: config.logLevel, bindings: { fn: "create-group" } });
  // Once per container: the composition runs when the container loads the module.
  for (const warning of [...identityWarnings(ess.identity), ...ess.warnings]) log.warn(warning, { startup: true });
  return {
    auth: config.auth,
    ess: createSdkEssAdapter(ess),
    store: withOutbox(createStatusStore(objects, { clock }), objects, config.marking, clock),
    idempotency: createIdempotency(objects, config.idempotency),
    identity: ess.identity,
    clock,
    log,
  };
}

/** POST /ess/flow-groups and POST /essbasic/flow-groups (see ./routes.ts). */
export function createHandler(deps: Deps) {
  const create =
    (edition: Edition) =>
    async (request: HttpRequest): Promise<HttpResult> => {
      const { response, replayed } = await createGroupIdempotently(
        {
          edition,
          body: parseJsonRequest(request.event, MAX_CREATE_BODY_BYTES[edition], FILES_HINT[edition]),
          scfRequestId: request.requestId,
          principal: principalOf(request.event, deps.auth),
          idempotencyKey: header(request.event, "idempotency-key"),
          timeoutMs: callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS).timeoutMs,
        },
        { ...deps, log: request.log },
      );
      return {
        statusCode: 200,
        body: response,
        headers: replayed ? { "Idempotent-Replayed": "true" } : undefined,
        logFields: { essRequestId: response.RequestId, flowGroupId: response.FlowGroupId, replayed },
      };
    };
  return createHttpHandler({
    log: deps.log,
    routes: bindRoutes(routes, { "create-group.ess": create("ess"), "create-group.essbasic": create("essbasic") }),
    authenticate: (event) => authenticate(event, deps.auth),
  });
}

export const main_handler = startHandler("create-group", () => createHandler(compose(process.env)));
