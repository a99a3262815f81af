import type { ApproverRecord, FlowRecord, EmulatedGroup, Owner } from "../core/model";
import { isFinal } from "../core/transitions";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readArray, readBoolean, readInteger, readObject, readString, readStringArray, type Json } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { essbasicAgent, essOperator } from "./identity";
import { approvalsOfPerson, issueLink, LINK_TTL, openApprovals, readExpiredOn, readJumpUrl, requireOpen, type Approval } from "./links";
import { flowsByGroupOrIds, ownedFlow } from "./lookup";

/**
 * Sign links of both editions. Every link opens the emulator's sign page for one person over the
 * flows it covers (`/_emulator/link/<token>`), where that person signs every open flow naming them
 * at once (a group is signed as a whole), a dynamic approver first fills in who they are, and an
 * approver whose turn has not come is told so. Links expire as the models say: H5 links
 * (CreateFlowSignUrl, CreateBatchQuickSignUrl…) after 30 minutes or `ExpiredOn`; mini-program links
 * (CreateSchemeUrl, CreateSignUrls) after 90 days.
 */

/** The group of a set of flows (links cover flows of one group). */
function groupOf(ctx: ActionContext, flows: FlowRecord[]): EmulatedGroup {
  return ctx.world.groups.get(flows[0]!.groupId)!;
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
      (openId &&
        a.openId === openId &&
        (readString(info.OrganizationOpenId, "OrganizationOpenId") ?? a.organizationOpenId) === a.organizationOpenId) ||
      (mobile && a.mobile === mobile),
  );
}

function flowLinks(
  body: Json,
  ctx: ActionContext,
  flow: FlowRecord,
  group: EmulatedGroup,
  mobileField: string,
  action: string,
): Array<{ approver: ApproverRecord; url: string }> {
  if (isFinal(flow)) throw new ApiError("OperationDenied.FlowStatusForbid", `The flow has ended (${flow.state}); it has no sign links.`);
  const infos = readArray(body.FlowApproverInfos, "FlowApproverInfos") ?? [];
  if (infos.length === 0) throw missing("FlowApproverInfos", "MissingParameter.FlowApprover");
  const preview = readInteger(body.UrlType, "UrlType") === 1;
  return infos.map((raw, i) => {
    const info = readObject(raw, `FlowApproverInfos[${i}]`) ?? {};
    const approver = findApprover(flow, info, mobileField);
    if (!approver) throw new ApiError("ResourceNotFound.FlowApprover", `\`FlowApproverInfos[${i}]\` names no approver of this flow.`);
    if (approver.role === "autoSign")
      throw invalid(`FlowApproverInfos[${i}]`, "is an auto-signer, which has no sign link", "InvalidParameter.ApproverType");
    const { url } = issueLink(ctx, {
      group,
      recipientIds: [approver.recipientId],
      flowIds: [flow.flowId],
      ttlSeconds: LINK_TTL.h5,
      preview,
      action,
    });
    return { approver, url };
  });
}

/** ess `CreateFlowSignUrl`: 30-minute links for named approvers of one flow. */
export const createFlowSignUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const flowId = readString(body.FlowId, "FlowId", { required: true, missingCode: "MissingParameter.FlowId" })!;
  const { flow, group } = ownedFlow(ctx, owner, flowId, "FlowId");
  return {
    FlowApproverUrlInfos: flowLinks(body, ctx, flow, group, "ApproverMobile", "CreateFlowSignUrl").map(({ approver, url }) => ({
      SignUrl: url,
      LongUrl: url,
      ApproverType: Number(approver.wireType),
      ApproverName: approver.name ?? "",
      ApproverMobile: approver.mobile ?? "",
    })),
  };
};

/** essbasic `ChannelCreateFlowSignUrl`: 30-minute links for named approvers of one flow. */
export const channelCreateFlowSignUrl: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const flowId = readString(body.FlowId, "FlowId", { required: true, missingCode: "MissingParameter.FlowId" })!;
  const { flow, group } = ownedFlow(ctx, owner, flowId, "FlowId");
  return {
    FlowApproverUrlInfos: flowLinks(body, ctx, flow, group, "Mobile", "ChannelCreateFlowSignUrl").map(({ approver, url }) => ({
      SignUrl: url,
      LongUrl: url,
      ApproverType: approver.wireType,
      Name: approver.name ?? "",
      Mobile: approver.mobile ?? "",
    })),
  };
};

/** ess `CreateBatchSignUrl` (mini-program batch link): one person (Mobile) over several flows. */
export const createBatchSignUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if (flowIds.length === 0) throw missing("FlowIds", "MissingParameter.FlowId");
  if (flowIds.length > 100) throw invalid("FlowIds", "holds more than 100 ids", "InvalidParameter.ParamError");
  const mobile = readString(body.Mobile, "Mobile", { required: true })!;
  const flows = flowIds.map((id, i) => ownedFlow(ctx, owner, id, `FlowIds[${i}]`).flow);
  const target = flows
    .flatMap((f) => (isFinal(f) ? [] : f.approvers))
    .find((a) => a.mobile === mobile && a.role !== "autoSign" && a.state === "PENDING");
  if (!target) throw new ApiError("ResourceNotFound.FlowApprover", "No open approval of this person was found in the given flows.");
  const ttl = 7 * 24 * 3600;
  const link = issueLink(ctx, {
    group: groupOf(ctx, flows),
    recipientIds: [target.recipientId],
    flowIds,
    ttlSeconds: ttl,
    preview: false,
    action: "CreateBatchSignUrl",
  });
  return { SignUrl: link.url, ExpiredTime: link.expiresAt, MiniAppPath: "" };
};

/** The flows a batch/group link covers: `FlowGroupId` or `FlowIds` (one of them, at most 100 flows). */
function scope(body: Json, ctx: ActionContext, owner: Owner): { group: EmulatedGroup; flows: FlowRecord[] } {
  const groupId = readString(body.FlowGroupId, "FlowGroupId");
  const flowIds = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if ((groupId === undefined || groupId === "") && flowIds.length === 0) throw missing("FlowIds or FlowGroupId", "MissingParameter.FlowId");
  const { group, flows } = flowsByGroupOrIds(body, ctx, owner);
  const groups = new Set(flows.map((f) => f.groupId));
  if (!group && groups.size > 1)
    throw invalid("FlowIds", "names flows of more than one group, which one link cannot cover", "InvalidParameter.ParamError");
  return { group: group ?? groupOf(ctx, flows), flows };
}

/** The identity a batch link is asked for, as the edition spells it. */
interface PersonQuery {
  recipientId?: string;
  signId?: string;
  name?: string;
  mobile?: string;
  organizationName?: string;
  openId?: string;
  organizationOpenId?: string;
  person: boolean;
}

/** The approvals of the person a query names in `flows` (matched on ids first, then mobile and kind). */
function findPerson(flows: FlowRecord[], q: PersonQuery, path: string): Approval[] {
  const all = flows.flatMap((flow) => flow.approvers.map((approver) => ({ flow, approver })));
  const byId = all.find(({ approver: a }) => (q.recipientId && a.recipientId === q.recipientId) || (q.signId && a.signId === q.signId));
  const seed =
    byId ??
    all.find(
      ({ approver: a }) =>
        a.role !== "autoSign" &&
        (a.role === "person") === q.person &&
        ((q.openId !== undefined && a.openId === q.openId && (q.organizationOpenId ?? a.organizationOpenId) === a.organizationOpenId) ||
          (q.mobile !== undefined &&
            a.mobile === q.mobile &&
            (q.person || q.organizationName === undefined || q.organizationName === a.organizationName))),
    );
  if (!seed) throw new ApiError("ResourceNotFound.FlowApprover", `\`${path}\` names no approver of these flows.`);
  if (seed.approver.role === "autoSign") throw invalid(path, "is an auto-signer, which has no sign link", "InvalidParameter.ApproverType");
  // A verified identity must be asked for under its own name.
  if (byId === undefined && q.name !== undefined && seed.approver.name !== undefined && q.name !== seed.approver.name)
    throw new ApiError("FailedOperation.UserInfoNoMatch", `The name given in \`${path}\` does not match the approver's.`);
  return approvalsOfPerson(flows, seed.approver);
}

/** Dynamic approvers a link is for (`FlowBatchUrlInfo` / `FlowGroupUrlInfo`): each must be waiting to be filled. */
function dynamicTargets(flows: FlowRecord[], infos: unknown[], path: string): Approval[] {
  return infos.map((raw, i) => {
    const info = readObject(raw, `${path}[${i}]`) ?? {};
    const flowId = readString(info.FlowId, `${path}[${i}].FlowId`, { required: true })!;
    const recipientId = readString(info.RecipientId, `${path}[${i}].RecipientId`, { required: true })!;
    const flow = flows.find((f) => f.flowId === flowId);
    const approver = flow?.approvers.find((a) => a.recipientId === recipientId);
    if (!flow || !approver) throw new ApiError("ResourceNotFound.FlowApprover", `\`${path}[${i}]\` names no approver of these flows.`);
    if (isFinal(flow) || approver.state !== "FILLPENDING")
      throw new ApiError("OperationDenied.FlowStatusForbid", `\`${path}[${i}]\` names an approver who is not waiting to be filled.`);
    return { flow, approver };
  });
}

function readPreset(body: Json): { name?: string; mobile?: string; organizationName?: string } | undefined {
  const preset = readObject(body.PresetApproverInfo, "PresetApproverInfo");
  if (!preset) return undefined;
  return {
    name: readString(preset.Name, "PresetApproverInfo.Name") || undefined,
    mobile: readString(preset.Mobile, "PresetApproverInfo.Mobile") || undefined,
    organizationName: readString(preset.OrganizationName, "PresetApproverInfo.OrganizationName") || undefined,
  };
}

/** Common part of both batch-link actions: scope, person or dynamic approvers, expiry, link. */
function batchLink(
  body: Json,
  ctx: ActionContext,
  owner: Owner,
  query: PersonQuery,
  action: string,
): { seed: ApproverRecord; url: string; expiresAt: number } {
  readJumpUrl(body.JumpUrl);
  const { group, flows } = scope(body, ctx, owner);
  const batch =
    readArray(readObject(body.FlowBatchUrlInfo, "FlowBatchUrlInfo")?.FlowBatchApproverInfos, "FlowBatchUrlInfo.FlowBatchApproverInfos") ??
    [];
  let ttl = readExpiredOn(body.ExpiredOn);
  let targets: Approval[];
  if (batch.length > 0) {
    targets = dynamicTargets(flows, batch, "FlowBatchUrlInfo.FlowBatchApproverInfos");
    ttl = LINK_TTL.h5; // "动态签署方链接暂不支持修改过期时间"
  } else {
    targets = findPerson(flows, query, "FlowApproverInfo");
    requireOpen(targets);
  }
  const preset = readPreset(body);
  const link = issueLink(ctx, {
    group,
    recipientIds: targets.map((t) => t.approver.recipientId),
    flowIds: flows.map((f) => f.flowId),
    ttlSeconds: ttl,
    preview: false,
    preset,
    action,
  });
  return { seed: targets[0]!.approver, url: link.url, expiresAt: link.expiresAt };
}

/** ess `CreateBatchQuickSignUrl`: one H5 link for one person over a group (or FlowIds), 30 min or `ExpiredOn`. */
export const createBatchQuickSignUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const info = readObject(body.FlowApproverInfo, "FlowApproverInfo");
  if (!info) throw missing("FlowApproverInfo", "MissingParameter.FlowApprover");
  const type = readInteger(info.ApproverType, "FlowApproverInfo.ApproverType", "InvalidParameter.ApproverType");
  if (type !== 0 && type !== 1)
    throw invalid("FlowApproverInfo.ApproverType", "must be 0 (organization) or 1 (person)", "InvalidParameter.ApproverType");
  const query: PersonQuery = {
    recipientId: readString(info.RecipientId, "FlowApproverInfo.RecipientId") || undefined,
    signId: readString(info.SignId, "FlowApproverInfo.SignId") || undefined,
    name: readString(info.ApproverName, "FlowApproverInfo.ApproverName") || undefined,
    mobile: readString(info.ApproverMobile, "FlowApproverInfo.ApproverMobile") || undefined,
    organizationName: readString(info.OrganizationName, "FlowApproverInfo.OrganizationName") || undefined,
    person: type === 1,
  };
  const dynamic = readObject(body.FlowBatchUrlInfo, "FlowBatchUrlInfo") !== undefined;
  if (!dynamic && query.recipientId === undefined && query.signId === undefined) {
    if (query.name === undefined) throw missing("FlowApproverInfo.ApproverName", "MissingParameter.ApproverName");
    if (query.mobile === undefined) throw missing("FlowApproverInfo.ApproverMobile", "MissingParameter.ApproverMobile");
    if (type === 0 && query.organizationName === undefined)
      throw missing("FlowApproverInfo.OrganizationName", "MissingParameter.ApproverOrganizationInfo");
  }
  const { seed, url } = batchLink(body, ctx, owner, query, "CreateBatchQuickSignUrl");
  return {
    FlowApproverUrlInfo: {
      SignUrl: url,
      LongUrl: url,
      ApproverType: type,
      ApproverName: seed.name ?? query.name ?? "",
      ApproverMobile: seed.mobile ?? query.mobile ?? "",
    },
  };
};

/** essbasic `ChannelCreateBatchQuickSignUrl`: the channel edition's batch H5 link. */
export const channelCreateBatchQuickSignUrl: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const info = readObject(body.FlowApproverInfo, "FlowApproverInfo");
  if (!info) throw missing("FlowApproverInfo");
  const type = readString(info.ApproverType, "FlowApproverInfo.ApproverType") ?? "";
  if (type !== "PERSON" && type !== "ORGANIZATION")
    throw invalid("FlowApproverInfo.ApproverType", "must be PERSON or ORGANIZATION", "InvalidParameter.ApproverType");
  const saas = readBoolean(info.NotChannelOrganization, "FlowApproverInfo.NotChannelOrganization") ?? false;
  const openId = readString(info.OpenId, "FlowApproverInfo.OpenId") || undefined;
  const query: PersonQuery = {
    recipientId: readString(info.RecipientId, "FlowApproverInfo.RecipientId") || undefined,
    signId: readString(info.SignId, "FlowApproverInfo.SignId") || undefined,
    name: readString(info.Name, "FlowApproverInfo.Name") || undefined,
    mobile: readString(info.Mobile, "FlowApproverInfo.Mobile") || undefined,
    organizationName: readString(info.OrganizationName, "FlowApproverInfo.OrganizationName") || undefined,
    openId: type === "ORGANIZATION" && !saas ? openId : undefined,
    organizationOpenId: readString(info.OrganizationOpenId, "FlowApproverInfo.OrganizationOpenId") || owner.organizationOpenId,
    person: type === "PERSON",
  };
  const dynamic = readObject(body.FlowBatchUrlInfo, "FlowBatchUrlInfo") !== undefined;
  if (!dynamic && query.recipientId === undefined && query.signId === undefined && query.openId === undefined) {
    if (query.name === undefined) throw missing("FlowApproverInfo.Name", "InvalidParameter.Name");
    if (query.mobile === undefined) throw missing("FlowApproverInfo.Mobile", "InvalidParameter.NonsupportMobile");
  }
  const { seed, url } = batchLink(body, ctx, owner, query, "ChannelCreateBatchQuickSignUrl");
  return {
    FlowApproverUrlInfo: {
      SignUrl: url,
      LongUrl: url,
      ApproverType: type,
      Name: seed.name ?? query.name ?? "",
      Mobile: seed.mobile ?? query.mobile ?? "",
    },
  };
};

const END_POINTS = new Set(["HTTP", "HTTP_SHORT_URL", "APP"]);

/** A mini-program path for `APP` end points (what a native app hands to the mini-program). */
const appPath = (token: string): string => `pages/guide?from=emulator&where=mini&to=CONTRACT_DETAIL&shortKey=${token}`;

/**
 * ess `CreateSchemeUrl`: a 90-day mini-program link. With FlowGroupId (or FlowId) and a person
 * (Name + Mobile, + OrganizationName for an employee) it signs that person's flows; with
 * RecipientId / FlowGroupUrlInfo it lets a dynamic approver claim; with neither it only shows.
 */
export const createSchemeUrl: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const endPoint = readString(body.EndPoint, "EndPoint") || "HTTP";
  if (!END_POINTS.has(endPoint)) throw invalid("EndPoint", "must be HTTP, HTTP_SHORT_URL or APP", "InvalidParameter.EndPoint");
  const pathType = readInteger(body.PathType, "PathType") ?? 0;
  if (![0, 1, 2, 3].includes(pathType)) throw invalid("PathType", "must be 0, 1, 2 or 3", "InvalidParameter.ParamError");
  if (pathType === 1 && endPoint === "HTTP")
    throw invalid("PathType", "1 (the contract page) needs EndPoint HTTP_SHORT_URL or APP", "InvalidParameter.ParamError");
  const groupId = readString(body.FlowGroupId, "FlowGroupId") || undefined;
  const flowId = readString(body.FlowId, "FlowId") || undefined;
  if (groupId === undefined && flowId === undefined) {
    // The mini-program's home or list page: not a link to any contract.
    return { SchemeUrl: endPoint === "APP" ? "pages/guide?from=emulator" : `${ctx.baseUrl}/_emulator/`, SchemeQrcodeUrl: "" };
  }
  const flows =
    groupId !== undefined ? flowsByGroupOrIds({ FlowGroupId: groupId }, ctx, owner).flows : [ownedFlow(ctx, owner, flowId!, "FlowId").flow];
  const group = groupOf(ctx, flows);
  const recipientId = readString(body.RecipientId, "RecipientId") || undefined;
  const groupInfos =
    readArray(readObject(body.FlowGroupUrlInfo, "FlowGroupUrlInfo")?.FlowGroupApproverInfos, "FlowGroupUrlInfo.FlowGroupApproverInfos") ??
    [];
  const name = readString(body.Name, "Name") || undefined;
  const mobile = readString(body.Mobile, "Mobile") || undefined;
  const organizationName = readString(body.OrganizationName, "OrganizationName") || undefined;
  let targets: Approval[] = [];
  let dynamic = false;
  if (groupInfos.length > 0 || recipientId !== undefined) {
    dynamic = true;
    if (pathType !== 3)
      throw invalid("PathType", "must be 3 (the cover page) for a dynamic approver's claim link", "InvalidParameter.ParamError");
    const holder = flows.find((f) => f.approvers.some((a) => a.recipientId === recipientId));
    targets =
      groupInfos.length > 0
        ? dynamicTargets(flows, groupInfos, "FlowGroupUrlInfo.FlowGroupApproverInfos")
        : dynamicTargets(flows, [{ FlowId: holder?.flowId ?? "", RecipientId: recipientId }], "RecipientId");
  } else if (mobile !== undefined) {
    targets = findPerson(flows, { name, mobile, organizationName, person: organizationName === undefined }, "Mobile");
    requireOpen(targets);
  }
  const link = issueLink(ctx, {
    group,
    recipientIds: targets.map((t) => t.approver.recipientId),
    flowIds: flows.map((f) => f.flowId),
    ttlSeconds: LINK_TTL.miniProgram,
    preview: targets.length === 0,
    preset: dynamic ? { name, mobile, organizationName } : undefined,
    action: "CreateSchemeUrl",
  });
  return {
    SchemeUrl: endPoint === "APP" ? appPath(link.token) : link.url,
    // "在生成动态签署人跳转封面页链接时返回": the emulator's QR code is the link itself.
    SchemeQrcodeUrl: dynamic ? link.url : "",
  };
};

const GENERATE_TYPES = new Set(["ALL", "CHANNEL", "NOT_CHANNEL", "PERSON", "RECIPIENT", "FOLLOWER"]);
const SIGN_URL_END_POINTS = new Set(["WEIXINAPP", "CHANNEL", "APP", "LONGURL2WEIXINAPP"]);

/**
 * essbasic `CreateSignUrls`: 90-day links for a group (or flows), for everybody or one kind of
 * approver; one entry per approver and flow, every entry of one person opening the same page.
 */
export const createSignUrls: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const generateType = readString(body.GenerateType, "GenerateType") || "ALL";
  if (!GENERATE_TYPES.has(generateType)) throw invalid("GenerateType", "is not a supported generate type", "InvalidParameter.GenerateType");
  if (generateType === "FOLLOWER")
    throw new ApiError(
      "OperationDenied.Forbid",
      "GenerateType FOLLOWER (carbon-copy recipients) is not emulated: groups created from files have none.",
    );
  const endpoint = readString(body.Endpoint, "Endpoint") || "WEIXINAPP";
  if (!SIGN_URL_END_POINTS.has(endpoint)) throw invalid("Endpoint", "is not a supported end point", "InvalidParameter.EndPoint");
  if (endpoint === "CHANNEL" && generateType !== "ALL")
    throw invalid("Endpoint", "CHANNEL only goes with GenerateType ALL", "InvalidParameter.EndPoint");
  readJumpUrl(body.JumpUrl);
  const { group, flows } = flowsByGroupOrIds(body, ctx, owner);
  const grouped = readString(body.FlowGroupId, "FlowGroupId") ? group : undefined;
  if (generateType === "ALL" && !grouped && flows.length > 1)
    throw invalid("FlowIds", "may hold a single flow when GenerateType is ALL", "InvalidParameter.FlowIds");
  const name = readString(body.Name, "Name");
  const mobile = readString(body.Mobile, "Mobile");
  const openId = readString(body.OpenId, "OpenId");
  const orgOpenId = readString(body.OrganizationOpenId, "OrganizationOpenId");
  const orgName = readString(body.OrganizationName, "OrganizationName");
  const recipientIds = readStringArray(body.RecipientIds, "RecipientIds") ?? [];
  const groupInfos =
    readArray(readObject(body.FlowGroupUrlInfo, "FlowGroupUrlInfo")?.FlowGroupApproverInfos, "FlowGroupUrlInfo.FlowGroupApproverInfos") ??
    [];
  if (generateType === "PERSON" && (!name || !mobile)) throw missing(!name ? "Name" : "Mobile");
  if (generateType === "CHANNEL" && !orgOpenId) throw missing("OrganizationOpenId");
  if (generateType === "NOT_CHANNEL" && !orgName) throw missing("OrganizationName");
  if (generateType === "RECIPIENT" && recipientIds.length === 0 && groupInfos.length === 0) throw missing("RecipientIds");

  const dynamicIds = new Set([
    ...recipientIds,
    ...groupInfos.map(
      (raw, i) => readString(readObject(raw, `FlowGroupUrlInfo.FlowGroupApproverInfos[${i}]`)?.RecipientId, "RecipientId") ?? "",
    ),
  ]);
  const wanted = (a: ApproverRecord): boolean => {
    if (a.role === "autoSign" || (a.state !== "PENDING" && a.state !== "FILLPENDING")) return false;
    switch (generateType) {
      case "PERSON":
        return a.role === "person" && (a.mobile === mobile || a.dynamic);
      case "CHANNEL":
        return (
          a.role === "organization" && (a.organizationOpenId === orgOpenId || a.dynamic) && (!openId || a.openId === openId || a.dynamic)
        );
      case "NOT_CHANNEL":
        return a.role === "organization" && a.organizationOpenId === undefined && (a.organizationName === orgName || a.dynamic);
      case "RECIPIENT":
        return dynamicIds.has(a.recipientId);
      default:
        return true;
    }
  };
  const open = flows.filter((f) => !isFinal(f)).flatMap((flow) => flow.approvers.filter(wanted).map((approver) => ({ flow, approver })));
  if (open.length === 0) throw new ApiError("ResourceNotFound.FlowApprover", "No open approval matches the request.");
  const infos = open.map(({ flow, approver }) => {
    const mine = approver.state === "FILLPENDING" ? [{ flow, approver }] : openApprovals(approvalsOfPerson(flows, approver));
    const link = issueLink(ctx, {
      group: grouped ?? groupOf(ctx, [flow]),
      recipientIds: mine.map((m) => m.approver.recipientId),
      flowIds: grouped ? flows.map((f) => f.flowId) : [flow.flowId],
      ttlSeconds: LINK_TTL.miniProgram,
      preview: false,
      preset:
        approver.state === "FILLPENDING"
          ? { name: name ?? undefined, mobile: mobile ?? undefined, organizationName: orgName ?? undefined }
          : undefined,
      action: "CreateSignUrls",
    });
    return {
      SignUrl: endpoint === "APP" ? appPath(link.token) : link.url,
      Deadline: flow.deadline,
      SignOrder: approver.signOrder,
      SignId: approver.signId,
      Name: approver.name ?? "",
      Mobile: approver.mobile ?? "",
      OrganizationName: approver.organizationName ?? "",
      ApproverType: approver.role === "person" ? "PERSON" : "ORGANIZATION",
      FlowId: flow.flowId,
      OpenId: approver.openId ?? "",
      FlowGroupId: grouped?.groupId ?? "",
      SignQrcodeUrl: approver.state === "FILLPENDING" ? link.url : "",
    };
  });
  return { SignUrlInfos: infos, ErrorMessages: infos.map(() => "") };
};
