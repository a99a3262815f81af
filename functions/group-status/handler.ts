import { authenticate } from "../../shared/auth/api-keys";
import { principalOf } from "../../shared/auth/ownership";
import {
  readAuthConfig,
  readEssConfig,
  readLogLevel,
  readOutboxMarking,
  readSections,
  readStoreConfig,
  type AuthConfig,
  type Env,
} from "../../shared/config/config";
import type { EssPort } from "../../shared/ess/port";
import { assertFlowGroupId, readGroupStatus, reconcileGroup, type GroupStatusDeps } from "../../shared/groups/group-status";
import { listGroups } from "../../shared/groups/list-groups";
import { eventView, groupView } from "../../shared/groups/views";
import { bindRoutes, createHttpHandler } from "../../shared/http/http-handler";
import { startHandler } from "../../shared/http/start-handler";
import { createLogger } from "../../shared/log/logger";
import { createObjectStore, withinRemaining } from "../../shared/object-store";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store";
import { routes } from "./routes";

type Deps = GroupStatusDeps & { auth: AuthConfig };

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
      const page = await listGroups(
        { query: request.query, principal: principalOf(request.event, deps.auth), deadline: withinRemaining(request.remainingTimeMs()).deadline },
        { ...deps, log: request.log },
      );
      return { statusCode: 200, body: { ...page, RequestId: request.requestId }, logFields: { listed: page.FlowGroups.length } };
    },
    async "group-status.get"(request) {
      const id = request.params.FlowGroupId;
      const principal = principalOf(request.event, deps.auth);
      const refresh = ["1", "true"].includes(request.query.refresh ?? "");
      if (!refresh) {
        const snapshot = await readGroupStatus(id!, deps, principal, withinRemaining(request.remainingTimeMs()));
        return { statusCode: 200, body: { ...groupView(snapshot, id), RequestId: request.requestId } };
      }
      const remaining = request.remainingTimeMs();
      const timeoutMs = remaining ? Math.max(1_000, remaining - 1_000) : undefined;
      const result = await reconcileGroup(id!, { ...deps, log: request.log }, { principal, timeoutMs });
      return {
        statusCode: 200,
        body: { ...groupView(result.snapshot, id), Reconciled: { EventsRecorded: result.recorded, EssRequestId: result.essRequestId }, RequestId: request.requestId },
        logFields: { essRequestId: result.essRequestId },
      };
    },
    async "group-status.events"(request) {
      const { flowGroupId } = await readGroupStatus(assertFlowGroupId(request.params.FlowGroupId), deps, principalOf(request.event, deps.auth));
      const events = await deps.store.listEvents(flowGroupId);
      return { statusCode: 200, body: { FlowGroupId: flowGroupId, Events: events.map(eventView), RequestId: request.requestId } };
    },
  });
  return createHttpHandler({ log: deps.log, routes: implementations, authenticate: (event) => authenticate(event, deps.auth) });
}

export const main_handler = startHandler("group-status", () => createHandler(compose(process.env)));
