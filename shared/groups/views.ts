import { approverKind } from "../ess/approver-types";
import type { ApproverView, GroupSnapshot, StatusEvent } from "../status-store/model";
import { maskMessageData } from "../log/mask";

/**
 * The HTTP shapes of group-status. Field names are PascalCase like the rest of this API (ESS's
 * vocabulary); internal bookkeeping (`includedMsgIds`, ordering keys, claims) stays out. Every field
 * is described in README, "The status answer". Names and mobiles are the caller's own (from its
 * create request) and are shown to that caller only (per-key ownership); logs never carry them.
 * `asked`: the id the caller gave, when it was one of the group's FlowIds (`FoundByFlowId`).
 */
export function groupView(snapshot: GroupSnapshot, asked?: string) {
  return {
    FlowGroupId: snapshot.flowGroupId,
    FoundByFlowId: asked !== undefined && asked !== snapshot.flowGroupId ? asked : undefined,
    FlowGroupName: snapshot.flowGroupName,
    Edition: snapshot.edition,
    Status: snapshot.status,
    EssGroupStatus: snapshot.essGroupStatus,
    Recorded: snapshot.recorded,
    CreatedAt: snapshot.createdAt,
    LastEventAt: snapshot.lastEventAt,
    EventCount: snapshot.eventCount,
    UpdatedAt: snapshot.updatedAt,
    Flows: snapshot.flows.map((flow) => ({
      FlowId: flow.flowId,
      FlowName: flow.flowName,
      Status: flow.status,
      Unordered: flow.unordered,
      LastEventAt: flow.lastEventAt,
      EventCount: flow.eventCount,
      Approvers: flow.approvers.map((a) => approverView(a)),
    })),
  };
}

function approverView(a: ApproverView) {
  const raw = a.who?.essApproverType ?? a.approverType;
  return {
    RecipientId: a.recipientId,
    SignId: a.signId,
    ApproverRoleName: a.approverRoleName,
    ApproverType: approverKind(raw),
    EssApproverType: raw,
    ApproverName: a.who?.name,
    ApproverMobile: a.who?.mobile,
    OrganizationName: a.who?.organizationName,
    UserId: a.who?.userId,
    OpenId: a.who?.openId,
    OrganizationOpenId: a.who?.organizationOpenId,
    SignOrder: a.who?.signOrder,
    Dynamic: a.who?.dynamic,
    Status: a.status,
    LastEventAt: a.lastEventAt,
    EventCount: a.eventCount,
  };
}

/** A stored event as shown to a caller: personal data in the ESS message masked. */
export function eventView(event: StatusEvent) {
  return {
    MsgId: event.msgId,
    MsgType: event.msgType,
    Edition: event.edition,
    Source: event.source,
    ReceivedAt: event.receivedAt,
    OccurTime: event.occurTime,
    FlowId: event.flowId,
    FlowStatus: event.flowStatus,
    EssGroupStatus: event.essGroupStatus,
    Operate: event.operate,
    RecipientId: event.recipientId,
    Approvers: event.approvers?.map((a) => ({
      RecipientId: a.recipientId,
      SignId: a.signId,
      ApproverType: a.approverType,
      Status: a.status,
      ApproveTime: a.approveTime,
    })),
    MsgData: maskMessageData(event.raw),
  };
}
