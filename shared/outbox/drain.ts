import { createHash } from "node:crypto";
import type { SignedFileSource } from "../archive/signed-files";
import type { CallerIdentity } from "../ess/port";
import { parseJsonText } from "../json/json-text";
import { mapLimit } from "../lang/map-limit";
import type { Logger } from "../log/logger";
import { keySegment } from "../object-store/keys";
import type { ObjectStore } from "../object-store/port";
import type { GroupSnapshot } from "../status-store/model";
import type { StatusStore } from "../status-store/port";
import { isReceiverFailure, notificationHeaders, type PostNotification } from "../notify/delivery";
import { newEventId, notificationBody, statusFingerprint } from "../notify/event";
import { acquireLease, type Lease, type LeaseOptions } from "./lease";
import {
  CHANGES_PREFIX,
  isPlainSegment,
  outboxKeys,
  parseChangeKey,
  PENDING_PREFIX,
  pendingSegmentOf,
  RECORD_MARK,
  type ListedChange,
} from "./layout";
import { backoffMs, parseHealth, parseWork, type GroupWork, type ReceiverHealth } from "./state";

/**
 * The outbox drain: what the timer-triggered outbox function runs (docs/architecture.md, "Outbox").
 * One run at a time (a lease), in passes: list the change markers the other functions wrote beside
 * their events, read each changed group once, make a notification when its statuses changed (a
 * create-exclusive, numbered, immutable object), deliver each group's notifications in order with
 * backoff, fetch and archive the signed PDFs of flows that reached ALL, then delete the markers
 * handled. Everything a pass does is repeated safely by the next if the run dies midway. While a
 * pass finds work (a signing session), the run polls again after `pollMs`; an idle pass ends it.
 */

export interface OutboxDeps {
  objects: ObjectStore;
  /** Groups as group-status reads them; `groupOfFlow` for events that name only their flow. */
  store: Pick<StatusStore, "getGroup" | "groupOfFlow">;
  /** The group as `GET /flow-groups/{id}` answers it: the notification's `data`. */
  view(snapshot: GroupSnapshot): Record<string, unknown>;
  /** Push notifications; absent when `NOTIFY_URL` is not set. */
  notify?: { url: URL; secret: string; timeoutMs: number; post: PostNotification };
  /** Signed-PDF archive; absent when turned off. */
  archive?: { files: SignedFileSource; identity(snapshot: GroupSnapshot): CallerIdentity | undefined };
  clock: () => Date;
  log: Logger;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface DrainOptions {
  /** Epoch ms by which the run must have ended (the function's remaining time, less a margin). */
  deadline: number;
  /** Pause between passes while there is work (default 500 ms). */
  pollMs?: number;
  /**
   * How long a run that did work keeps polling after its last busy pass (default 0: it ends at the
   * first idle pass). A signing session's callbacks come in bursts a few seconds apart; a run that
   * lingers until about the next timer tick picks each burst up within `pollMs` instead of waiting
   * for the tick, and costs only a listing per poll.
   */
  lingerMs?: number;
  lease?: Omit<LeaseOptions, "now">;
}

export interface DrainReport {
  /**
   * `busy`: another run holds the lease, this one did nothing; `idle`: no marker and no pending group
   * was listed; `disabled`: nothing to drain (no notifications, no archive).
   */
  lease: "held" | "busy" | "idle" | "disabled";
  passes: number;
  /** Notifications made (one per observed change). */
  notified: number;
  delivered: number;
  failedAttempts: number;
  /** Flows whose signed PDFs were archived. */
  archived: number;
  archiveFailures: number;
  /** Change markers handled (deleted after their change was taken into account). */
  markersHandled: number;
  /** Markers given up on (their event never became part of a known group in time). */
  markersDropped: number;
}

/** How long a marker may wait for its event to show in its group before it is dropped (with a warning). */
export const MARKER_TTL_MS = 24 * 3600_000;
/** How long a marker of a flow with no known group waits for create-group to record the group. */
export const FLOW_JOIN_WINDOW_MS = 15 * 60_000;
/** ESS composes the signed PDF 1–3 s after the last signature: the first fetch waits this long. */
export const COMPOSE_DELAY_MS = 3_000;
/** After this long without a PDF, a flow's archive is given up (logged as an error, shown by the files route). */
export const ARCHIVE_GIVE_UP_MS = 3 * 24 * 3600_000;
/** Groups worked on at once in a pass. */
const GROUP_CONCURRENCY = 8;
/** Notifications delivered per group and pass (the rest waits for the next pass, in order). */
const DELIVERIES_PER_GROUP_PASS = 200;
/** Time kept for a download and its store write. */
const ARCHIVE_STEP_MS = 25_000;
const RECEIVER_BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 };
const EVENT_BACKOFF = { baseMs: 1_000, maxMs: 60 * 60_000 };
const ARCHIVE_BACKOFF = { baseMs: 2_000, maxMs: 10 * 60_000 };

/** The lease was lost (a long pause): the pass stops at once, the next run goes on. */
class LeaseLost extends Error {}

/** Runs passes until nothing is left to do now, the deadline, or the lease ends. */
export async function drainOutbox(deps: OutboxDeps, options: DrainOptions): Promise<DrainReport> {
  const report: DrainReport = {
    lease: "held",
    passes: 0,
    notified: 0,
    delivered: 0,
    failedAttempts: 0,
    archived: 0,
    archiveFailures: 0,
    markersHandled: 0,
    markersDropped: 0,
  };
  if (!deps.notify && !deps.archive) return { ...report, lease: "disabled" };
  // An idle tick costs two one-key listings and nothing else (no lease written).
  const [changes, pending] = await Promise.all([
    deps.objects.listPage(CHANGES_PREFIX, { limit: 1 }),
    deps.objects.listPage("outbox/pending/", { limit: 1 }),
  ]);
  if (changes.keys.length === 0 && pending.keys.length === 0) return { ...report, lease: "idle" };
  const now = () => deps.clock().getTime();
  const lease = await acquireLease(deps.objects, { ...options.lease, now });
  if (lease === undefined) return { ...report, lease: "busy" };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? 500;
  const lingerMs = options.lingerMs ?? 0;
  let lastBusy: number | undefined;
  try {
    while (now() < options.deadline) {
      report.passes++;
      const busy = await runPass(deps, lease, report, options.deadline);
      if (busy) lastBusy = now();
      const lingering = lastBusy !== undefined && now() - lastBusy < lingerMs;
      if ((!busy && !lingering) || now() + pollMs >= options.deadline) break;
      await sleep(pollMs);
    }
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    deps.log.warn("outbox drain stopped: its lease ended", { passes: report.passes });
  } finally {
    await lease.release();
  }
  return report;
}

interface GroupTask {
  flowGroupId: string;
  markers: ListedChange[];
}

/**
 * One pass. Returns whether another pass soon is worthwhile: it changed something, or markers are
 * still waiting for their events to show in their group (a callback in flight).
 */
async function runPass(deps: OutboxDeps, lease: Lease, report: DrainReport, deadline: number): Promise<boolean> {
  const { objects, log } = deps;
  const now = () => deps.clock().getTime();
  const health = parseHealth(deps.notify ? await objects.get(outboxKeys.receiver()) : undefined);
  const healthBefore = JSON.stringify(health);
  const receiver = receiverGate(health, deps.random);
  const [listedChanges, pendingNotify, pendingArchive] = await Promise.all([
    objects.list(CHANGES_PREFIX),
    // While the receiver's backoff runs, groups that only wait for delivery are not even read.
    deps.notify && !receiver.backingOff(now()) ? objects.list(PENDING_PREFIX.notify) : Promise.resolve([]),
    deps.archive ? objects.list(PENDING_PREFIX.archive) : Promise.resolve([]),
  ]);

  const tasks = new Map<string, GroupTask>();
  const task = (flowGroupId: string) => {
    let t = tasks.get(flowGroupId);
    if (t === undefined) tasks.set(flowGroupId, (t = { flowGroupId, markers: [] }));
    return t;
  };
  const before = { ...report };
  const flowGroups = new Map<string, Promise<string | undefined>>();
  let waiting = 0;
  await mapLimit(listedChanges, GROUP_CONCURRENCY, async (key) => {
    const change = parseChangeKey(key);
    if (change === undefined) return;
    const ids = isPlainSegment(change.segment) ? undefined : markerIds(await objects.get(key));
    if (change.scope === "g") {
      const flowGroupId = isPlainSegment(change.segment) ? change.segment : ids?.flowGroupId;
      if (flowGroupId !== undefined) task(flowGroupId).markers.push(change);
      return;
    }
    const flowId = isPlainSegment(change.segment) ? change.segment : ids?.flowId;
    if (flowId === undefined) return;
    if (!flowGroups.has(flowId)) flowGroups.set(flowId, deps.store.groupOfFlow(flowId));
    const flowGroupId = await flowGroups.get(flowId)!;
    if (flowGroupId !== undefined) {
      task(flowGroupId).markers.push(change);
    } else if (now() - change.atMs > FLOW_JOIN_WINDOW_MS) {
      // The group was never recorded here (a flow created elsewhere, or a group whose create failed):
      // when create-group records it later, its own marker brings every joined event along.
      await objects.delete(key);
      report.markersDropped++;
    } else {
      waiting++;
    }
  });
  const listedPending = { notify: new Set<string>(), archive: new Set<string>() };
  for (const [kind, keys] of [
    ["notify", pendingNotify],
    ["archive", pendingArchive],
  ] as const) {
    for (const key of keys) {
      const segment = pendingSegmentOf(key);
      if (segment === undefined) continue;
      const flowGroupId = isPlainSegment(segment) ? segment : markerIds(await objects.get(key))?.flowGroupId;
      if (flowGroupId === undefined) continue;
      listedPending[kind].add(flowGroupId);
      task(flowGroupId);
    }
  }

  // A lost lease stops every worker at its next step; the pass ends (and the lease is released) only
  // once none is still writing.
  let lost = false;
  const results = await mapLimit([...tasks.values()], GROUP_CONCURRENCY, async (t) => {
    if (lost || deps.clock().getTime() >= deadline) return 0;
    try {
      if (!(await lease.ensure(5_000))) throw new LeaseLost();
      return await workOnGroup(deps, { lease, report, receiver, listedPending, lost: () => lost }, t);
    } catch (error) {
      if (!(error instanceof LeaseLost)) throw error;
      lost = true;
      return 0;
    }
  });
  if (lost) throw new LeaseLost();
  waiting += results.reduce((a, b) => a + b, 0);

  if (deps.notify && JSON.stringify(health) !== healthBefore) await objects.put(outboxKeys.receiver(), JSON.stringify(health));
  const changed = (Object.keys(before) as Array<keyof DrainReport>).some((k) => before[k] !== report[k]);
  if (changed) log.info("outbox pass", { ...report, waiting });
  return changed || waiting > 0;
}

interface PassContext {
  lease: Lease;
  /** Whether another worker of this pass lost the lease. */
  lost(): boolean;
  report: DrainReport;
  receiver: ReturnType<typeof receiverGate>;
  listedPending: { notify: Set<string>; archive: Set<string> };
}

/** Handles one group; returns how many of its markers still wait for their events to show. */
async function workOnGroup(deps: OutboxDeps, pass: PassContext, t: GroupTask): Promise<number> {
  const { objects, log } = deps;
  const { flowGroupId, markers } = t;
  const now = deps.clock().getTime();
  const [stateText, snapshot] = await Promise.all([objects.get(outboxKeys.state(flowGroupId)), deps.store.getGroup(flowGroupId)]);
  const work = parseWork(stateText, flowGroupId);
  const saved = JSON.stringify(work);

  const handled: ListedChange[] = [];
  const expired: ListedChange[] = [];
  if (snapshot === undefined) {
    expired.push(...markers.filter((m) => now - m.atMs > MARKER_TTL_MS));
  } else {
    const included = new Set(snapshot.includedMsgIds.map((msgId) => keySegment(msgId)));
    for (const marker of markers) {
      if (marker.msgSegment === RECORD_MARK ? snapshot.recorded : included.has(marker.msgSegment)) handled.push(marker);
      else if (now - marker.atMs > MARKER_TTL_MS) expired.push(marker);
    }
    if (deps.notify) await makeNotification(deps, work, snapshot, pass.report);
    if (deps.archive) noteSignedFlows(work, snapshot, now);
    if (deps.notify) await deliver(deps, pass, work);
    if (deps.archive) await archiveDue(deps, pass, work, snapshot);
  }

  if (JSON.stringify(work) !== saved) await objects.put(outboxKeys.state(flowGroupId), JSON.stringify(work));
  await syncPending(deps.objects, pass.listedPending, work);
  // Deleted last: a marker outlives every write its change caused, so a run that dies repeats them.
  await Promise.all([...handled, ...expired].map((m) => objects.delete(m.key)));
  pass.report.markersHandled += handled.length;
  pass.report.markersDropped += expired.length;
  for (const m of expired) log.warn("outbox marker dropped: its event never showed in the group", { flowGroupId, msg: m.msgSegment });
  return markers.length - handled.length - expired.length;
}

/** Makes the next notification when the group's statuses differ from the last one's. */
async function makeNotification(deps: OutboxDeps, work: GroupWork, snapshot: GroupSnapshot, report: DrainReport): Promise<void> {
  const fingerprint = statusFingerprint(snapshot);
  for (let guard = 0; fingerprint !== work.notify.fingerprint && guard < 1_000; guard++) {
    const sequence = work.notify.head + 1;
    const key = outboxKeys.notification(work.flowGroupId, sequence);
    const id = newEventId();
    const body = notificationBody(id, sequence, deps.clock(), deps.view(snapshot));
    if (await deps.objects.createExclusive(key, JSON.stringify({ id, fingerprint, body }))) {
      work.notify.head = sequence;
      work.notify.fingerprint = fingerprint;
      report.notified++;
      return;
    }
    // Made by a run that died before saving the state: it is kept (it may have been delivered).
    const existing = parseSlot(await deps.objects.get(key));
    work.notify.head = sequence;
    work.notify.fingerprint = existing?.fingerprint ?? "";
  }
}

/** Delivers the group's notifications in order, from the first one not acknowledged. */
async function deliver(deps: OutboxDeps, pass: PassContext, work: GroupWork): Promise<void> {
  const notify = deps.notify!;
  const state = work.notify;
  for (let sent = 0; state.delivered < state.head && sent < DELIVERIES_PER_GROUP_PASS; sent++) {
    const now = deps.clock().getTime();
    if ((state.nextAttemptAt ?? 0) > now || !pass.receiver.mayTry(now)) return;
    if (pass.lost() || !(await pass.lease.ensure(notify.timeoutMs + 2_000))) throw new LeaseLost();
    const sequence = state.delivered + 1;
    const slot = parseSlot(await deps.objects.get(outboxKeys.notification(work.flowGroupId, sequence)));
    if (slot === undefined) {
      // Only a deleted or damaged object can do this; the sequence is skipped rather than blocking the group.
      deps.log.error("notification missing from the store; skipped", { flowGroupId: work.flowGroupId, sequence });
      state.delivered = sequence;
      continue;
    }
    const started = deps.clock().getTime();
    const outcome = await notify.post(notify.url, slot.body, notificationHeaders(slot.body, notify.secret, started), notify.timeoutMs);
    pass.receiver.record(outcome, deps.clock().getTime());
    state.lastStatus = outcome.status;
    if (outcome.ok) {
      state.delivered = sequence;
      state.attempts = 0;
      state.nextAttemptAt = undefined;
      state.lastError = undefined;
      pass.report.delivered++;
      continue;
    }
    state.attempts++;
    state.lastError = outcome.error ?? `HTTP ${outcome.status}`;
    pass.report.failedAttempts++;
    // A refusal of this event (a 4xx) makes only this group wait; the receiver's own trouble makes all wait.
    if (!isReceiverFailure(outcome)) {
      state.nextAttemptAt = now + backoffMs(state.attempts, EVENT_BACKOFF.baseMs, EVENT_BACKOFF.maxMs, deps.random);
    }
    deps.log.warn("notification not delivered", {
      flowGroupId: work.flowGroupId,
      sequence,
      eventId: slot.id,
      attempt: state.attempts,
      status: outcome.status,
      error: outcome.error,
    });
    return;
  }
}

/** Flows newly seen ALL start waiting for their signed PDF (composed by ESS a moment after the last signature). */
function noteSignedFlows(work: GroupWork, snapshot: GroupSnapshot, now: number): void {
  for (const flow of snapshot.flows) {
    if (flow.status !== "ALL" || work.archive[flow.flowId] !== undefined) continue;
    work.archive[flow.flowId] = { state: "waiting", dueAt: now + COMPOSE_DELAY_MS, attempts: 0, since: now };
  }
}

/** Fetches and stores the signed PDFs whose time has come; failures wait with backoff. */
async function archiveDue(deps: OutboxDeps, pass: PassContext, work: GroupWork, snapshot: GroupSnapshot): Promise<void> {
  const archive = deps.archive!;
  const now = deps.clock().getTime();
  const due = Object.entries(work.archive)
    .filter(([, a]) => a.state === "waiting" && (a.dueAt ?? 0) <= now)
    .map(([flowId]) => flowId);
  if (due.length === 0) return;
  const fail = (flowId: string, why: string) => {
    const entry = work.archive[flowId]!;
    entry.attempts++;
    entry.lastError = why;
    const at = deps.clock().getTime();
    if (at - entry.since > ARCHIVE_GIVE_UP_MS) {
      entry.state = "failed";
      entry.dueAt = undefined;
      deps.log.error("signed PDF not archived; given up", { flowGroupId: work.flowGroupId, flowId, attempts: entry.attempts, reason: why });
    } else {
      entry.dueAt = at + backoffMs(entry.attempts, ARCHIVE_BACKOFF.baseMs, ARCHIVE_BACKOFF.maxMs, deps.random);
      const fields = { flowGroupId: work.flowGroupId, flowId, attempt: entry.attempts, reason: why };
      deps.log.warn("signed PDF not archived yet; will retry", fields);
    }
    pass.report.archiveFailures++;
  };

  const identity = archive.identity(snapshot);
  if (identity === undefined) {
    for (const flowId of due) fail(flowId, "no caller identity to ask ESS with (the group has no recorded creator and none is configured)");
    return;
  }
  if (pass.lost() || !(await pass.lease.ensure(ARCHIVE_STEP_MS))) throw new LeaseLost();
  let links: Awaited<ReturnType<typeof archive.files.fileLinks>>;
  try {
    links = await archive.files.fileLinks(identity, due, { timeoutMs: 10_000 });
  } catch (error) {
    for (const flowId of due) fail(flowId, `file links: ${error instanceof Error ? error.message : "failed"}`);
    return;
  }
  for (const flowId of due) {
    const link = links.find((l) => l.flowId === flowId);
    if (link === undefined || link.urls.length === 0) {
      fail(flowId, link?.error ?? "ESS gave no link");
      continue;
    }
    if (pass.lost() || !(await pass.lease.ensure(ARCHIVE_STEP_MS))) throw new LeaseLost();
    try {
      const keys: string[] = [];
      let bytes = 0;
      let sha256: string | undefined;
      for (const [i, url] of link.urls.entries()) {
        const pdf = await archive.files.download(url, { timeoutMs: 20_000 });
        const key = outboxKeys.archive(work.flowGroupId, flowId, i + 1);
        await deps.objects.put(key, pdf, { contentType: "application/pdf" });
        keys.push(key);
        bytes += pdf.length;
        sha256 ??= createHash("sha256").update(pdf).digest("hex");
      }
      const entry = work.archive[flowId]!;
      const archivedAt = deps.clock().toISOString();
      work.archive[flowId] = { state: "done", attempts: entry.attempts + 1, since: entry.since, keys, bytes, sha256, archivedAt };
      pass.report.archived++;
    } catch (error) {
      fail(flowId, error instanceof Error ? error.message : "download failed");
    }
  }
}

/** Keeps `outbox/pending/*` in step with what the group still needs. */
async function syncPending(objects: ObjectStore, listed: PassContext["listedPending"], work: GroupWork): Promise<void> {
  const needs = {
    notify: work.notify.delivered < work.notify.head,
    archive: Object.values(work.archive).some((a) => a.state === "waiting"),
  };
  await Promise.all(
    (["notify", "archive"] as const).map(async (kind) => {
      const key = outboxKeys.pending(kind, work.flowGroupId);
      if (needs[kind] && !listed[kind].has(work.flowGroupId)) await objects.put(key, JSON.stringify({ flowGroupId: work.flowGroupId }));
      if (!needs[kind] && listed[kind].has(work.flowGroupId)) await objects.delete(key);
    }),
  );
}

/**
 * The receiver's backoff across groups: while it is failing, nothing is sent until `openUntil`, then
 * one attempt at a time probes it; the first success lets every group go on.
 */
function receiverGate(health: ReceiverHealth, random?: () => number) {
  let probing = false;
  return {
    /** Whether the receiver's backoff is running (nothing may be sent before `openUntil`). */
    backingOff: (now: number): boolean => health.failures > 0 && now < (health.openUntil ?? 0),
    /** Whether one more attempt may start now (while probing a failed receiver, one at a time). */
    mayTry(now: number): boolean {
      if (health.failures === 0) return true;
      if (now < (health.openUntil ?? 0) || probing) return false;
      probing = true;
      return true;
    },
    record(outcome: { ok: boolean; status?: number; error?: string }, now: number): void {
      probing = false;
      if (outcome.ok) {
        health.failures = 0;
        health.openUntil = undefined;
        health.lastError = undefined;
      } else if (isReceiverFailure(outcome)) {
        health.failures++;
        health.openUntil = now + backoffMs(health.failures, RECEIVER_BACKOFF.baseMs, RECEIVER_BACKOFF.maxMs, random);
        health.lastError = outcome.error ?? `HTTP ${outcome.status}`;
      }
    },
  };
}

function parseSlot(text: string | undefined): { id: string; fingerprint: string; body: string } | undefined {
  const value = parseJsonText(text) as { id?: unknown; fingerprint?: unknown; body?: unknown } | undefined;
  return typeof value?.id === "string" && typeof value.fingerprint === "string" && typeof value.body === "string"
    ? { id: value.id, fingerprint: value.fingerprint, body: value.body }
    : undefined;
}

function markerIds(text: string | undefined): { flowGroupId?: string; flowId?: string } | undefined {
  const value = parseJsonText(text) as { flowGroupId?: unknown; flowId?: unknown } | undefined;
  if (value === undefined) return undefined;
  return {
    flowGroupId: typeof value.flowGroupId === "string" && value.flowGroupId !== "" ? value.flowGroupId : undefined,
    flowId: typeof value.flowId === "string" && value.flowId !== "" ? value.flowId : undefined,
  };
}
