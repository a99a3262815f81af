import { ApiError, invalid, missing } from "../protocol/api-error";
import { readArray, readObject, readString, type Json } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essCaller } from "./identity";

/**
 * `UploadFiles` of both editions. The emulator keeps each file's name and size (not its bytes) and
 * lets its id be used for an hour, the documented default.
 */

const BUSINESS_TYPES = new Set(["TEMPLATE", "DOCUMENT", "SEAL", "ARCHIVE", "BUSINESSLICENSE"]);
const FILE_LIFETIME_SECONDS = 3600;
const MAX_FILES = 20;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function storeFiles(body: Json, ctx: ActionContext, appId?: string): { FileIds: string[]; TotalCount: number; Deadline: number } {
  const businessType = readString(body.BusinessType, "BusinessType", { required: true })!;
  if (!BUSINESS_TYPES.has(businessType)) throw invalid("BusinessType", "is not a supported business type", "InvalidParameter.ParamError");
  const infos = readArray(body.FileInfos, "FileInfos");
  if (!infos || infos.length === 0) throw missing("FileInfos");
  if (infos.length > MAX_FILES) throw invalid("FileInfos", `holds more than ${MAX_FILES} files`, "InvalidParameter.ParamError");
  const files = infos.map((raw, i) => {
    const info = readObject(raw, `FileInfos[${i}]`);
    if (!info) throw missing(`FileInfos[${i}]`);
    const text = readString(info.FileBody, `FileInfos[${i}].FileBody`, { required: true })!.replace(/\s+/g, "");
    if (text.length % 4 !== 0 || !BASE64.test(text)) throw invalid(`FileInfos[${i}].FileBody`, "is not base64", "InvalidParameter.ParamError");
    const fileName = readString(info.FileName, `FileInfos[${i}].FileName`, { maxLength: 200, invalidCode: "InvalidParameter.ParamError" }) || "file.pdf";
    return { fileName, size: Buffer.byteLength(text, "base64") };
  });
  const expiresAt = nowSeconds(ctx) + FILE_LIFETIME_SECONDS;
  const fileIds = files.map((f) => {
    const fileId = ctx.ids.id();
    ctx.world.addFile({ fileId, edition: ctx.edition, fileName: f.fileName, size: f.size, expiresAt, ...(appId !== undefined ? { appId } : {}) });
    return fileId;
  });
  return { FileIds: fileIds, TotalCount: fileIds.length, Deadline: expiresAt };
}

/** ess `UploadFiles` (the caller is `Caller.OperatorId`). */
export const essUploadFiles: ActionHandler = (body, ctx) => {
  const caller = readObject(body.Caller, "Caller");
  essCaller(body, ctx, readString(caller?.OperatorId, "Caller.OperatorId"), "Caller.OperatorId");
  return storeFiles(body, ctx);
};

/** essbasic `UploadFiles` (files belong to `Agent.AppId`). */
export const essbasicUploadFiles: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  if (owner.appId === undefined) throw new ApiError("InternalError", "agent without application");
  return storeFiles(body, ctx, owner.appId);
};
