import { APPROVER_STATUS_CODE, FLOW_SHOW_STATUS, FLOW_STATUS_CODE, type ApproverRecord, type Edition } from "../core/model";
import type { FlowEvent, GroupEvent, WorldEvent } from "../core/transitions";

/**
 * Callback messages (`MsgType` + `MsgData`) of each edition, built from state-change events.
 * Enterprise edition (`CustomApp`): numeric statuses with their words beside them, `UserData`, and
 * `FlowGroupMessage` on flows of a group. Channel edition (`ThirdPartyApp`): word statuses,
 * `CustomerData`, approvers named by OpenId/OrganizationOpenId, and no `FlowGroupMessage` (the
 * conservative reading of an unconfirmed detail).
 */

export interface CallbackMessage {
  edition: Edition;
  MsgType: string;
  MsgData: Record<string, unknown>;
  /** For delivery logs only (never sent as such): the group and flow the message is about. */
  flowGroupId: string;
  flowId?: string;
}

/** `MsgVersion` of each edition's envelopes. */
export const MSG_VERSION: Record<Edition, string> = { ess: "CustomApp", essbasic: "ThirdPartyApp" };

function essApprover(a: ApproverRecord): Record<string, unknown> {
  return {
    RecipientId: a.recipientId,
    ApproverType: Number(a.wireType),
    OrganizationName: a.organizationName ?? "",
    UserId: a.userId ?? "",
    ApproverName: a.name ?? "",
    ApproverMobile: a.mobile ?? "",
    ApproverRoleName: a.roleName,
    ApproveCallbackStatus: APPROVER_STATUS_CODE[a.state],
    ApproveCallbackShowStatus: a.state,
    ApproveTime: a.approveTime ?? 0,
    ApproveMessage: a.message ?? "",
    SignId: a.signId,
  };
}

function essbasicApprover(a: ApproverRecord): Record<string, unknown> {
  return {
    RecipientId: a.recipientId,
    ApproverType: a.wireType,
    OpenId: a.openId ?? "",
    OrganizationOpenId: a.organizationOpenId ?? "",
    OrganizationName: a.organizationName ?? "",
    ApproverRoleName: a.roleName,
    ApproveStatus: a.state,
    ApproveTime: a.approveTime ?? 0,
    ApproveMessage: a.message ?? "",
    SignId: a.signId,
  };
}

function flowMessage(event: FlowEvent): CallbackMessage {
  const { flow } = event;
  const common = {
    FlowId: flow.flowId,
    FlowName: flow.name,
    FlowType: flow.type,
    FlowDescription: flow.description,
    FlowMessage: flow.message ?? "",
    Unordered: flow.unordered,
    CreateOn: flow.createdOn,
    DeadLine: flow.deadline,
    Operate: event.operate,
    RecipientId: event.recipientId ?? "",
    OccurTime: event.occurTime,
  };
  if (flow.edition === "ess")
    return {
      edition: "ess",
      flowGroupId: flow.groupId,
      flowId: flow.flowId,
      MsgType: "FlowStatusChange",
      MsgData: {
        ...common,
        CallbackType: "sign",
        FlowCallbackStatus: FLOW_STATUS_CODE[flow.state],
        FlowCallbackShowStatus: FLOW_SHOW_STATUS[flow.state],
        UserData: flow.userData,
        Approvers: flow.approvers.map(essApprover),
        FlowGroupMessage: { FlowGroupId: flow.groupId, FlowGroupName: event.groupName },
      },
    };
  return {
    edition: "essbasic",
    flowGroupId: flow.groupId,
    flowId: flow.flowId,
    MsgType: "FlowStatusChange",
    MsgData: {
      ...common,
      ApplicationId: event.owner.appId ?? "",
      ProxyOrganizationOpenId: event.owner.organizationOpenId ?? "",
      FlowStatus: FLOW_SHOW_STATUS[flow.state],
      CustomerData: flow.userData,
      Approvers: flow.approvers.map(essbasicApprover),
    },
  };
}

function groupMessage(event: GroupEvent): CallbackMessage {
  return {
    edition: event.owner.edition,
    flowGroupId: event.groupId,
    MsgType: "FlowGroupStatusChange",
    MsgData: {
      FlowGroupId: event.groupId,
      FlowGroupName: event.groupName,
      FlowGroupStatus: event.state,
      OccurTime: event.occurTime,
      ...(event.owner.edition === "essbasic"
        ? { ApplicationId: event.owner.appId ?? "", ProxyOrganizationOpenId: event.owner.organizationOpenId ?? "" }
        : {}),
    },
  };
}

/** The message an event becomes in its edition's format. */
export function toCallbackMessage(event: WorldEvent): CallbackMessage {
  if (event.kind === "notice")
    return { edition: event.owner.edition, flowGroupId: event.groupId, MsgType: event.msgType, MsgData: event.data };
  return event.kind === "flow" ? flowMessage(event) : groupMessage(event);
}
