import type { FlowRecord, EmulatedGroup, Owner } from "../core/model";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readString, readStringArray, type Json } from "../protocol/read";
import type { ActionContext } from "./context";
import { sameOwner } from "./identity";

/**
 * Finding flows and groups for a caller. Another organization's flows are answered as "not found",
 * so a caller learns nothing about them.
 */

export function ownedFlow(ctx: ActionContext, owner: Owner, flowId: string, path: string): { flow: FlowRecord; group: EmulatedGroup } {
  const flow = ctx.world.flows.get(flowId);
  const group = flow ? ctx.world.groups.get(flow.groupId) : undefined;
  if (!flow || !group || !sameOwner(owner, group.owner))
    throw new ApiError("ResourceNotFound.Flow", `The flow named by \`${path}\` does not exist.`);
  return { flow, group };
}

/** A group the caller started; others are answered as not found. */
export function ownedGroup(ctx: ActionContext, owner: Owner, groupId: string, path: string): EmulatedGroup {
  const group = ctx.world.groups.get(groupId);
  if (!group || !sameOwner(owner, group.owner))
    throw new ApiError("ResourceNotFound.Flow", `The group named by \`${path}\` does not exist.`);
  return group;
}

/** `FlowGroupId` wins over `FlowIds`, as both editions document. */
export function flowsByGroupOrIds(body: Json, ctx: ActionContext, owner: Owner): { group?: EmulatedGroup; flows: FlowRecord[] } {
  const groupId = readString(body.FlowGroupId, "FlowGroupId");
  if (groupId !== undefined && groupId !== "") {
    const group = ownedGroup(ctx, owner, groupId, "FlowGroupId");
    return { group, flows: ctx.world.groupFlows(group) };
  }
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if (flowIds.length === 0) throw missing("FlowIds", "MissingParameter.FlowId");
  if (flowIds.length > 100) throw invalid("FlowIds", "holds more than 100 ids", "InvalidParameter.ParamError");
  return { flows: flowIds.map((id, i) => ownedFlow(ctx, owner, id, `FlowIds[${i}]`).flow) };
}
