import type { ApproverRecord, Edition, FlowRecord, Owner } from "../core/model";
import { isFinal } from "../core/transitions";
import { invalid, missing } from "../protocol/api-error";
import { readString, readStringArray, type Json } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { essbasicAgent, essOperator } from "./identity";
import { ownedFlow, ownedGroup } from "./lookup";

/**
 * Reminders (催办): an SMS to every approver still to sign. Caps from the documentation: ess at
 * most 3 per approver and flow ("每个合同的每个签署方最多3次"), essbasic once ("每个合同每个人只能
 * 催办一次"). The emulator records each reminder (`remindCount` in the state view); ESS documents
 * no callback for a reminder, so none is sent. Not modelled: the whitelist these actions need, and
 * ess's rule that only approvers created with a notification type are reminded.
 */

const LIMIT: Record<Edition, number> = { ess: 3, essbasic: 1 };

/** Approvers a reminder is for: hand-signers who still have to sign. */
const awaited = (flow: FlowRecord): ApproverRecord[] => flow.approvers.filter((a) => a.role !== "autoSign" && a.state === "PENDING");

function flowIdsOf(body: Json, ctx: ActionContext, owner: Owner): FlowRecord[] {
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if (flowIds.length === 0) throw missing("FlowIds", "MissingParameter.FlowId");
  if (flowIds.length > 100)
    throw invalid("FlowIds", "holds more than 100 ids", ctx.edition === "ess" ? "InvalidParameter.ParamError" : "LimitExceeded.FlowIds");
  return flowIds.map((id, i) => ownedFlow(ctx, owner, id, `FlowIds[${i}]`).flow);
}

/** Reminds one flow's awaited approvers; the RemindFlowRecords entry. */
function remindFlow(ctx: ActionContext, flow: FlowRecord): { CanRemind: boolean; FlowId: string; RemindMessage: string } {
  if (isFinal(flow)) return { CanRemind: false, FlowId: flow.flowId, RemindMessage: `合同已结束 (the flow has ended: ${flow.state})` };
  const pending = awaited(flow);
  if (pending.length === 0) return { CanRemind: false, FlowId: flow.flowId, RemindMessage: "无待签署的签署方 (nobody left to sign)" };
  const limit = LIMIT[ctx.edition];
  const due = pending.filter((a) => (ctx.world.reminds.get(a.recipientId) ?? 0) < limit);
  if (due.length === 0)
    return { CanRemind: false, FlowId: flow.flowId, RemindMessage: `催办次数已达上限 (each approver may be reminded ${limit} time(s))` };
  for (const a of due) ctx.world.reminds.set(a.recipientId, (ctx.world.reminds.get(a.recipientId) ?? 0) + 1);
  ctx.world.onChange();
  return { CanRemind: true, FlowId: flow.flowId, RemindMessage: "" };
}

/** ess `CreateFlowReminds`: per flow, whether it could be reminded. */
export const createFlowReminds: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  for (const [i, t] of (readStringArray(body.RemindTypes, "RemindTypes") ?? []).entries())
    if (t !== "SMS" && t !== "EMAIL") throw invalid(`RemindTypes[${i}]`, "must be SMS or EMAIL", "InvalidParameter.ParamError");
  return { RemindFlowRecords: flowIdsOf(body, ctx, owner).map((flow) => remindFlow(ctx, flow)) };
};

/** essbasic `ChannelCreateFlowReminds`: per flow, whether it could be reminded. */
export const channelCreateFlowReminds: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  return { RemindFlowRecords: flowIdsOf(body, ctx, owner).map((flow) => remindFlow(ctx, flow)) };
};

/**
 * ess `CreateFlowGroupReminds`: the group's awaited approvers, one record per signatory (the same
 * person as an individual and as an employee, or in two organizations, are different signatories),
 * each flow's outcome in `RemindMessageList` (Status 0 reminded, 2 no reminder needed, 5 over the limit).
 */
export const createFlowGroupReminds: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const groupId = readString(body.FlowGroupId, "FlowGroupId", { required: true })!;
  const group = ownedGroup(ctx, owner, groupId, "FlowGroupId");
  const records = new Map<
    string,
    { FlowIds: string[]; FlowNames: string[]; ApproverName: string; Mobile: string; RemindMessageList: Array<Record<string, unknown>> }
  >();
  let changed = false;
  for (const flow of ctx.world.groupFlows(group)) {
    if (isFinal(flow)) continue;
    for (const a of flow.approvers) {
      if (a.role === "autoSign" || (a.state !== "PENDING" && a.state !== "FILLPENDING")) continue;
      const key = `${a.role}|${a.organizationName ?? ""}|${a.mobile ?? a.recipientId}`;
      const record = records.get(key) ?? {
        FlowIds: [],
        FlowNames: [],
        ApproverName: a.name ?? "",
        Mobile: a.mobile ?? "",
        RemindMessageList: [],
      };
      records.set(key, record);
      record.FlowIds.push(flow.flowId);
      record.FlowNames.push(flow.name);
      const count = ctx.world.reminds.get(a.recipientId) ?? 0;
      let status = 0;
      let reason = "";
      if (a.state === "FILLPENDING") [status, reason] = [2, "待补充签署人信息，无法短信催办 (not filled in yet: no one to text)"];
      else if (count >= LIMIT.ess) [status, reason] = [5, `催办次数已达上限 (${LIMIT.ess})`];
      else {
        ctx.world.reminds.set(a.recipientId, count + 1);
        changed = true;
      }
      record.RemindMessageList.push({ ApproverOrder: a.signOrder, SignId: a.signId, Status: status, Reason: reason });
    }
  }
  if (changed) ctx.world.onChange();
  return { RemindFlowGroupRecords: [...records.values()] };
};
