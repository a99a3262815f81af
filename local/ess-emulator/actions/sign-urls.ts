import type { ApproverRecord, FlowRecord } from "../core/model";
import { isFinal } from "../core/transitions";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readArray, readInteger, readObject, readString, readStringArray, type Json } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essOperator } from "./identity";
import { flowsByGroupOrIds, ownedFlow } from "./lookup";

/**
 * Sign links. Every link opens the emulator's sign page of one approver
 * (`/_emulator/sign/<RecipientId>`), where the person signs or rejects every flow of the group
 * that names them, as a group is signed as a whole.
 */

const LINK_LIFETIME_SECONDS = 30 * 60;

/** The URL of an approver's sign page (`?preview=1` for a preview link). */
export function signPageUrl(ctx: ActionContext, recipientId: string, preview = false): string {
  return `${ctx.baseUrl}/_emulator/sign/${recipientId}${preview ? "?preview=1" : ""}`;
}

interface Match {
  flow: FlowRecord;
  approver: ApproverRecord;
}

/** The approver of `flow` a sign-link request names: by RecipientId, SignId, OpenId or mobile. */
function findApprover(flow: FlowRecord, info: Json, mobileField: string): ApproverRecord | undefined {
  const recipientId = readString(info.RecipientId, "RecipientId");
  const signId = readString(info.SignId, "SignId");
  const openId = readString(info.OpenId, "OpenId");
  const mobile = readString(info[mobileField], mobileField);
  return flow.approvers.find(
    (a) =>
      (recipientId && a.recipientId === recipientId) ||
      (signId && a.signId === signId) ||
      (openId && a.openId === openId && (readString(info.OrganizationOpenId, "OrganizationOpenId") ?? a.organizationOpenId) === a.organizationOpenId) ||
      (mobile && a.mobile === mobile),
  );
}

function approverLinks(body: Json, flow: FlowRecord, mobileField: string): Match[] {
  if (isFinal(flow)) throw new ApiError("OperationDenied.FlowStatusForbid", `The flow has ended (${flow.state}); it has no sign links.`);
  const infos = readArray(body.FlowApproverInfos, "FlowApproverInfos") ?? [];
  if (infos.length === 0) throw missing("FlowApproverInfos", "MissingParameter.FlowApprover");
  return infos.map((raw, i) => {
    const info = readObject(raw, `FlowApproverInfos[${i}]`) ?? {};
    const approver = findApprover(flow, info, mobileField);
    if (!approver) throw new ApiError("ResourceNotFound.FlowApprover", `\`FlowApproverInfos[${i}]\` names no approver of this flow.`);
    if (approver.role === "autoSign") throw invalid(`FlowApproverInfos[${i}]`, "is an auto-signer, which has no sign link", "InvalidParameter.ApproverType");
    return { flow, approver };
  });
}

/** ess `CreateFlowSignUrl`: links for named approvers of one flow. */
export const createFlowSignUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const flowId = readString(body.FlowId, "FlowId", { required: true, missingCode: "MissingParameter.FlowId" })!;
  const { flow } = ownedFlow(ctx, owner, flowId, "FlowId");
  const preview = readInteger(body.UrlType, "UrlType") === 1;
  return {
    FlowApproverUrlInfos: approverLinks(body, flow, "ApproverMobile").map(({ approver }) => ({
      SignUrl: signPageUrl(ctx, approver.recipientId, preview),
      LongUrl: signPageUrl(ctx, approver.recipientId, preview),
      ApproverType: Number(approver.wireType),
      ApproverName: approver.name ?? "",
      ApproverMobile: approver.mobile ?? "",
    })),
  };
};

/** essbasic `ChannelCreateFlowSignUrl`: links for named approvers of one flow. */
export const channelCreateFlowSignUrl: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const flowId = readString(body.FlowId, "FlowId", { required: true, missingCode: "MissingParameter.FlowId" })!;
  const { flow } = ownedFlow(ctx, owner, flowId, "FlowId");
  const preview = readInteger(body.UrlType, "UrlType") === 1;
  return {
    FlowApproverUrlInfos: approverLinks(body, flow, "Mobile").map(({ approver }) => ({
      SignUrl: signPageUrl(ctx, approver.recipientId, preview),
      LongUrl: signPageUrl(ctx, approver.recipientId, preview),
      ApproverType: approver.wireType,
      Name: approver.name ?? "",
      Mobile: approver.mobile ?? "",
    })),
  };
};

/** ess batch link: one person (Mobile) over several flows. */
export const createBatchSignUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  const batch = readArray(readObject(body.FlowBatchUrlInfo, "FlowBatchUrlInfo")?.FlowBatchApproverInfos, "FlowBatchUrlInfo.FlowBatchApproverInfos") ?? [];
  let target: ApproverRecord | undefined;
  if (batch.length > 0) {
    const first = readObject(batch[0], "FlowBatchUrlInfo.FlowBatchApproverInfos[0]") ?? {};
    const flowId = readString(first.FlowId, "FlowBatchUrlInfo.FlowBatchApproverInfos[0].FlowId", { required: true })!;
    const recipientId = readString(first.RecipientId, "FlowBatchUrlInfo.FlowBatchApproverInfos[0].RecipientId", { required: true })!;
    target = ownedFlow(ctx, owner, flowId, "FlowBatchUrlInfo.FlowBatchApproverInfos[0].FlowId").flow.approvers.find((a) => a.recipientId === recipientId);
  } else {
    if (flowIds.length === 0) throw missing("FlowIds", "MissingParameter.FlowId");
    if (flowIds.length > 100) throw invalid("FlowIds", "holds more than 100 ids", "InvalidParameter.ParamError");
    const mobile = readString(body.Mobile, "Mobile", { required: true })!;
    const flows = flowIds.map((id, i) => ownedFlow(ctx, owner, id, `FlowIds[${i}]`).flow);
    target = flows.flatMap((f) => (isFinal(f) ? [] : f.approvers)).find((a) => a.mobile === mobile && a.role !== "autoSign");
  }
  if (!target) throw new ApiError("ResourceNotFound.FlowApprover", "No open approval of this person was found in the given flows.");
  return { SignUrl: signPageUrl(ctx, target.recipientId), ExpiredTime: nowSeconds(ctx) + 7 * 24 * 3600, MiniAppPath: "" };
};

const GENERATE_TYPES = new Set(["ALL", "CHANNEL", "NOT_CHANNEL", "PERSON", "RECIPIENT"]);

/** essbasic `CreateSignUrls`: links for a group or flows, for everybody or one kind of approver. */
export const createSignUrls: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const generateType = readString(body.GenerateType, "GenerateType") || "ALL";
  if (!GENERATE_TYPES.has(generateType)) throw invalid("GenerateType", "is not a supported generate type", "InvalidParameter.ParamError");
  const { group, flows } = flowsByGroupOrIds(body, ctx, owner);
  if (generateType === "ALL" && !group && flows.length > 1)
    throw invalid("FlowIds", "may hold a single flow when GenerateType is ALL", "InvalidParameter.ParamError");
  const name = readString(body.Name, "Name");
  const mobile = readString(body.Mobile, "Mobile");
  const openId = readString(body.OpenId, "OpenId");
  const orgOpenId = readString(body.OrganizationOpenId, "OrganizationOpenId");
  const orgName = readString(body.OrganizationName, "OrganizationName");
  const recipientIds = readStringArray(body.RecipientIds, "RecipientIds") ?? [];
  if (generateType === "PERSON" && (!name || !mobile)) throw missing(!name ? "Name" : "Mobile");
  if (generateType === "CHANNEL" && !orgOpenId) throw missing("OrganizationOpenId");
  if (generateType === "NOT_CHANNEL" && !orgName) throw missing("OrganizationName");
  if (generateType === "RECIPIENT" && recipientIds.length === 0) throw missing("RecipientIds");

  const wanted = (a: ApproverRecord): boolean => {
    if (a.role === "autoSign" || (a.state !== "PENDING" && a.state !== "FILLPENDING")) return false;
    switch (generateType) {
      case "PERSON":
        return a.role === "person" && (a.mobile === mobile || a.dynamic);
      case "CHANNEL":
        return a.role === "organization" && (a.organizationOpenId === orgOpenId || a.dynamic) && (!openId || a.openId === openId || a.dynamic);
      case "NOT_CHANNEL":
        return a.role === "organization" && a.organizationOpenId === undefined && (a.organizationName === orgName || a.dynamic);
      case "RECIPIENT":
        return recipientIds.includes(a.recipientId);
      default:
        return true;
    }
  };
  const infos = flows
    .filter((f) => !isFinal(f))
    .flatMap((flow) => flow.approvers.filter(wanted).map((approver) => ({ flow, approver })))
    .map(({ flow, approver }) => ({
      SignUrl: signPageUrl(ctx, approver.recipientId),
      Deadline: flow.deadline,
      SignOrder: approver.signOrder,
      SignId: approver.signId,
      Name: approver.name ?? "",
      Mobile: approver.mobile ?? "",
      OrganizationName: approver.organizationName ?? "",
      ApproverType: approver.role === "person" ? "PERSON" : "ORGANIZATION",
      FlowId: flow.flowId,
      OpenId: approver.openId ?? "",
      FlowGroupId: group?.groupId ?? "",
    }));
  if (infos.length === 0) throw new ApiError("ResourceNotFound.FlowApprover", "No open approval matches the request.");
  return { SignUrlInfos: infos, ErrorMessages: infos.map(() => "") };
};
