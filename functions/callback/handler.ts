import {
  callbackWarnings,
  readCallbackConfig,
  readLogLevel,
  readOutboxMarking,
  readSections,
  readStoreConfig,
  type Env,
} from "../../shared/config/config";
import { receiveCallback, type ReceiveCallbackDeps } from "../../shared/callback/receive-callback";
import { bindRoutes, createHttpHandler } from "../../shared/http/http-handler";
import { header, rawBody } from "../../shared/http/request";
import { startHandler } from "../../shared/http/start-handler";
import { callBudget } from "../../shared/http/time-budget";
import { createLogger } from "../../shared/log/logger";
import { createObjectStore } from "../../shared/object-store";
import { withOutbox } from "../../shared/outbox/marks";
import { createStatusStore } from "../../shared/status-store";
import { routes } from "./routes";

/** Time kept back from storing a callback for answering (a 503 in time makes ESS retry). */
const RESPONSE_MARGIN_MS = 500;

/** Composition root: real dependencies, built once per container from the environment. */
export function compose(env: Env): ReceiveCallbackDeps {
  const clock = () => new Date();
  const { config, store, logLevel, marking } = readSections(env, {
    config: readCallbackConfig,
    store: readStoreConfig,
    logLevel: readLogLevel,
    marking: readOutboxMarking,
  });
  const log = createLogger({ level: logLevel, bindings: { fn: "callback" } });
  // Once per container: the composition runs when the container loads the module.
  for (const warning of callbackWarnings(config)) log.warn(warning, { startup: true });
  const objects = createObjectStore(store);
  return { config, store: withOutbox(createStatusStore(objects, { clock }), objects, marking, clock), clock, log };
}

/** POST /ess/callbacks, for both editions (see ./routes.ts). */
export function createHandler(deps: ReceiveCallbackDeps) {
  return createHttpHandler({
    log: deps.log,
    routes: bindRoutes(routes, {
      async callback(request) {
        const result = await receiveCallback(
          {
            body: rawBody(request.event),
            contentSignature: header(request.event, "content-signature"),
            query: request.query,
            deadline: callBudget(request.remainingTimeMs(), RESPONSE_MARGIN_MS).deadline,
          },
          { ...deps, log: request.log },
        );
        const first = result.events[0];
        return {
          statusCode: 200,
          body: { Result: result.outcome, RequestId: request.requestId },
          logFields: { outcome: result.outcome, msgId: first?.msgId, msgType: first?.msgType },
        };
      },
    }),
  });
}

export const main_handler = startHandler("callback", () => createHandler(compose(process.env)));
