import { GroupNotRecorded, GroupNotSigned } from "../errors/group-errors";
import type { EssPort, ConfiguredIdentity } from "../ess/port";
import type { Logger } from "../log/logger";
import type { FlowArchive } from "../outbox/state";
import type { StatusStore } from "../status-store/port";
import { assertFlowGroupId, readGroupStatus } from "./group-status";
import { callerFor } from "./identity";

/**
 * A signed group's documents: each flow's signed PDF link from ESS (ess `DescribeFileUrls`, one
 * flow per call; essbasic `DescribeResourceUrlsByFlows`), with the time it stops working, and where
 * the outbox archived the PDF in the store (`archive/<FlowGroupId>/<FlowId>.pdf`).
 */

export interface GroupFilesDeps {
  ess: Pick<EssPort, "describeFileLinks">;
  store: Pick<StatusStore, "getGroup" | "groupOfFlow">;
  /** The outbox's record of the group's archived PDFs. */
  archived(flowGroupId: string): Promise<Record<string, FlowArchive>>;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

export interface FlowFiles {
  FlowId: string;
  FlowName?: string;
  /** ESS's download links for the signed PDF (one per file of the flow), each with its expiry. */
  Urls: Array<{ Url: string; ExpiresAt: string }>;
  /** Why ESS gave no link, when it gave none. */
  Error?: string;
  /** The copy kept in the store: `DONE` with its keys, size and SHA-256, `WAITING` (retrying), `FAILED`, or `NONE` yet. */
  Archive: {
    State: "DONE" | "WAITING" | "FAILED" | "NONE";
    Keys?: string[];
    Bytes?: number;
    Sha256?: string;
    ArchivedAt?: string;
    Attempts?: number;
    LastError?: string;
  };
}

export interface GroupFilesResponse {
  FlowGroupId: string;
  Status: "ALL";
  Files: FlowFiles[];
}

/** The signed documents of a group that is ALL (409 before: ESS has nothing signed to give yet). */
export async function groupFiles(
  input: { flowGroupId: string | undefined; timeoutMs?: number | undefined; principal?: string | undefined },
  deps: GroupFilesDeps,
): Promise<GroupFilesResponse> {
  const flowGroupId = assertFlowGroupId(input.flowGroupId);
  const group = await readGroupStatus(flowGroupId, deps, input.principal);
  if (!group.recorded) throw new GroupNotRecorded(group.flowGroupId);
  if (group.status !== "ALL") throw new GroupNotSigned(flowGroupId, group.status);
  const caller = callerFor(group, deps.identity);

  const calledAt = deps.clock().getTime();
  const [links, archived] = await Promise.all([
    deps.ess.describeFileLinks(
      caller,
      group.flows.map((f) => f.flowId),
      { timeoutMs: input.timeoutMs },
    ),
    deps.archived(flowGroupId),
  ]);
  const files = group.flows.map((flow): FlowFiles => {
    const link = links.find((l) => l.flowId === flow.flowId);
    const expiresAt = new Date(calledAt + (link?.ttlSeconds ?? 0) * 1000).toISOString();
    return {
      FlowId: flow.flowId,
      FlowName: flow.flowName,
      Urls: (link?.urls ?? []).map((url) => ({ Url: url, ExpiresAt: expiresAt })),
      Error: link?.urls.length ? undefined : (link?.error ?? "ESS gave no link"),
      Archive: archiveView(archived[flow.flowId]),
    };
  });
  deps.log.info("signed files listed", {
    flowGroupId,
    flows: files.length,
    archived: files.filter((f) => f.Archive.State === "DONE").length,
  });
  return { FlowGroupId: flowGroupId, Status: "ALL", Files: files };
}

function archiveView(entry: FlowArchive | undefined): FlowFiles["Archive"] {
  if (entry === undefined) return { State: "NONE" };
  if (entry.state === "done") {
    return { State: "DONE", Keys: entry.keys, Bytes: entry.bytes, Sha256: entry.sha256, ArchivedAt: entry.archivedAt };
  }
  return { State: entry.state === "failed" ? "FAILED" : "WAITING", Attempts: entry.attempts, LastError: entry.lastError };
}
