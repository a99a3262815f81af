import { maskMobile, maskName } from "../../../shared/log/mask";
import { APPROVER_STATUS_CODE, FLOW_STATUS_CODE, type ApproverRecord, type FlowRecord, type EmulatedGroup } from "../core/model";
import { deriveGroupState } from "../core/transitions";
import type { World } from "../core/world";

/**
 * What `GET /_emulator/state` shows. Names and mobiles are masked: the view is meant to be printed
 * by demos and tests; select people by RecipientId, or by the mobile you already know.
 */

export interface ApproverView {
  recipientId: string;
  signId: string;
  approverRoleName: string;
  /** ess `ApproverType` number as text, or the essbasic word. */
  approverType: string;
  role: ApproverRecord["role"];
  dynamic: boolean;
  status: string;
  /** ess `ApproveCallbackStatus` number. */
  statusCode: number;
  name: string;
  mobile: string;
  organizationName: string;
  userId?: string;
  openId?: string;
  organizationOpenId?: string;
  approveTime?: number;
  message?: string;
  signUrl: string;
  /** Reminders (催办 SMS) sent to this approver. */
  remindCount: number;
}

/** One flow in the state view. */
export interface FlowView {
  flowId: string;
  flowName: string;
  /** INIT, FILLING (waiting for a dynamic approver), PART, ALL, REJECT, DEADLINE, CANCEL. */
  status: string;
  /** ess `FlowStatus` number. */
  statusCode: number;
  unordered: boolean;
  deadline: number;
  message?: string;
  approvers: ApproverView[];
}

/** One group in the state view. */
export interface GroupView {
  flowGroupId: string;
  flowGroupName: string;
  edition: string;
  /** TOSIGN, WAITSIGN, PART, ALL, INVALID. */
  status: string;
  createdOn: number;
  organizationName: string;
  owner: string;
  flows: FlowView[];
}

/** An uploaded file in the state view (fixture files are not listed). */
export interface FileView {
  fileId: string;
  edition: string;
  fileName: string;
  /** pdf, png, jpeg, doc, docx, xls, xlsx, html or zip, from the file's bytes. */
  kind: string;
  /** Pages of a PDF. */
  pages?: number;
  size: number;
  /** Unix seconds after which the FileId no longer starts flows. */
  expiresAt?: number;
}

/** `GET /_emulator/state`. */
export interface StateView {
  groups: GroupView[];
  uploadedFiles: number;
  /** Uploaded files, oldest first. */
  files: FileView[];
  quotas: Array<{ owner: string; quota: number | null; used: number }>;
}

function approverView(a: ApproverRecord, baseUrl: string, reminds: ReadonlyMap<string, number>): ApproverView {
  return {
    recipientId: a.recipientId,
    signId: a.signId,
    approverRoleName: a.roleName,
    approverType: a.wireType,
    role: a.role,
    dynamic: a.dynamic,
    status: a.state,
    statusCode: APPROVER_STATUS_CODE[a.state],
    name: a.name ? maskName(a.name) : "",
    mobile: a.mobile ? maskMobile(a.mobile) : "",
    organizationName: a.organizationName ?? "",
    // Empty texts left out of the answer, as before ("" is "not set").
    userId: a.userId || undefined,
    openId: a.openId || undefined,
    organizationOpenId: a.organizationOpenId || undefined,
    approveTime: a.approveTime,
    message: a.message || undefined,
    signUrl: `${baseUrl}/_emulator/sign/${a.recipientId}`,
    remindCount: reminds.get(a.recipientId) ?? 0,
  };
}

function flowView(f: FlowRecord, baseUrl: string, reminds: ReadonlyMap<string, number>): FlowView {
  return {
    flowId: f.flowId,
    flowName: f.name,
    status: f.state,
    statusCode: FLOW_STATUS_CODE[f.state],
    unordered: f.unordered,
    deadline: f.deadline,
    message: f.message || undefined,
    approvers: f.approvers.map((a) => approverView(a, baseUrl, reminds)),
  };
}

/** The view of one group, with its status derived now. */
export function groupView(world: World, g: EmulatedGroup, baseUrl: string): GroupView {
  const flows = world.groupFlows(g);
  return {
    flowGroupId: g.groupId,
    flowGroupName: g.name,
    edition: g.edition,
    status: deriveGroupState(flows, g.owner),
    createdOn: g.createdOn,
    organizationName: g.owner.organizationName,
    owner: g.owner.key,
    flows: flows.map((f) => flowView(f, baseUrl, world.reminds)),
  };
}

/** The view of every group (or one), uploads and quotas. */
export function stateView(world: World, baseUrl: string, flowGroupId?: string): StateView {
  const groups = [...world.groups.values()].filter((g) => flowGroupId === undefined || g.groupId === flowGroupId);
  const uploads = [...world.files.values()].filter((f) => f.expiresAt !== undefined);
  return {
    groups: groups.map((g) => groupView(world, g, baseUrl)),
    uploadedFiles: uploads.length,
    files: uploads.map((f) => ({
      fileId: f.fileId,
      edition: f.edition,
      fileName: f.fileName,
      kind: f.kind ?? "pdf",
      pages: f.pages,
      size: f.size,
      expiresAt: f.expiresAt,
    })),
    quotas: world.quotaUsage(),
  };
}
