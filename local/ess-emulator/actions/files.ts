import type { FlowRecord } from "../core/model";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readInteger, readString, readStringArray } from "../protocol/read";
import type { ActionContext, ActionHandler } from "./context";
import { nowSeconds } from "./context";
import { essbasicAgent, essOperator, sameOwner } from "./identity";
import { ownedFlow } from "./lookup";

/**
 * Download links of flows' contracts: ess `DescribeFileUrls` (BusinessType FLOW) and essbasic
 * `DescribeResourceUrlsByFlows`. A link (`/_emulator/files/<token>`) serves the flow's PDF with a
 * signature page (documents/signed-pdf.ts) until it expires: `UrlTtl` seconds (default 5 minutes,
 * at most a day) for ess, 5 minutes for essbasic. ESS asks callers to download once the flow is ALL
 * (the PDF is composed 1–3 s after the last signature); earlier, the link serves the contract as
 * signed so far, as ESS does for flows still being signed.
 */

const DEFAULT_TTL = 300;

function downloadUrl(ctx: ActionContext, flow: FlowRecord, ttl: number): string {
  const token = ctx.ids.id();
  ctx.world.downloads.set(token, { flowId: flow.flowId, expiresAt: nowSeconds(ctx) + ttl });
  return `${ctx.baseUrl}/_emulator/files/${token}`;
}

/** ess `DescribeFileUrls` for BusinessType FLOW: one PDF link per flow, paged by Offset/Limit. */
export const describeFileUrls: ActionHandler = (body, ctx) => {
  const owner = essOperator(body, ctx);
  const businessType = readString(body.BusinessType, "BusinessType", { required: true })!;
  if (businessType !== "FLOW")
    throw invalid("BusinessType", "is not emulated: only FLOW (a flow's contract) is", "InvalidParameter.BusinessType");
  const ids = readStringArray(body.BusinessIds, "BusinessIds") ?? [];
  if (ids.length === 0) throw missing("BusinessIds", "InvalidParameter.BusinessId");
  if (ids.length > 20) throw invalid("BusinessIds", "holds more than 20 flows", "InvalidParameter.BusinessId");
  const fileType = (readString(body.FileType, "FileType") || "PDF").toUpperCase();
  if (fileType !== "PDF") throw invalid("FileType", "is not emulated: only PDF is", "InvalidParameter.ParamError");
  const ttlGiven = readInteger(body.UrlTtl, "UrlTtl") ?? 0;
  if (ttlGiven < 0 || ttlGiven > 86_400)
    throw invalid("UrlTtl", "must be from 1 to 86400 seconds (0: 5 minutes)", "InvalidParameter.ParamError");
  const limit = readInteger(body.Limit, "Limit") ?? 20;
  const offset = readInteger(body.Offset, "Offset") ?? 0;
  if (limit < 1 || limit > 100) throw invalid("Limit", "must be from 1 to 100", "InvalidParameter.Limit");
  if (offset < 0 || offset > 1000) throw invalid("Offset", "must be from 0 to 1000", "InvalidParameter.Offset");
  const flows = ids.map((id, i) => ownedFlow(ctx, owner, id, `BusinessIds[${i}]`).flow);
  const ttl = ttlGiven === 0 ? DEFAULT_TTL : ttlGiven;
  const page = flows.slice(offset * limit, offset * limit + limit);
  return {
    FileUrls: page.map((flow) => ({ Url: downloadUrl(ctx, flow, ttl), Option: "" })),
    TotalCount: flows.length,
  };
};

/** essbasic `DescribeResourceUrlsByFlows`: per flow its PDF link, or the reason in ErrorMessages. */
export const describeResourceUrlsByFlows: ActionHandler = (body, ctx) => {
  const owner = essbasicAgent(body, ctx);
  const ids = readStringArray(body.FlowIds, "FlowIds") ?? [];
  if (ids.length === 0) throw missing("FlowIds", "MissingParameter.FlowIds");
  if (ids.length > 50) throw invalid("FlowIds", "holds more than 50 flows", "LimitExceeded.FlowIds");
  const infos: Array<Record<string, unknown>> = [];
  const errors: string[] = [];
  for (const id of ids) {
    const flow = ctx.world.flows.get(id);
    const group = flow ? ctx.world.groups.get(flow.groupId) : undefined;
    if (!flow || !group || !sameOwner(owner, group.owner)) {
      infos.push({ FlowId: id, ResourceUrlInfos: [] });
      errors.push("合同不存在 (flow not found)");
      continue;
    }
    const files = flow.fileIds.map((fileId) => ctx.world.files.get(fileId));
    if (files.some((f) => f === undefined)) throw new ApiError("InternalError", "a flow's file is missing");
    infos.push({
      FlowId: id,
      ResourceUrlInfos: files.map((f) => ({ Url: downloadUrl(ctx, flow, DEFAULT_TTL), Name: f!.fileName, Type: "PDF" })),
    });
    errors.push("");
  }
  return { FlowResourceUrlInfos: infos, ErrorMessages: errors };
};
