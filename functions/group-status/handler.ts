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
import type { EssPort } from "../../shared/ess/port";
import { groupEvents, groupStatus, type GroupStatusDeps } from "../../shared/groups/group-status";
import { listGroups } from "../../shared/groups/list-groups";
import { bindRoutes, createHttpHandler } from "../../shared/http/http-handler";
import { startHandler } from "../../shared/http/start-handler";
import { callBudget } from "../../shared/http/time-budget";
import { createLogger } from "../../shared/log/logger";
import { createObjectStore } from "../../shared/object-store";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store";
import { routes } from "./routes";

/** Time kept back from the store reads and ESS's answer (`?refresh=1`) for answering. */
const RESPONSE_MARGIN_MS = 1_000;

type Deps = GroupStatusDeps & { auth: AuthSettings };

/** Composition root. The ESS client is built on the first `refresh`: plain reads never load the SDK. */
export function compose(env: Env): Deps {
  const clock = () => new Date();
  const config = readSections(env, {
    ess: readEssConfig,
    store: readStoreConfig,
    auth: readAuthConfig,
    logLevel: readLogLevel,
    marking: readOutboxMarking,
  });
  const essConfig = config.ess;
  const log = createLogger({ level: config.logLevel, bindings: { fn: "group-status" } });
  // Once per container: the composition runs when the container loads the module.
  for (const warning of essConfig.warnings) log.warn(warning, { startup: true });
  let ess: Promise<EssPort> | undefined;
  const objects = createObjectStore(config.store);
  return {
    auth: config.auth,
    store: withOutbox(createStatusStore(objects, { clock }), objects, config.marking, clock),
    ess: () => (ess ??= import("../../shared/ess/sdk-adapter").then((m) => m.createSdkEssAdapter(essConfig))),
    identity: essConfig.identity,
    clock,
    log,
  };
}

/** GET /flow-groups, GET /flow-groups/{FlowGroupId}[?refresh=1] and GET /flow-groups/{FlowGroupId}/events (see ./routes.ts). */
export function createHandler(deps: Deps) {
  const implementations = bindRoutes(routes, {
    async "group-status.list"(request) {
      const { deadline } = callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS);
      const page = await listGroups(
        { query: request.query, principal: principalOf(request.event, deps.auth), deadline },
        { ...deps, log: request.log },
      );
      return { statusCode: 200, body: { ...page, RequestId: request.requestId }, logFields: { listed: page.FlowGroups.length } };
    },
    async "group-status.get"(request) {
      const { timeoutMs, deadline } = callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS);
      const principal = principalOf(request.event, deps.auth);
      const answer = await groupStatus(
        { flowGroupId: request.params.FlowGroupId, query: request.query, principal, timeoutMs, deadline },
        { ...deps, log: request.log },
      );
      return {
        statusCode: 200,
        body: { ...answer, RequestId: request.requestId },
        logFields: { essRequestId: answer.Reconciled?.EssRequestId },
      };
    },
    async "group-status.events"(request) {
      const { deadline } = callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS);
      const answer = await groupEvents(
        { flowGroupId: request.params.FlowGroupId, principal: principalOf(request.event, deps.auth), deadline },
        deps,
      );
      return { statusCode: 200, body: { ...answer, RequestId: request.requestId } };
    },
  });
  return createHttpHandler({ log: deps.log, routes: implementations, authenticate: (event) => authenticate(event, deps.auth) });
}

export const main_handler = startHandler("group-status", () => createHandler(compose(process.env)));
