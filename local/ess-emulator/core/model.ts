import type { Edition } from "../../../shared/ess/edition";
import type { FileKind } from "../documents/file-kinds";

/**
 * The emulator's own picture of ESS: groups, flows, approvers and their states, plus the tables
 * that turn states into the numbers and words each edition puts on the wire.
 */

/** The two ESS services, one vocabulary with ours (a type: nothing of our code runs in the emulator). */
export type { Edition };

/** `X-TC-Version` of each edition. */
export const API_VERSIONS: Record<Edition, string> = { ess: "2020-11-11", essbasic: "2021-05-26" };

/** Flow states. `FILLING` is "waiting for a dynamic approver to be filled" (ess status 8). */
export type FlowState = "INIT" | "FILLING" | "PART" | "ALL" | "REJECT" | "DEADLINE" | "CANCEL";

/** Approver states (`ApproveCallbackShowStatus` words). */
export type ApproverState = "PENDING" | "FILLPENDING" | "ACCEPT" | "REJECT" | "DEADLINE" | "CANCEL" | "STOP";

/** `FlowGroupStatus` values of `FlowGroupStatusChange`. */
export type GroupState = "TOSIGN" | "WAITSIGN" | "PART" | "ALL" | "INVALID";

/** States a flow never leaves. */
export const FINAL_FLOW_STATES: ReadonlySet<FlowState> = new Set(["ALL", "REJECT", "DEADLINE", "CANCEL"]);

/** ess `FlowCallbackStatus` / `DescribeFlowInfo.FlowStatus` numbers. */
export const FLOW_STATUS_CODE: Record<FlowState, number> = {
  INIT: 1,
  PART: 2,
  REJECT: 3,
  ALL: 4,
  DEADLINE: 5,
  CANCEL: 6,
  FILLING: 8,
};

/** The words ESS shows beside the number; a flow waiting to be filled still reads INIT. */
export const FLOW_SHOW_STATUS: Record<FlowState, string> = {
  INIT: "INIT",
  PART: "PART",
  REJECT: "REJECT",
  ALL: "ALL",
  DEADLINE: "DEADLINE",
  CANCEL: "CANCEL",
  FILLING: "INIT",
};

/** ess `ApproveCallbackStatus` / `FlowApproverDetail.ApproveStatus` numbers. */
export const APPROVER_STATUS_CODE: Record<ApproverState, number> = {
  PENDING: 2,
  ACCEPT: 3,
  REJECT: 4,
  DEADLINE: 5,
  CANCEL: 6,
  FILLPENDING: 8,
  STOP: 9,
};

/** How an approver takes part: by hand for an organization, by hand as a person, or by auto-sign. */
export type ApproverRole = "organization" | "person" | "autoSign";

/** One approver of one flow. */
export interface ApproverRecord {
  recipientId: string;
  signId: string;
  /** `ApproverRoleName` as given at creation ("" when none). */
  roleName: string;
  /** 1-based position in the flow's approver list; matters for ordered flows. */
  signOrder: number;
  role: ApproverRole;
  /** The type as the edition spells it: ess `0`/`1`/`3`, essbasic `ORGANIZATION`/`PERSON`/`ENTERPRISESERVER`. */
  wireType: string;
  /** Created with `ApproverOption.FillType = 1`. */
  dynamic: boolean;
  name?: string;
  mobile?: string;
  organizationName?: string;
  /** ess: the employee's UserId, and the ess organization id when the approver belongs to a known organization. */
  userId?: string;
  organizationId?: string;
  /** essbasic: the employee's OpenId and its organization's OpenId. */
  openId?: string;
  organizationOpenId?: string;
  /** Seal an auto-signer stamps with. */
  sealId?: string;
  state: ApproverState;
  /** Unix seconds of the last decision (sign, reject…). */
  approveTime?: number;
  message?: string;
}

/** One flow (contract) of a group. */
export interface FlowRecord {
  flowId: string;
  groupId: string;
  edition: Edition;
  name: string;
  type: string;
  description: string;
  /** `UserData` (ess) or `CustomerData` (essbasic), passed back verbatim. */
  userData: string;
  unordered: boolean;
  /** Unix seconds. */
  deadline: number;
  createdOn: number;
  state: FlowState;
  /** Reason given with a reject or a cancel. */
  message?: string;
  fileIds: string[];
  approvers: ApproverRecord[];
  /** Whether this flow's contract was given back to the quota (cancel before anyone signed). */
  quotaReturned: boolean;
}

/** Who started a group: the organization whose quota pays, and the caller that did it. */
export interface Owner {
  edition: Edition;
  /** Quota and visibility key: `ess:<OrganizationId>` or `essbasic:<AppId>:<OrganizationOpenId>`. */
  key: string;
  organizationName: string;
  /** ess */
  organizationId?: string;
  operatorUserId?: string;
  /** essbasic */
  appId?: string;
  organizationOpenId?: string;
  operatorOpenId?: string;
}

/** One contract group, as the emulated ESS keeps it (not our status store's GroupRecord: the emulator imports none of our model). */
export interface EmulatedGroup {
  groupId: string;
  edition: Edition;
  name: string;
  flowIds: string[];
  createdOn: number;
  owner: Owner;
  /** The last group status announced with `FlowGroupStatusChange`. */
  reportedState?: GroupState;
}

/** An uploaded (or fixture) file. */
export interface FileRecord {
  fileId: string;
  edition: Edition;
  /** essbasic files belong to one application (its data is isolated from other apps). */
  appId?: string;
  fileName: string;
  size: number;
  /** Unix seconds; undefined = never expires (fixture files). */
  expiresAt?: number;
  /** What the bytes are; undefined for fixture files (taken as PDFs whose content is unknown). */
  kind?: FileKind;
  /** Pages of a PDF; undefined when unknown (fixture files, other kinds). */
  pages?: number;
}

/**
 * A sign link handed out by a sign-URL action: it opens the sign page of one person (the
 * approvers it names) over some flows of a group, until it expires.
 */
export interface LinkRecord {
  token: string;
  groupId: string;
  /** The approvers the link acts for: one person's approvals, or dynamic approvers to be filled. */
  recipientIds: string[];
  /** Flows the link covers (a group link: every flow of the group). */
  flowIds: string[];
  /** Unix seconds. */
  expiresAt: number;
  /** A preview link shows the page without letting anyone sign. */
  preview: boolean;
  /** Identity a dynamic approver filling through this link must have (PresetApproverInfo). */
  preset?: { name?: string; mobile?: string; organizationName?: string };
  /** The action that made it. */
  action: string;
}
