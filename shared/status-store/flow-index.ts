import { parseJsonText } from "../json/json-text";
import type { ObjectStore } from "../object-store/port";
import { layout } from "./layout";

/**
 * The group a flow belongs to, from the flow → group index create-group writes (`layout.flowIndex`,
 * see docs/architecture.md), or undefined while none is recorded.
 * A single-key read: never a listing.
 */
export async function groupOfFlow(objects: ObjectStore, flowId: string): Promise<string | undefined> {
  const value = parseJsonText(await objects.get(layout.flowIndex(flowId))) as { flowGroupId?: unknown } | undefined;
  return typeof value?.flowGroupId === "string" && value.flowGroupId !== "" ? value.flowGroupId : undefined;
}
