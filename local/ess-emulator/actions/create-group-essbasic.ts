import type { ApproverRole, Owner } from "../core/model";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { MOBILE_PATTERN, readArray, readBoolean, readInteger, readObject, readString, readStringArray, type Json } from "../protocol/read";
import { checkSignComponents, type ComponentCodes } from "./components";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { checkDeadline, checkFile, createGroup, duplicateKey, type ApproverDraft, type FlowDraft } from "./create-group";
import { essbasicAgent } from "./identity";

/**
 * `ChannelCreateFlowGroupByFiles` (essbasic 2021-05-26), checked the way the channel edition
 * checks it: first problem only, codes from the action's documentation.
 */

const COMPONENT_CODES: ComponentCodes = {
  missing: "MissingParameter",
  type: "InvalidParameter.SignComponentType",
  fileIndex: "InvalidParameter.ParamError",
  page: "InvalidParameter.ParamError",
  position: "InvalidParameter.ParamError",
  personSeal: "InvalidParameter.SignComponentType",
  autoSignHandwritten: "InvalidParameter.SignComponentType",
};

const APPROVER_ROLES: Record<string, ApproverRole> = {
  PERSON: "person",
  ORGANIZATION: "organization",
  ENTERPRISESERVER: "autoSign",
};

/** The FlowFileInfo documentation caps a flow at five parties. */
const MAX_APPROVERS = 5;

function autoSignSeal(ctx: ActionContext, ownerKey: string, sealValues: string[], path: string): string {
  const sealId = sealValues.find((v) => v !== "");
  if (sealId === undefined) throw missing(`${path}.SignComponents[].ComponentValue`);
  const seal = ctx.directory.seals.get(sealId);
  if (seal?.edition !== "essbasic")
    throw new ApiError("ResourceNotFound.Seal", `The seal given in \`${path}.SignComponents\` does not exist.`);
  if (seal.ownerKey !== ownerKey)
    throw new ApiError(
      "OperationDenied.ErrNoResourceAccess",
      `The seal given in \`${path}.SignComponents\` does not belong to the signing organization.`,
    );
  return sealId;
}

function approver(
  raw: unknown,
  path: string,
  ctx: ActionContext,
  owner: Owner,
  filePages: ReadonlyArray<number | undefined>,
): ApproverDraft {
  const a = readObject(raw, path);
  if (!a) throw invalid(path, "must be an approver object", "InvalidParameter.FlowApprovers");
  const wireType = readString(a.ApproverType, `${path}.ApproverType`, { required: true, missingCode: "InvalidParameter.ApproverType" })!;
  if (wireType === "PERSON_AUTO_SIGN")
    throw new ApiError(
      "OperationDenied.ByFilesServerSignForbid",
      `\`${path}.ApproverType\` PERSON_AUTO_SIGN is a whitelist feature this application lacks.`,
    );
  const role = APPROVER_ROLES[wireType];
  if (!role) throw invalid(`${path}.ApproverType`, "must be PERSON, ORGANIZATION or ENTERPRISESERVER", "InvalidParameter.ApproverType");
  if (role === "autoSign" && !ctx.directory.applications.get(owner.appId!)!.autoSignEnabled)
    throw new ApiError(
      "OperationDenied.ByFilesServerSignForbid",
      "File-based auto-sign (ENTERPRISESERVER) is not enabled for this application.",
    );
  const fillType =
    readInteger(
      readObject(a.ApproverOption, `${path}.ApproverOption`)?.FillType,
      `${path}.ApproverOption.FillType`,
      "InvalidParameter.ParamError",
    ) ?? 0;
  if (fillType !== 0 && fillType !== 1) throw invalid(`${path}.ApproverOption.FillType`, "must be 0 or 1", "InvalidParameter.ParamError");
  const dynamic = fillType === 1;
  const roleName =
    readString(a.ApproverRoleName, `${path}.ApproverRoleName`, { maxLength: 20, invalidCode: "InvalidParameter.ParamError" }) ?? "";
  let name = readString(a.Name, `${path}.Name`, { maxLength: 50, invalidCode: "InvalidParameter.Name" }) || undefined;
  let mobile =
    readString(a.Mobile, `${path}.Mobile`, { pattern: MOBILE_PATTERN, invalidCode: "InvalidParameter.NonsupportMobile" }) || undefined;
  let organizationName =
    readString(a.OrganizationName, `${path}.OrganizationName`, { maxLength: 200, invalidCode: "InvalidParameter.OrganizationName" }) ||
    undefined;
  const openId =
    readString(a.OpenId, `${path}.OpenId`, { maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, invalidCode: "InvalidParameter.ParamError" }) ||
    undefined;
  const givenOrgOpenId = readString(a.OrganizationOpenId, `${path}.OrganizationOpenId`, { maxLength: 64 }) || undefined;
  const saas = readBoolean(a.NotChannelOrganization, `${path}.NotChannelOrganization`) ?? false;
  // Channel organizations default to the starting one; SaaS organizations have no OpenId.
  const organizationOpenId =
    role === "person" || (role === "organization" && saas) ? undefined : (givenOrgOpenId ?? owner.organizationOpenId);
  const org = organizationOpenId !== undefined ? ctx.directory.essbasicOrganization(owner.appId!, organizationOpenId) : undefined;

  if (!dynamic) {
    if (role === "person") {
      if (name === undefined) throw missing(`${path}.Name`, "InvalidParameter.Name");
      if (mobile === undefined) throw missing(`${path}.Mobile`, "InvalidParameter.NonsupportMobile");
    } else if (role === "organization" && saas) {
      if (organizationName === undefined) throw missing(`${path}.OrganizationName`, "InvalidParameter.OrganizationName");
      if (name === undefined) throw missing(`${path}.Name`, "InvalidParameter.Name");
      if (mobile === undefined) throw missing(`${path}.Mobile`, "InvalidParameter.NonsupportMobile");
    } else {
      if (role === "autoSign" && !org)
        throw new ApiError("ResourceNotFound", `\`${path}.OrganizationOpenId\` is not an organization of this application.`);
      if (!org && organizationName === undefined) throw missing(`${path}.OrganizationName`, "InvalidParameter.OrganizationName");
      const employee = openId !== undefined ? org?.employees.find((e) => e.openId === openId) : undefined;
      if (employee) {
        // A verified OpenId overrides the name and mobile given (the channel documentation says so).
        name = employee.name;
        mobile = employee.mobile;
      }
      organizationName ??= org?.name;
    }
  }
  const components = checkSignComponents(a.SignComponents, `${path}.SignComponents`, filePages, role, COMPONENT_CODES);
  // A dynamic auto-signer's organization is only known once filled: its seal is checked then.
  const sealId =
    role === "autoSign" && !dynamic
      ? autoSignSeal(ctx, `essbasic:${owner.appId}:${organizationOpenId}`, components.sealValues, path)
      : components.sealValues.find((v) => v !== "");
  return {
    role,
    wireType,
    dynamic,
    roleName,
    name,
    mobile,
    organizationName,
    openId,
    organizationOpenId: dynamic ? undefined : organizationOpenId,
    sealId,
  };
}

function flow(raw: unknown, path: string, ctx: ActionContext, owner: Owner): FlowDraft {
  const f = readObject(raw, path);
  if (!f) throw missing(path);
  const fileIds = readStringArray(f.FileIds, `${path}.FileIds`) ?? [];
  if (fileIds.length === 0) throw missing(`${path}.FileIds`);
  if (fileIds.length > 1) throw invalid(`${path}.FileIds`, "takes a single file", "InvalidParameter.FlowFileIds");
  const filePages = fileIds.map((id, k) => checkFile(ctx, id, `${path}.FileIds[${k}]`, owner.appId));
  const name = readString(f.FlowName, `${path}.FlowName`, {
    required: true,
    missingCode: "InvalidParameter.FlowName",
    maxLength: 200,
    invalidCode: "InvalidParameter.FlowName",
  })!;
  const type = readString(f.FlowType, `${path}.FlowType`, { maxLength: 255, invalidCode: "InvalidParameter.FlowType" }) ?? "";
  const description =
    readString(f.FlowDescription, `${path}.FlowDescription`, { maxLength: 1000, invalidCode: "InvalidParameter.FlowDescription" }) ?? "";
  const deadline = checkDeadline(
    readInteger(f.Deadline, `${path}.Deadline`, "InvalidParameter.FlowDeadLine"),
    `${path}.Deadline`,
    nowSeconds(ctx),
    "InvalidParameter.FlowDeadLine",
  );
  const userData =
    readString(f.CustomerData, `${path}.CustomerData`, { maxLength: 1000, invalidCode: "InvalidParameter.CustomerData" }) ?? "";
  readString(f.CallbackUrl, `${path}.CallbackUrl`, {
    maxLength: 1000,
    pattern: /^https?:\/\/\S+$/,
    invalidCode: "InvalidParameter.FlowCallbackUrl",
  });
  const unordered = readBoolean(f.Unordered, `${path}.Unordered`, "InvalidParameter.Unordered") ?? false;
  readBoolean(f.NeedSignReview, `${path}.NeedSignReview`);
  const list = readArray(f.FlowApprovers, `${path}.FlowApprovers`) ?? [];
  if (list.length === 0 || list.length > MAX_APPROVERS)
    throw invalid(`${path}.FlowApprovers`, `must hold 1 to ${MAX_APPROVERS} approvers`, "InvalidParameter.FlowApprovers");
  const approvers = list.map((a, j) => approver(a, `${path}.FlowApprovers[${j}]`, ctx, owner, filePages));
  const seen = new Set<string>();
  approvers.forEach((a, j) => {
    const key = duplicateKey(a);
    if (key === undefined) return;
    if (seen.has(key))
      throw new ApiError(
        "InvalidParameter.BizApproverAlreadyExists",
        `\`${path}.FlowApprovers[${j}]\` repeats an approver of the same flow.`,
      );
    seen.add(key);
  });
  return { name, type, description, userData, unordered, deadline, fileIds, approvers };
}

/** The action handler. */
export const channelCreateFlowGroupByFiles: ActionHandler = (body: Json, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const groupName = readString(body.FlowGroupName, "FlowGroupName", {
    required: true,
    maxLength: 200,
    invalidCode: "InvalidParameter.ParamError",
  })!;
  const verify = readString(body.ApproverVerifyType, "ApproverVerifyType");
  if (verify !== undefined && verify !== "" && verify !== "VerifyCheck" && verify !== "MobileCheck")
    throw invalid("ApproverVerifyType", "must be VerifyCheck or MobileCheck", "InvalidParameter.ApproverVerifyType");
  readObject(body.FlowGroupOptions, "FlowGroupOptions");
  const infos = readArray(body.FlowFileInfos, "FlowFileInfos");
  if (!infos) throw missing("FlowFileInfos");
  if (infos.length < 2 || infos.length > 50) throw invalid("FlowFileInfos", "must hold 2 to 50 flows", "InvalidParameter.ParamError");
  const drafts = infos.map((raw, i) => flow(raw, `FlowFileInfos[${i}]`, ctx, owner));
  return createGroup(ctx, owner, groupName, drafts);
};
