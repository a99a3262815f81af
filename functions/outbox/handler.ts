import { createSignedFileSource } from "../../shared/archive/signed-files";
import {
  readEssConfig,
  readLogLevel,
  readNotifyConfig,
  readOutboxMarking,
  readSections,
  readStoreConfig,
  type Env,
} from "../../shared/config/config";
import type { EssPort } from "../../shared/ess/port";
import { readerIdentity } from "../../shared/groups/identity";
import { groupView } from "../../shared/groups/views";
import { createLogger } from "../../shared/log/logger";
import { postNotification } from "../../shared/notify/delivery";
import { createObjectStore } from "../../shared/object-store";
import { drainOutbox, type OutboxDeps } from "../../shared/outbox/drain";
import { createStatusStore } from "../../shared/status-store";
import type { ScfContext } from "../../shared/http/scf-types";
import { deadlineWithin, remainingTimeMs } from "../../shared/http/time-budget";
import { isTimerEvent, startTimerHandler, type TimerEvent } from "../../shared/timer/timer-handler";

/** Time kept back at the end of a run for its last writes. */
const RUN_MARGIN_MS = 3_000;
/** A run's length when the runtime does not say (the function's timeout in serverless.yml is longer). */
const FALLBACK_RUN_MS = 50_000;
/**
 * A run that did work keeps polling this long after it (about one timer period, serverless.yml
 * fires every 5 s): during a signing session each burst of callbacks is picked up within the poll
 * interval rather than at the next tick.
 */
const LINGER_MS = 4_500;

/**
 * Composition root. The ESS SDK is loaded on the first archive only: a run that only delivers
 * notifications never loads it.
 */
export function compose(env: Env): OutboxDeps {
  const clock = () => new Date();
  const config = readSections(env, {
    store: readStoreConfig,
    notify: readNotifyConfig,
    marking: readOutboxMarking,
    logLevel: readLogLevel,
    // ESS is asked for signed PDFs only: without the archive, its settings are not needed.
    ess: (e: Env) => (readOutboxMarking(e).archive ? readEssConfig(e) : undefined),
  });
  const objects = createObjectStore(config.store);
  const { notify } = config;
  const essConfig = config.ess;
  const log = createLogger({ level: config.logLevel, bindings: { fn: "outbox" } });
  for (const warning of essConfig?.warnings ?? []) log.warn(warning, { startup: true });
  let ess: Promise<EssPort> | undefined;
  const loadEss = () => (ess ??= import("../../shared/ess/sdk-adapter").then((m) => m.createSdkEssAdapter(essConfig!)));
  return {
    objects,
    store: createStatusStore(objects, { clock }),
    view: (snapshot) => groupView(snapshot),
    notify: notify && { ...notify, post: postNotification },
    archive: essConfig && {
      files: createSignedFileSource(loadEss),
      identity: (snapshot) => snapshot.caller ?? readerIdentity(snapshot.edition, essConfig.identity),
    },
    clock,
    log,
  };
}

/**
 * The timer's handler: drains the outbox until it is idle or the run's time is up. Any other event
 * (a console test, the deploy checks' sample invocation) only shows that the function loads: to
 * drain by hand, invoke it with `{"Type":"Timer"}`.
 */
export function createHandler(deps: OutboxDeps) {
  return async (event: TimerEvent | undefined, context: ScfContext) => {
    if (!isTimerEvent(event)) return { ignored: 'not a timer event: invoke with {"Type":"Timer"} to drain' };
    const deadline = deadlineWithin(remainingTimeMs(context) ?? FALLBACK_RUN_MS, RUN_MARGIN_MS, deps.clock().getTime());
    return drainOutbox(deps, { deadline, lingerMs: LINGER_MS });
  };
}

export const main_handler = startTimerHandler("outbox", () => createHandler(compose(process.env)));
