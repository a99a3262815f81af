import type { Edition } from "../ess/edition";
import type { CallerIdentity } from "../ess/port";
import type { ApproverStatus, FlowStatus } from "../ess/status-codes";

/**
 * The internal status model. Callbacks of both editions (numeric statuses for `ess`, strings for
 * `essbasic`) and reconciliation reads are normalised into `StatusEvent`s; a group's snapshot is
 * derived from its events by a pure reducer (`reducer.ts`).
 */

/** Group rollup: the flow vocabulary, computed from the group's flows. */
export type GroupStatus = FlowStatus;

export interface ApproverUpdate {
  recipientId?: string;
  signId?: string;
  /** ess: 0/1/3/7 as text; essbasic: PERSON/ORGANIZATION/ENTERPRISESERVER… */
  approverType?: string;
  status?: ApproverStatus;
  /** Unix seconds. */
  approveTime?: number;
}

/** One callback (or one reconciliation read), normalised. Immutable once stored. */
export interface StatusEvent {
  /** ESS `MsgId`; for reconciliation events `reconcile-<hash>` so the same read is stored once. */
  msgId: string;
  /** `FlowStatusChange`, `FlowGroupStatusChange`, `ApproverDeadlineExpired`, `CancelFlows`, any other. */
  msgType: string;
  /** From `MsgVersion` (`CustomApp` → ess, `ThirdPartyApp` → essbasic); `unknown` when absent. */
  edition: Edition | "unknown";
  /** `action`: something this service asked ESS to do (cancel, remind), kept for the record; it sets no status. */
  source: "callback" | "reconcile" | "action";
  /** ISO time this service received or read it. */
  receivedAt: string;
  /** Unix seconds from the message (`OccurTime`), when present. */
  occurTime?: number;
  flowGroupId?: string;
  flowId?: string;
  flowStatus?: FlowStatus;
  /** `FlowGroupStatus` of a `FlowGroupStatusChange` (TOSIGN, WAITSIGN, PART, ALL, INVALID, …). */
  essGroupStatus?: string;
  /** ESS `Operate` (start, sign, reject, …). */
  operate?: string;
  /** The approver that acted. */
  recipientId?: string;
  approvers?: ApproverUpdate[];
  /** `UserData` (ess) / `CustomerData` (essbasic), passed through. */
  userData?: string;
  /** The decrypted `MsgData` exactly as received. Contains personal data: mask before showing. */
  raw: unknown;
}

/**
 * Who an approver is, as the create request named them: the caller's own data, kept so the status
 * answer can show it back to that caller and sign links can be asked for. Never logged unmasked.
 * ID numbers are not kept.
 */
export interface ApproverIdentity {
  /** `ApproverType` as ESS took it: ess `0`/`1`/`3`/`7`, essbasic `PERSON`/`ORGANIZATION`/`ENTERPRISESERVER`/`PERSON_AUTO_SIGN`. */
  essApproverType?: string;
  /** ess `ApproverName`, essbasic `Name`. */
  name?: string;
  /** ess `ApproverMobile`, essbasic `Mobile`. */
  mobile?: string;
  organizationName?: string;
  /** ess `UserId` (an employee of the starting organization). */
  userId?: string;
  /** essbasic `OpenId` and `OrganizationOpenId` (an employee of a sub-organization of the platform). */
  openId?: string;
  organizationOpenId?: string;
  /** Position in an ordered flow, from 1; absent when the flow is unordered. */
  signOrder?: number;
  /** `ApproverOption.FillType` 1: the approver says who they are when they claim the contract. */
  dynamic?: boolean;
}

/** What create-group writes when ESS has created the group. */
export interface GroupRecord {
  edition: Edition;
  flowGroupId: string;
  flowGroupName: string;
  flowIds: string[];
  /** Per flow, the approvers ESS returned (`Approvers` of the create response), when it did. */
  flows: Array<{
    flowId: string;
    flowName?: string;
    /** `Unordered` of the request: approvers sign in any order. */
    unordered?: boolean;
    approvers: Array<{ recipientId: string; signId?: string; approverRoleName?: string; who?: ApproverIdentity }>;
  }>;
  /** ISO time. */
  createdAt: string;
  essRequestId?: string;
  scfRequestId?: string;
  /** Who created it (ids only), so a reconciliation reads the group as the same caller. */
  caller?: CallerIdentity;
  /** The API key that created it, as an owner id (`shared/auth/ownership.ts`); only that key reads it. */
  owner?: string;
  /**
   * ISO time every callback that parked before the flows were indexed was joined (written by the
   * store once it has, never by create-group's caller). A record without it is joined again by the
   * next read of the group, so a join that failed half-way never strands a callback answered 200.
   */
  joinedAt?: string;
}

export interface ApproverView {
  recipientId: string;
  signId?: string;
  approverRoleName?: string;
  /** Who the create request named (from the group record); absent for approvers only callbacks revealed. */
  who?: ApproverIdentity;
  approverType?: string;
  status: ApproverStatus;
  /** ISO time of the newest event that touched this approver. */
  lastEventAt?: string;
  eventCount: number;
  /** True when the create record lists this approver; false when only callbacks revealed it. */
  inRecord?: boolean;
  /**
   * The claims `status` is resolved from (see `reducer.ts`), kept so a later fold can decide
   * without the older events whether a new message wins. Absent while the status is the default one.
   */
  claims?: StatusClaims<ApproverStatus>;
}

export interface FlowView {
  flowId: string;
  flowName?: string;
  /** From the group record: approvers sign in any order. */
  unordered?: boolean;
  status: FlowStatus;
  lastEventAt?: string;
  eventCount: number;
  approvers: ApproverView[];
  /** True when the create record lists this flow; false when only callbacks revealed it. */
  inRecord?: boolean;
  /** The claims `status` is resolved from; see `ApproverView.claims`. */
  claims?: StatusClaims<FlowStatus>;
}

/** Where the message that set a status sits in the reducer's total order (see `reducer.ts`). */
export interface StatusKey {
  /**
   * Epoch milliseconds: `OccurTime`, bounded by the receive time plus a small skew (a message
   * cannot claim a future), or the receive time when there is none (reconciliation reads).
   */
  at: number;
  msgId: string;
}

/** One message's say about a status, with its place in the order. */
export interface StatusClaim<S extends string> {
  status: S;
  key: StatusKey;
}

/**
 * The latest claim of each kind about one flow or approver. Each is a maximum over a total order,
 * so any fold order gives the same claims; the status is a function of them (`reducer.ts`).
 */
export interface StatusClaims<S extends string> {
  /** The latest final state a callback reported. */
  final?: StatusClaim<S>;
  /** The latest non-final state a callback reported. */
  open?: StatusClaim<S>;
  /** The latest state ESS answered when asked (`?refresh=1`). */
  reconciled?: StatusClaim<S>;
}

/** The answer to "where is this group?". */
export interface GroupSnapshot {
  edition: Edition;
  flowGroupId: string;
  flowGroupName?: string;
  /** False while only callbacks (no create record) are known for this group. */
  recorded: boolean;
  /** The creating caller from the group record (ids only), for reconciliation. */
  caller?: CallerIdentity;
  /** The owner id from the group record; see `GroupRecord.owner`. */
  owner?: string;
  status: GroupStatus;
  /** Last `FlowGroupStatus` ESS itself reported, when it sent one. */
  essGroupStatus?: string;
  createdAt?: string;
  lastEventAt?: string;
  eventCount: number;
  flows: FlowView[];
  /** MsgIds folded into this snapshot, so a reader can detect and fold newer events. */
  includedMsgIds: string[];
  updatedAt: string;
  /** Ordering key of the message that set `essGroupStatus`. */
  essGroupStatusKey?: StatusKey;
  /** Version of the reducer that built this snapshot; a snapshot of another version is rebuilt. */
  reducerVersion?: number;
}
