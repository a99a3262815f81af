import type { ApproverUpdate, GroupRecord, StatusEvent } from "../../../shared/status-store/model";
import type { FlowStatus } from "../../../shared/ess/status-codes";

/** Base time of the fixtures' OccurTimes (unix seconds). */
export const T0 = 1_750_000_000;

/** When the fixtures' events are received by default: an hour after T0, so no OccurTime is in the future. */
export const RECEIVED_AT = new Date((T0 + 3_600) * 1000).toISOString();

/** A normalised FlowStatusChange, with the raw MsgData a real ess callback would carry. */
export function flowEvent(options: {
  msgId: string;
  flowId: string;
  flowGroupId?: string;
  status?: FlowStatus;
  occurTime?: number;
  receivedAt?: string;
  approvers?: ApproverUpdate[];
  recipientId?: string;
}): StatusEvent {
  return {
    msgId: options.msgId,
    msgType: "FlowStatusChange",
    edition: "ess",
    source: "callback",
    receivedAt: options.receivedAt ?? RECEIVED_AT,
    ...(options.occurTime !== undefined ? { occurTime: options.occurTime } : {}),
    ...(options.flowGroupId !== undefined ? { flowGroupId: options.flowGroupId } : {}),
    flowId: options.flowId,
    ...(options.status !== undefined ? { flowStatus: options.status } : {}),
    ...(options.recipientId !== undefined ? { recipientId: options.recipientId } : {}),
    ...(options.approvers !== undefined ? { approvers: options.approvers } : {}),
    raw: {
      FlowId: options.flowId,
      FlowCallbackShowStatus: options.status,
      OccurTime: options.occurTime,
      Approvers: (options.approvers ?? []).map((a) => ({
        RecipientId: a.recipientId,
        ApproveCallbackShowStatus: a.status,
        ApproverName: "张三丰",
        ApproverMobile: "13912345678",
      })),
      ...(options.flowGroupId !== undefined ? { FlowGroupMessage: { FlowGroupId: options.flowGroupId, FlowGroupName: "租赁合同组" } } : {}),
    },
  };
}

/** A FlowGroupStatusChange. */
export function groupEvent(options: { msgId: string; flowGroupId: string; essGroupStatus: string; occurTime?: number }): StatusEvent {
  return {
    msgId: options.msgId,
    msgType: "FlowGroupStatusChange",
    edition: "ess",
    source: "callback",
    receivedAt: RECEIVED_AT,
    ...(options.occurTime !== undefined ? { occurTime: options.occurTime } : {}),
    flowGroupId: options.flowGroupId,
    essGroupStatus: options.essGroupStatus,
    raw: { FlowGroupId: options.flowGroupId, FlowGroupStatus: options.essGroupStatus },
  };
}

/** What create-group records for a group of `flowIds`, two approvers per flow. */
export function groupRecord(flowGroupId: string, flowIds: string[], name = "租赁合同组"): GroupRecord {
  return {
    edition: "ess",
    flowGroupId,
    flowGroupName: name,
    flowIds,
    flows: flowIds.map((flowId, i) => ({
      flowId,
      flowName: `合同${i + 1}`,
      approvers: [
        { recipientId: `${flowId}-r1`, signId: `${flowId}-s1`, approverRoleName: "甲方" },
        { recipientId: `${flowId}-r2`, approverRoleName: "乙方" },
      ],
    })),
    createdAt: "2025-06-15T11:59:00.000Z",
  };
}
