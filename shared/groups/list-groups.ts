import { mayRead, ownerIdOf } from "../auth/ownership";
import type { Issue } from "../errors/app-error";
import { ValidationError } from "../errors/request-errors";
import { mapLimit } from "../lang/map-limit";
import type { Logger } from "../log/logger";
import type { GroupSnapshot, GroupStatus } from "../status-store/model";
import type { FlowStatus } from "../ess/status-codes";
import type { StatusStore } from "../status-store/port";
import { LIST_CURSOR, LIST_CURSOR_NAME } from "../text/input-patterns";

/**
 * `GET /flow-groups?status=PART&limit=50&cursor=…`: the caller's groups, newest first, a page at a
 * time, optionally only those in some statuses.
 *
 * The order comes from an index written when create-group records a group (one create-exclusive
 * object per group, in the same round trip as the record: `owners/<owner>/groups/` for the key that
 * created it, `created/` for all); each listed group's status is read as `GET /flow-groups/{id}`
 * reads it, and the status filter applies to that. A page examines at most `MAX_SCANNED` groups:
 * with a filter that few groups match, a page can hold fewer than `limit` groups (even none) and
 * still have a `NextCursor`. Go on while there is one.
 *
 * On COS, a listing is eventually consistent: a group created a moment ago may be missing from the
 * first page until COS lists it (COS states no bound; seconds in practice). It is never skipped for
 * good: it sorts first, so the next first page shows it, and a cursor never passes over it (cursors
 * move only towards older groups).
 */
export const LIST_LIMITS = { default: 20, max: 100 } as const;
/** Groups examined for one page at most (each one is a status read). */
export const MAX_SCANNED = 200;
/** Status reads in flight at once. */
const READ_CONCURRENCY = 16;

const GROUP_STATUSES: readonly GroupStatus[] = ["INIT", "PART", "ALL", "REJECT", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"];

export interface ListGroupsDeps {
  store: Pick<StatusStore, "listGroups" | "getGroup">;
  log: Logger;
}

export interface ListGroupsInput {
  query: Record<string, string>;
  /** The caller's key digest; undefined when authentication is disabled (every group is listed). */
  principal?: string;
  deadline?: number;
}

export interface GroupListItem {
  FlowGroupId: string;
  FlowGroupName?: string;
  Edition: string;
  Status: GroupStatus;
  EssGroupStatus?: string;
  CreatedAt?: string;
  LastEventAt?: string;
  EventCount: number;
  FlowCount: number;
  /** How many flows are in each status. */
  FlowStatuses: Partial<Record<FlowStatus, number>>;
}

export interface ListGroupsResponse {
  FlowGroups: GroupListItem[];
  /** Present when more groups may follow: pass it as `cursor` for the next page. */
  NextCursor?: string;
}

interface ListQuery {
  statuses?: Set<GroupStatus>;
  limit: number;
  after?: string;
}

/** Reads the query string: `status` (one or several, comma-separated), `limit` (1–100), `cursor`; anything else is refused by name. */
export function parseListQuery(query: Record<string, string>): ListQuery {
  const issues: Issue[] = [];
  for (const key of Object.keys(query)) {
    if (!["status", "limit", "cursor"].includes(key))
      issues.push({ Path: key.slice(0, 64), Code: "UnknownParameter", Message: "is not a parameter of this list (status, limit, cursor)" });
  }
  const parsed: ListQuery = { limit: LIST_LIMITS.default };
  if (query.status !== undefined) {
    const wanted = query.status.split(",").map((s) => s.trim().toUpperCase());
    const unknown = wanted.filter((s) => !GROUP_STATUSES.includes(s as GroupStatus));
    if (unknown.length > 0 || wanted.length > GROUP_STATUSES.length) {
      issues.push({
        Path: "status",
        Code: "InvalidParameter.Status",
        Message: `must be one or more of ${GROUP_STATUSES.join(", ")}, comma-separated`,
      });
    } else parsed.statuses = new Set(wanted as GroupStatus[]);
  }
  if (query.limit !== undefined) {
    const limit = /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : Number.NaN;
    if (limit >= 1 && limit <= LIST_LIMITS.max) parsed.limit = limit;
    else issues.push({ Path: "limit", Code: "InvalidParameter.Limit", Message: `must be a whole number from 1 to ${LIST_LIMITS.max}` });
  }
  if (query.cursor !== undefined) {
    const name = LIST_CURSOR.test(query.cursor) ? Buffer.from(query.cursor, "base64url").toString("latin1") : "";
    if (LIST_CURSOR_NAME.test(name)) parsed.after = name;
    else issues.push({ Path: "cursor", Code: "InvalidParameter.Cursor", Message: "must be a NextCursor this list answered" });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return parsed;
}

/** One page of the caller's groups, newest first (see above). */
export async function listGroups(input: ListGroupsInput, deps: ListGroupsDeps): Promise<ListGroupsResponse> {
  const query = parseListQuery(input.query);
  const owner = input.principal === undefined ? undefined : ownerIdOf(input.principal);
  const options = { deadline: input.deadline };
  const items: GroupListItem[] = [];
  let after = query.after;
  let scanned = 0;
  let more = true;
  while (more && items.length < query.limit && scanned < MAX_SCANNED) {
    const page = await deps.store.listGroups({ ...options, owner, after, limit: Math.min(LIST_LIMITS.max, MAX_SCANNED - scanned) });
    more = page.truncated && page.entries.length > 0;
    const snapshots = await mapLimit(page.entries, READ_CONCURRENCY, (entry) => deps.store.getGroup(entry.flowGroupId, options));
    for (const [i, entry] of page.entries.entries()) {
      after = entry.name;
      scanned++;
      const snapshot = snapshots[i];
      if (snapshot && mayRead(snapshot.owner, input.principal) && (!query.statuses || query.statuses.has(snapshot.status)))
        items.push(itemOf(snapshot));
      if (items.length === query.limit) {
        // Stopped inside the page: what follows this entry is still to come.
        more ||= i < page.entries.length - 1;
        break;
      }
    }
  }
  deps.log.info("groups listed", { listed: items.length, scanned, more });
  return { FlowGroups: items, NextCursor: more && after !== undefined ? Buffer.from(after, "latin1").toString("base64url") : undefined };
}

function itemOf(snapshot: GroupSnapshot): GroupListItem {
  const flowStatuses: Partial<Record<FlowStatus, number>> = {};
  for (const flow of snapshot.flows) flowStatuses[flow.status] = (flowStatuses[flow.status] ?? 0) + 1;
  return {
    FlowGroupId: snapshot.flowGroupId,
    FlowGroupName: snapshot.flowGroupName,
    Edition: snapshot.edition,
    Status: snapshot.status,
    EssGroupStatus: snapshot.essGroupStatus,
    CreatedAt: snapshot.createdAt,
    LastEventAt: snapshot.lastEventAt,
    EventCount: snapshot.eventCount,
    FlowCount: snapshot.flows.length,
    FlowStatuses: flowStatuses,
  };
}
