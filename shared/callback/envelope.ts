import { createHash } from "node:crypto";
import { CALLBACK_MSG_VERSION, type Edition } from "../ess/edition";
import { NUMERIC_TEXT } from "../text/input-patterns";
import { mapApproverStatus, mapFlowStatus } from "../ess/status-codes";
import type { ApproverUpdate, StatusEvent } from "../status-store/model";
import { isObject } from "../lang/objects";

/**
 * Turns a decrypted callback into `StatusEvent`s. Both editions, numeric and string statuses, and
 * every message type are accepted: an unknown type or status value never fails, it is stored with
 * the status left unset and `raw` kept, because a message answered 200 but dropped is lost for good.
 */

/**
 * The plaintext is JSON but not a callback envelope (missing `MsgId` or `MsgType`, or not an object).
 * The message says which field is wrong, never a value.
 */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

export { APPROVER_STATUS_CODES, CALLBACK_FLOW_STATUS as FLOW_STATUS_CODES, mapApproverStatus, mapFlowStatus } from "../ess/status-codes";

/** The edition a `MsgVersion` names; `unknown` for anything else. */
export function editionOf(msgVersion: unknown): Edition | "unknown" {
  for (const [edition, version] of Object.entries(CALLBACK_MSG_VERSION)) if (msgVersion === version) return edition as Edition;
  return "unknown";
}

/** True when a decrypted JSON value is (meant to be) an envelope rather than a bare v1 `MsgData`. */
export function isEnvelope(value: unknown): boolean {
  return isObject(value) && ["MsgId", "MsgType", "MsgVersion", "MsgData"].some((key) => key in value);
}

/**
 * Parses an envelope `{MsgId, MsgType, MsgVersion, MsgData}` into events: one event per message,
 * except a message that lists several flows in `FlowIds` (e.g. `CancelFlows`) without a single
 * `FlowId`, which becomes one event per flow with the MsgId `<MsgId>-<FlowId>`. An event holds one
 * flow, and each flow must reach its own group; the derived ids are as stable as the MsgId, so a
 * retried message is still stored once.
 */
export function parseEnvelope(value: unknown, receivedAt: Date): StatusEvent[] {
  if (!isObject(value)) throw new EnvelopeError("callback envelope is not a JSON object");
  const msgId = idText(value.MsgId);
  if (msgId === undefined) throw new EnvelopeError("callback envelope has no MsgId");
  const msgType = text(value.MsgType);
  if (msgType === undefined) throw new EnvelopeError("callback envelope has no MsgType");
  return toEvents({ msgId, msgType, edition: editionOf(value.MsgVersion), receivedAt, msgData: value.MsgData });
}

/**
 * A legacy v1 callback: the bare `MsgData`, without envelope. It has no MsgId, so the id is
 * `v1-<hex SHA-256 of the message bytes>`: a retry carries the same bytes (the cipher is
 * deterministic with its fixed IV), hence the same id, and is stored once.
 */
export function parseLegacyV1(msgData: unknown, bytes: Uint8Array, receivedAt: Date): StatusEvent[] {
  if (!isObject(msgData)) throw new EnvelopeError("legacy v1 callback is not a JSON object");
  const msgType =
    text(msgData.MsgType) ??
    (msgData.FlowCallbackStatus !== undefined || msgData.FlowStatus !== undefined ? "FlowStatusChange" : "LegacyV1");
  return toEvents({ msgId: legacyMsgId(bytes), msgType, edition: "unknown", receivedAt, msgData });
}

/** The MsgId given to a legacy v1 message (see `parseLegacyV1`). */
export function legacyMsgId(bytes: Uint8Array): string {
  return `v1-${createHash("sha256").update(bytes).digest("hex")}`;
}

// ---------------------------------------------------------------------------------------------

interface MessageHead {
  msgId: string;
  msgType: string;
  edition: Edition | "unknown";
  receivedAt: Date;
  msgData: unknown;
}

function toEvents(head: MessageHead): StatusEvent[] {
  // *Unconfirmed*: a MsgData sent as a JSON string is read through, and still stored verbatim.
  const data = readMsgData(head.msgData);
  const fields = extractFields(head.msgType, data);
  const base: StatusEvent = {
    msgId: head.msgId,
    msgType: head.msgType,
    edition: head.edition,
    source: "callback",
    receivedAt: head.receivedAt.toISOString(),
    ...fields,
    raw: head.msgData === undefined ? null : head.msgData,
  };
  const flowIds = fields.flowId === undefined ? listedFlowIds(data) : [];
  if (flowIds.length === 1) return [{ ...base, flowId: flowIds[0]! }];
  if (flowIds.length > 1) return flowIds.map((flowId) => ({ ...base, msgId: `${head.msgId}-${flowId}`, flowId }));
  return [base];
}

type ExtractedFields = Omit<StatusEvent, "msgId" | "msgType" | "edition" | "source" | "receivedAt" | "raw">;

/** Everything the reducer needs from a `MsgData`, whatever the edition or the message type. */
function extractFields(msgType: string, data: Record<string, unknown>): ExtractedFields {
  const out: ExtractedFields = {};
  const occurTime = unixSeconds(data.OccurTime);
  if (occurTime !== undefined) out.occurTime = occurTime;
  const group = isObject(data.FlowGroupMessage) ? data.FlowGroupMessage : {};
  const flowGroupId = idText(group.FlowGroupId) ?? idText(data.FlowGroupId);
  if (flowGroupId !== undefined) out.flowGroupId = flowGroupId;
  const flowId = idText(data.FlowId);
  if (flowId !== undefined) out.flowId = flowId;
  // The V2 name is preferred when it is known; the number (or the channel's FlowStatus) otherwise.
  const flowStatus = mapFlowStatus(data.FlowCallbackShowStatus) ?? mapFlowStatus(data.FlowCallbackStatus) ?? mapFlowStatus(data.FlowStatus);
  if (flowStatus !== undefined) out.flowStatus = flowStatus;
  const essGroupStatus = idText(data.FlowGroupStatus);
  if (essGroupStatus !== undefined) out.essGroupStatus = essGroupStatus;
  const operate = text(data.Operate);
  if (operate !== undefined) out.operate = operate;
  const recipientId = idText(data.RecipientId);
  if (recipientId !== undefined) out.recipientId = recipientId;
  const userData =
    typeof data.UserData === "string" ? data.UserData : typeof data.CustomerData === "string" ? data.CustomerData : undefined;
  if (userData !== undefined && userData !== "") out.userData = userData;

  const approvers = Array.isArray(data.Approvers) ? data.Approvers.filter(isObject).map(toApproverUpdate) : [];
  // The message itself says this approver's deadline passed; nothing else in it carries a status.
  if (msgType === "ApproverDeadlineExpired" && recipientId !== undefined) {
    const own = approvers.find((a) => a.recipientId === recipientId);
    if (own === undefined) approvers.push({ recipientId, status: "DEADLINE" });
    else if (own.status === undefined) own.status = "DEADLINE";
  }
  if (approvers.length > 0) out.approvers = approvers;
  return out;
}

function toApproverUpdate(approver: Record<string, unknown>): ApproverUpdate {
  const update: ApproverUpdate = {};
  // OpenId / OrganizationOpenId (channel edition) stay in `raw`: the reducer matches on RecipientId only.
  const recipientId = idText(approver.RecipientId);
  if (recipientId !== undefined) update.recipientId = recipientId;
  const signId = idText(approver.SignId);
  if (signId !== undefined) update.signId = signId;
  const approverType = idText(approver.ApproverType);
  if (approverType !== undefined) update.approverType = approverType;
  const status =
    mapApproverStatus(approver.ApproveCallbackShowStatus) ??
    mapApproverStatus(approver.ApproveCallbackStatus) ??
    mapApproverStatus(approver.ApproveStatus);
  if (status !== undefined) update.status = status;
  // ESS sends 0 for "not yet".
  const approveTime = unixSeconds(approver.ApproveTime);
  if (approveTime !== undefined && approveTime > 0) update.approveTime = approveTime;
  return update;
}

function listedFlowIds(data: Record<string, unknown>): string[] {
  if (!Array.isArray(data.FlowIds)) return [];
  const ids = data.FlowIds.map(idText).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

function readMsgData(msgData: unknown): Record<string, unknown> {
  if (isObject(msgData)) return msgData;
  if (typeof msgData === "string") {
    try {
      const parsed: unknown = JSON.parse(msgData);
      if (isObject(parsed)) return parsed;
    } catch {
      // Not JSON: nothing to extract; the text is still stored in `raw`.
    }
  }
  return {};
}

/**
 * Unix seconds from a number or a numeric string. A value above 1e11 can only be milliseconds
 * (1e11 seconds is the year 5138), so it is scaled down rather than stored as a far future.
 */
function unixSeconds(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && NUMERIC_TEXT.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n > 1e11 ? Math.floor(n / 1000) : Math.floor(n);
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** An id or code, which ESS may send as a string or as a number. */
function idText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return text(value);
}
