import type { Owner } from "../core/model";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { MOBILE_PATTERN, readArray, readBoolean, readInteger, readObject, readString, readStringArray, type Json } from "../protocol/read";
import { checkSignComponents, type ComponentCodes } from "./components";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { checkDeadline, checkFile, createGroup, duplicateKey, type ApproverDraft, type FlowDraft } from "./create-group";
import { essOperator } from "./identity";

/**
 * `CreateFlowGroupByFiles` (ess 2020-11-11), checked the way ESS checks it: the first problem
 * found, in document order, answered with the codes of the action's documentation.
 */

const COMPONENT_CODES: ComponentCodes = {
  missing: "MissingParameter.ApproverSignComponent",
  type: "OperationDenied.NoSupportComponentType",
  fileIndex: "InvalidParameter.ComponentFileIndex",
  page: "InvalidParameter.ComponentPage",
  position: "InvalidParameter.ComponentPosition",
  personSeal: "InvalidParameter.SignComponents",
  autoSignHandwritten: "OperationDenied.ServerSignNoSupportSignature",
};

const CARD_PATTERNS: Record<string, RegExp> = {
  ID_CARD: /^\d{17}[\dX]$/,
  HONGKONG_AND_MACAO: /^[HM]\d{10}$/,
  HONGKONG_MACAO_AND_TAIWAN: /^\d{17}[\dX]$/,
};

const NOTIFY_TYPES = new Set(["sms", "none"]);

function checkOptions(body: Json): void {
  const options = readObject(body.FlowGroupOptions, "FlowGroupOptions");
  if (!options) return;
  const verify = readString(options.ApproverVerifyType, "FlowGroupOptions.ApproverVerifyType");
  if (verify !== undefined && verify !== "" && verify !== "VerifyCheck" && verify !== "MobileCheck")
    throw invalid("FlowGroupOptions.ApproverVerifyType", "must be VerifyCheck or MobileCheck", "InvalidParameter.ParamError");
  for (const key of ["SelfOrganizationApproverNotifyType", "OtherApproverNotifyType"]) {
    const value = readString(options[key], `FlowGroupOptions.${key}`);
    if (value !== undefined && value !== "" && !NOTIFY_TYPES.has(value.toLowerCase()))
      throw invalid(`FlowGroupOptions.${key}`, "must be sms or none", "InvalidParameter.NotifyType");
  }
}

function checkIdCard(a: Json, path: string): void {
  const type = readString(a.ApproverIdCardType, `${path}.ApproverIdCardType`) || "ID_CARD";
  const pattern = CARD_PATTERNS[type];
  if (!pattern) throw invalid(`${path}.ApproverIdCardType`, "is not a supported card type", "InvalidParameter.CardType");
  const number = readString(a.ApproverIdCardNumber, `${path}.ApproverIdCardNumber`);
  if (number !== undefined && number !== "" && !pattern.test(number))
    throw invalid(`${path}.ApproverIdCardNumber`, "does not match its card type", "InvalidParameter.CardNumber");
}

/** The seal an auto-signer stamps with must exist and belong to the starting organization. */
function autoSignSeal(ctx: ActionContext, owner: Owner, sealValues: string[], path: string): string {
  const sealId = sealValues.find((v) => v !== "");
  if (sealId === undefined) throw missing(`${path}.SignComponents[].ComponentValue`, "MissingParameter.ServerSignSealId");
  const seal = ctx.directory.seals.get(sealId);
  if (seal?.edition !== "ess") throw invalid(`${path}.SignComponents`, "names a seal that does not exist", "InvalidParameter.SealId");
  if (seal.ownerKey !== owner.key)
    throw new ApiError(
      "OperationDenied.NoPermissionUseServerSignSeal",
      `The seal given in \`${path}.SignComponents\` does not belong to the starting organization.`,
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
  if (!a) throw missing(path, "MissingParameter.FlowApprover");
  const type = readInteger(a.ApproverType, `${path}.ApproverType`, "InvalidParameter.ApproverType");
  if (type === undefined) throw missing(`${path}.ApproverType`, "InvalidParameter.ApproverType");
  if (![0, 1, 3, 7].includes(type)) throw invalid(`${path}.ApproverType`, "must be 0, 1, 3 or 7", "InvalidParameter.ApproverType");
  if (type === 7)
    throw new ApiError(
      "OperationDenied.WhiteListForbid",
      `\`${path}.ApproverType\` 7 (personal auto-sign) is a whitelist feature this organization lacks.`,
    );
  const fillType =
    readInteger(
      readObject(a.ApproverOption, `${path}.ApproverOption`)?.FillType,
      `${path}.ApproverOption.FillType`,
      "InvalidParameter.ParamError",
    ) ?? 0;
  if (fillType !== 0 && fillType !== 1) throw invalid(`${path}.ApproverOption.FillType`, "must be 0 or 1", "InvalidParameter.ParamError");
  const dynamic = fillType === 1;
  const role = type === 1 ? "person" : type === 3 ? "autoSign" : "organization";
  const roleName =
    readString(a.ApproverRoleName, `${path}.ApproverRoleName`, { maxLength: 20, invalidCode: "InvalidParameter.ParamError" }) ?? "";
  let name = readString(a.ApproverName, `${path}.ApproverName`, { maxLength: 50, invalidCode: "InvalidParameter.Name" }) || undefined;
  let mobile =
    readString(a.ApproverMobile, `${path}.ApproverMobile`, { pattern: MOBILE_PATTERN, invalidCode: "InvalidParameter.Mobile" }) ||
    undefined;
  let organizationName =
    readString(a.OrganizationName, `${path}.OrganizationName`, { maxLength: 200, invalidCode: "InvalidParameter.OrganizationName" }) ||
    undefined;
  const userId = readString(a.UserId, `${path}.UserId`) || undefined;
  let organizationId: string | undefined;
  checkIdCard(a, path);

  if (!dynamic) {
    if (userId !== undefined) {
      const found = ctx.directory.essEmployees.get(userId);
      if (!found) throw new ApiError("ResourceNotFound.User", `The employee named by \`${path}.UserId\` does not exist.`);
      // A verified UserId overrides the name and mobile given (ESS documents this).
      name = found.employee.name;
      mobile = found.employee.mobile;
      organizationName ??= found.organization.name;
      organizationId = found.organization.organizationId;
    }
    if (role === "person" && organizationName !== undefined)
      throw new ApiError(
        "OperationDenied.ErrNoSupportIndividualHasOrganizationName",
        `\`${path}\` is a person (ApproverType 1) and cannot carry an OrganizationName.`,
      );
    if (role !== "person" && organizationName === undefined)
      throw missing(`${path}.OrganizationName`, "MissingParameter.ApproverOrganizationInfo");
    if (role !== "autoSign") {
      if (name === undefined) throw missing(`${path}.ApproverName`, "MissingParameter.ApproverName");
      if (mobile === undefined) throw missing(`${path}.ApproverMobile`, "MissingParameter.ApproverMobile");
    }
  }
  if (role === "autoSign" || (role === "organization" && organizationName === owner.organizationName)) {
    organizationName ??= owner.organizationName;
    organizationId ??= owner.organizationId;
  }
  const components = checkSignComponents(a.SignComponents, `${path}.SignComponents`, filePages, role, COMPONENT_CODES);
  const sealId = role === "autoSign" ? autoSignSeal(ctx, owner, components.sealValues, path) : undefined;
  return { role, wireType: String(type), dynamic, roleName, name, mobile, organizationName, organizationId, userId, sealId };
}

function flow(raw: unknown, path: string, ctx: ActionContext, owner: Owner): FlowDraft {
  const f = readObject(raw, path);
  if (!f) throw missing(path);
  const name = readString(f.FlowName, `${path}.FlowName`, {
    required: true,
    missingCode: "InvalidParameter.FlowName",
    maxLength: 200,
    invalidCode: "InvalidParameter.FlowName",
  })!;
  const type = readString(f.FlowType, `${path}.FlowType`, { maxLength: 200, invalidCode: "InvalidParameter.FlowType" }) ?? "";
  const description =
    readString(f.FlowDescription, `${path}.FlowDescription`, { maxLength: 1000, invalidCode: "InvalidParameter.FlowDescription" }) ?? "";
  const deadline = checkDeadline(
    readInteger(f.Deadline, `${path}.Deadline`, "InvalidParameter.FlowDeadLine"),
    `${path}.Deadline`,
    nowSeconds(ctx),
    "InvalidParameter.FlowDeadLine",
  );
  const userData = readString(f.UserData, `${path}.UserData`, { maxLength: 20480, invalidCode: "InvalidParameter.FlowUserData" }) ?? "";
  readString(f.CallbackUrl, `${path}.CallbackUrl`, {
    maxLength: 1000,
    pattern: /^https?:\/\/\S+$/,
    invalidCode: "InvalidParameter.FlowCallbackUrl",
  });
  const unordered = readBoolean(f.Unordered, `${path}.Unordered`) ?? false;
  const fileIds = readStringArray(f.FileIds, `${path}.FileIds`) ?? [];
  if (fileIds.length === 0) throw missing(`${path}.FileIds`, "MissingParameter.ResourceId");
  if (fileIds.length > 1) throw new ApiError("OperationDenied.ManyResourceId", `\`${path}.FileIds\` takes a single file.`);
  const filePages = fileIds.map((id, k) => checkFile(ctx, id, `${path}.FileIds[${k}]`));
  const list = readArray(f.Approvers, `${path}.Approvers`) ?? [];
  if (list.length === 0) throw missing(`${path}.Approvers`, "MissingParameter.FlowApprover");
  if (list.length > 50) throw invalid(`${path}.Approvers`, "holds more than 50 approvers", "InvalidParameter.ParamError");
  const approvers = list.map((a, j) => approver(a, `${path}.Approvers[${j}]`, ctx, owner, filePages));
  const seen = new Set<string>();
  approvers.forEach((a, j) => {
    const key = duplicateKey(a);
    if (key === undefined) return;
    if (seen.has(key))
      throw new ApiError("OperationDenied.ApproverRepeat", `\`${path}.Approvers[${j}]\` repeats an approver of the same flow.`);
    seen.add(key);
  });
  return { name, type, description, userData, unordered, deadline, fileIds, approvers };
}

/** The action handler. */
export const createFlowGroupByFiles: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const groupName = readString(body.FlowGroupName, "FlowGroupName", {
    required: true,
    maxLength: 200,
    invalidCode: "InvalidParameter.ParamError",
  })!;
  const infos = readArray(body.FlowGroupInfos, "FlowGroupInfos");
  if (!infos) throw missing("FlowGroupInfos");
  if (infos.length < 2 || infos.length > 50) throw invalid("FlowGroupInfos", "must hold 2 to 50 flows", "InvalidParameter.ParamError");
  checkOptions(body);
  const drafts = infos.map((raw, i) => flow(raw, `FlowGroupInfos[${i}]`, ctx, owner));
  return createGroup(ctx, owner, groupName, drafts);
};
