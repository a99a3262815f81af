import type { GroupSnapshot, StatusEvent } from "../status-store/model";
import { maskMessageData } from "../log/mask";

/**
 * The HTTP shapes of group-status. Field names are PascalCase like the rest of this API (ESS's
 * vocabulary); internal bookkeeping (`includedMsgIds`, ordering keys) stays out.
 */
export function groupView(snapshot: GroupSnapshot) {
  return {
    FlowGroupId: snapshot.flowGroupId,
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
      LastEventAt: flow.lastEventAt,
      EventCount: flow.eventCount,
      Approvers: flow.approvers.map((a) => ({
        RecipientId: a.recipientId,
        SignId: a.signId,
        ApproverRoleName: a.approverRoleName,
        ApproverType: a.approverType,
        Status: a.status,
        LastEventAt: a.lastEventAt,
        EventCount: a.eventCount,
      })),
    })),
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
