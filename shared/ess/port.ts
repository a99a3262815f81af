import type {
  CreateBatchQuickSignUrlRequest,
  CreateFlowGroupByFilesRequest,
  CreateSchemeUrlRequest,
  UploadFilesRequest as EssUploadFilesRequest,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type {
  ChannelCreateBatchQuickSignUrlRequest,
  ChannelCreateFlowGroupByFilesRequest,
  CreateSignUrlsRequest,
  UploadFilesRequest as EssbasicUploadFilesRequest,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { ApproverStatus, FlowStatus } from "./status-codes";

/** A create-group call for either edition, with the request exactly as ESS documents it. */
export type CreateFlowGroupCall =
  | { edition: "ess"; request: CreateFlowGroupByFilesRequest }
  | { edition: "essbasic"; request: ChannelCreateFlowGroupByFilesRequest };

/** ESS's answer to a create-group call; both editions answer with these fields. */
export interface CreateFlowGroupResult {
  FlowGroupId?: string;
  FlowIds?: string[];
  Approvers?: Array<{
    FlowId?: string;
    Approvers?: Array<{ RecipientId?: string; SignId?: string; ApproverRoleName?: string }>;
  }>;
  RequestId?: string;
  [field: string]: unknown;
}

/**
 * The caller identity a deployment is configured with (`ESS_OPERATOR_USER_ID`, `ESSBASIC_*`): applied
 * when a request omits it, and pinned (shared/groups/identity.ts). Every field is optional.
 */
export interface ConfiguredIdentity {
  operatorUserId?: string;
  /** ess `Agent.ProxyOrganizationId`: the sub-organization a group enterprise acts as. */
  proxyOrganizationId?: string;
  essbasicAppId?: string;
  proxyOrganizationOpenId?: string;
  proxyOperatorOpenId?: string;
}

/** Who asks ESS for a group's flows (ess `Operator`/`Agent`, essbasic `Agent`). */
export type CallerIdentity =
  | { edition: "ess"; operatorUserId: string; proxyOrganizationId?: string }
  | { edition: "essbasic"; appId: string; proxyOrganizationOpenId: string; proxyOperatorOpenId: string };

/** One flow as ESS describes it now, normalised to the internal status vocabulary. */
export interface DescribedFlow {
  flowId: string;
  flowName?: string;
  status?: FlowStatus;
  approvers: Array<{ recipientId?: string; signId?: string; approverType?: string; status?: ApproverStatus; approveTime?: number }>;
}

export interface DescribeFlowsResult {
  flows: DescribedFlow[];
  requestId?: string;
}

/** One flow's download links to its signed PDF(s), or why ESS gave none. */
export interface FlowFileLinks {
  flowId: string;
  urls: string[];
  /** How long the links work from the call (ess: the `UrlTtl` asked for; essbasic: 5 minutes). */
  ttlSeconds: number;
  /** ESS's reason when it gave no link for this flow (essbasic `ErrorMessages`). */
  error?: string;
}

/** What happened to one flow of a group action (cancel). */
export interface FlowActionOutcome {
  flowId: string;
  ok: boolean;
  /** ESS's code when it refused this flow (ess), or `FailedOperation.CancelFlow` with ESS's reason (essbasic). */
  code?: string;
  message?: string;
  essRequestId?: string;
}

export interface CancelFlowsResult {
  flows: FlowActionOutcome[];
  /** essbasic `ChannelBatchCancelFlows`: the task the CancelFlows callback will name. */
  taskId?: string;
}

/** One approver's reminder (ess `CreateFlowGroupReminds`: `RemindMessageList`). */
export interface ApproverRemind {
  signId?: string;
  approverOrder?: number;
  /** 0 reminded, 2 not needed, 5 over the limit (ESS's codes). */
  status: number;
  reason?: string;
}

export interface FlowRemind {
  flowId: string;
  reminded: boolean;
  /** Why not (essbasic `RemindMessage`, or the approvers' reasons). */
  message?: string;
  /** ess: the approvers reminded or not, per flow. */
  approvers?: ApproverRemind[];
}

export interface RemindResult {
  flows: FlowRemind[];
  requestId?: string;
}

/**
 * A call for one person's sign link over a whole group: the SDK request of one of the group-level
 * link actions (see `shared/groups/sign-urls.ts` for which serves what).
 */
export type SignUrlCall =
  | { edition: "ess"; action: "CreateBatchQuickSignUrl"; request: CreateBatchQuickSignUrlRequest }
  | { edition: "ess"; action: "CreateSchemeUrl"; request: CreateSchemeUrlRequest }
  | { edition: "essbasic"; action: "ChannelCreateBatchQuickSignUrl"; request: ChannelCreateBatchQuickSignUrlRequest }
  | { edition: "essbasic"; action: "CreateSignUrls"; request: CreateSignUrlsRequest };

/** The link ESS answered (none of these actions answers its expiry: the caller knows it from the call). */
export interface SignUrlResult {
  url: string;
  requestId?: string;
}

/** An `UploadFiles` call of either edition, sent to the file host (`file.ess.tencent.cn`). */
export type UploadFilesCall =
  | { edition: "ess"; request: EssUploadFilesRequest }
  | { edition: "essbasic"; request: EssbasicUploadFilesRequest };

/** What `UploadFiles` answers: the FileIds in upload order, and when they stop working. */
export interface UploadFilesResult {
  FileIds?: string[];
  TotalCount?: number;
  /** Unix seconds: the FileIds work until then (one hour by default). */
  Deadline?: number;
  RequestId?: string;
}

/**
 * The ESS port. The adapter in `sdk-adapter.ts` implements it with the official SDK; unit tests
 * pass a fake. Errors are thrown already mapped to `AppError` (see `error-map.ts`).
 */
export interface EssPort {
  createFlowGroup(call: CreateFlowGroupCall, options?: { timeoutMs?: number }): Promise<CreateFlowGroupResult>;
  /** Current state of a group's flows (`DescribeFlowInfo` / `DescribeFlowDetailInfo` by FlowGroupId). */
  describeGroup(flowGroupId: string, identity: CallerIdentity, options?: { timeoutMs?: number }): Promise<DescribeFlowsResult>;
  /**
   * `UploadFiles` on the file host. Retried like a read: a repeated upload only makes FileIds that
   * expire unused within the hour (no quota is spent).
   */
  uploadFiles(call: UploadFilesCall, options?: { timeoutMs?: number }): Promise<UploadFilesResult>;
  /** One sign link (`SignUrlCall`); retried like a read (a second link is harmless). */
  createSignUrl(call: SignUrlCall, options?: { timeoutMs?: number }): Promise<SignUrlResult>;
  /** Each flow's signed-PDF links (ess `DescribeFileUrls` per flow, essbasic `DescribeResourceUrlsByFlows`). */
  describeFileLinks(identity: CallerIdentity, flowIds: readonly string[], options?: { timeoutMs?: number }): Promise<FlowFileLinks[]>;
  /** Cancels flows (ess `CancelFlow` per flow, essbasic `ChannelBatchCancelFlows`); per flow what happened. */
  cancelFlows(
    identity: CallerIdentity,
    flowIds: readonly string[],
    reason: string,
    options?: { timeoutMs?: number },
  ): Promise<CancelFlowsResult>;
  /** Reminds a group's approvers (ess `CreateFlowGroupReminds`, essbasic `ChannelCreateFlowReminds`). */
  remind(
    identity: CallerIdentity,
    flowGroupId: string,
    flowIds: readonly string[],
    options?: { timeoutMs?: number },
  ): Promise<RemindResult>;
}
