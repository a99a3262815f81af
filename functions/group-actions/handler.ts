import { authenticate, principalOf, type AuthSettings } from "../../shared/auth/api-keys";
import {
  readAuthConfig,
  readEssConfig,
  readLogLevel,
  readOutboxMarking,
  readSections,
  readStoreConfig,
  type Env,
} from "../../shared/config/config";
import { createSdkEssAdapter } from "../../shared/ess/sdk-adapter";
import { cancelGroup } from "../../shared/groups/cancel-group";
import { groupFiles, type GroupFilesDeps } from "../../shared/groups/group-files";
import { remindGroup } from "../../shared/groups/remind-group";
import { createSignUrls, type SignUrlsDeps } from "../../shared/groups/sign-urls";
import { parseOptionalJsonRequest } from "../../shared/http/content-type";
import type { EssPort } from "../../shared/ess/port";
import { bindRoutes, createHttpHandler, type HttpRequest } from "../../shared/http/http-handler";
import { startHandler } from "../../shared/http/start-handler";
import { callBudget } from "../../shared/http/time-budget";
import { createLogger } from "../../shared/log/logger";
import { createObjectStore } from "../../shared/object-store";
import { withOutbox } from "../../shared/outbox/marks";
import { readArchiveState } from "../../shared/outbox/state";
import { createStatusStore, type StatusStore } from "../../shared/status-store";
import { routes } from "./routes";

/** Time kept back from the ESS calls for answering. */
const RESPONSE_MARGIN_MS = 1_000;
/** The largest body a group action takes (a few fields). */
const MAX_BODY_BYTES = 16 * 1024;

type Deps = SignUrlsDeps & GroupFilesDeps & { ess: EssPort; store: StatusStore; auth: AuthSettings };

/** Composition root: real dependencies, built once per container from the environment. */
export function compose(env: Env): Deps {
  const clock = () => new Date();
  const config = readSections(env, {
    ess: readEssConfig,
    store: readStoreConfig,
    auth: readAuthConfig,
    logLevel: readLogLevel,
    marking: readOutboxMarking,
  });
  const log = createLogger({ level: config.logLevel, bindings: { fn: "group-actions" } });
  // Once per container: the composition runs when the container loads the module.
  for (const warning of config.ess.warnings) log.warn(warning, { startup: true });
  const objects = createObjectStore(config.store);
  return {
    auth: config.auth,
    ess: createSdkEssAdapter(config.ess),
    store: withOutbox(createStatusStore(objects, { clock }), objects, config.marking, clock),
    archived: (flowGroupId) => readArchiveState(objects, flowGroupId),
    identity: config.ess.identity,
    clock,
    log,
  };
}

/** POST …/sign-urls, POST …/cancel, POST …/remind, GET …/files of /flow-groups/{FlowGroupId} (see ./routes.ts). */
export function createHandler(deps: Deps) {
  const input = (request: HttpRequest, body = true) => ({
    flowGroupId: request.params.FlowGroupId,
    body: body ? parseOptionalJsonRequest(request.event, MAX_BODY_BYTES) : undefined,
    timeoutMs: callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS).timeoutMs,
    principal: principalOf(request.event, deps.auth),
  });
  const implementations = bindRoutes(routes, {
    async "group-actions.sign-urls"(request) {
      const answer = await createSignUrls(input(request), { ...deps, log: request.log });
      return {
        statusCode: 200,
        body: { ...answer, RequestId: request.requestId },
        logFields: { flowGroupId: answer.FlowGroupId, links: answer.SignUrls.length, failed: answer.Errors?.length ?? 0 },
      };
    },
    async "group-actions.cancel"(request) {
      const answer = await cancelGroup(input(request), { ...deps, log: request.log });
      return { statusCode: 200, body: { ...answer, RequestId: request.requestId }, logFields: { flowGroupId: answer.FlowGroupId } };
    },
    async "group-actions.remind"(request) {
      const answer = await remindGroup(input(request), { ...deps, log: request.log });
      return { statusCode: 200, body: { ...answer, RequestId: request.requestId }, logFields: { flowGroupId: answer.FlowGroupId } };
    },
    async "group-actions.files"(request) {
      const answer = await groupFiles(input(request, false), { ...deps, log: request.log });
      return { statusCode: 200, body: { ...answer, RequestId: request.requestId }, logFields: { flowGroupId: answer.FlowGroupId } };
    },
  });
  return createHttpHandler({ log: deps.log, routes: implementations, authenticate: (event) => authenticate(event, deps.auth) });
}

export const main_handler = startHandler("group-actions", () => createHandler(compose(process.env)));
