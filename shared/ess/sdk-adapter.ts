import type { AbstractClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client";
import type {
  CancelFlowRequest,
  CreateFlowGroupRemindsRequest,
  CreateFlowGroupRemindsResponse,
  DescribeFileUrlsRequest,
  DescribeFileUrlsResponse,
  DescribeFlowInfoRequest,
  DescribeFlowInfoResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type {
  ChannelBatchCancelFlowsRequest,
  ChannelBatchCancelFlowsResponse,
  ChannelCreateFlowRemindsRequest,
  ChannelCreateFlowRemindsResponse,
  DescribeFlowDetailInfoRequest,
  DescribeFlowDetailInfoResponse,
  DescribeResourceUrlsByFlowsRequest,
  DescribeResourceUrlsByFlowsResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { EssEndpoint, EssService } from "./endpoint";
import { CREATE_GROUP_ACTION, type Edition } from "./edition";
import { mapEssError } from "./error-map";
import { withRetries, type RetryOptions, type RetryPolicy } from "./retry";
import { describedFlowsFromEss, describedFlowsFromEssbasic } from "./describe";
import { SignUrlMissing } from "../errors/group-errors";
import { mapLimit } from "../lang/map-limit";
import { maskText } from "../log/mask";
import type {
  CallerIdentity,
  CancelFlowsResult,
  CreateFlowGroupCall,
  CreateFlowGroupResult,
  DescribeFlowsResult,
  EssPort,
  FlowActionOutcome,
  FlowFileLinks,
  RemindResult,
  SignUrlCall,
  SignUrlResult,
  UploadFilesCall,
  UploadFilesResult,
} from "./port";
import { AppError } from "../errors/app-error";

type SdkClient = AbstractClient;

/**
 * What each edition's service client (`services/ess/v20201111/ess_client`,
 * `services/essbasic/v20210526/essbasic_client`) hands the SDK's AbstractClient: its host and API
 * version. Those modules only add one method per action (hundreds, ~24 KB minified) that each call
 * `this.request(action, …)`, which this adapter calls directly; test/shared/ess checks these
 * values against the SDK's own client files.
 */
export const SDK_SERVICES: Readonly<Record<Edition, { endpoint: string; version: string }>> = {
  ess: { endpoint: "ess.tencentcloudapi.com", version: "2020-11-11" },
  essbasic: { endpoint: "essbasic.tencentcloudapi.com", version: "2021-05-26" },
};

/** What the adapter is built with (read from `ESS_*` by shared/config). */
export interface SdkAdapterSettings {
  credentials: { secretId: string; secretKey: string; token?: string };
  region: string;
  /** Where each API is called: one endpoint per edition, and the file host of `UploadFiles`. */
  endpoints: Record<EssService, EssEndpoint>;
  /** The longest single attempt of a call. */
  timeoutMs: number;
}

/** The SDK's client core (signing, HTTP), loaded on the first ESS call. */
const loadClientClass = (): Promise<typeof AbstractClient> =>
  import("tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client").then((m) => m.AbstractClient);

/**
 * The ESS port implemented with the official Tencent Cloud SDK (a deep import of its client core
 * only; the SDK's root index would load every Tencent service). Each edition's client is
 * loaded and built on its first use. Every attempt gets its own deadline (`AbortSignal`); a call's retries (reads, and rate-limit
 * answers of creates: see `retry.ts`) stay within the budget the caller gives, normally the
 * function's remaining time.
 */
export function createSdkEssAdapter(
  config: SdkAdapterSettings,
  retry: Pick<RetryOptions, "sleep" | "random" | "now" | "baseDelayMs" | "maxAttempts"> = {},
): EssPort {
  const clients = new Map<string, Promise<SdkClient>>();

  /** The edition's client for its API host, or for the file host (`UploadFiles`: "需要设置单独的Domain请求域名"). */
  const client = (edition: Edition, host: "api" | "file"): Promise<SdkClient> => {
    const key = `${edition} ${host}`;
    let existing = clients.get(key);
    if (!existing) {
      const endpoint = host === "file" ? config.endpoints.file : config.endpoints[edition];
      const clientConfig = {
        credential: { ...config.credentials },
        region: config.region,
        profile: {
          // One endpoint per edition: the SDK signs with the host's first label (ess / essbasic / file).
          httpProfile: {
            endpoint: endpoint.host,
            protocol: endpoint.protocol,
            reqTimeout: config.timeoutMs / 1000,
          },
        },
      };
      existing = loadClientClass().then(
        (Client) => new Client(SDK_SERVICES[edition].endpoint, SDK_SERVICES[edition].version, clientConfig),
      );
      // A failed load is not remembered: the next call tries again.
      existing.catch(() => clients.delete(key));
      clients.set(key, existing);
    }
    return existing;
  };

  const call = async <T>(
    edition: Edition,
    action: string,
    request: object,
    policy: RetryPolicy,
    budgetMs?: number,
    host: "api" | "file" = "api",
  ): Promise<T> => {
    const attemptTimeoutMs = config.timeoutMs;
    return withRetries(
      async (timeoutMs) => {
        try {
          return (await (await client(edition, host)).request(action, request, { signal: AbortSignal.timeout(timeoutMs) })) as T;
        } catch (error) {
          throw mapEssError(error, { timeoutMs });
        }
      },
      { ...retry, policy, attemptTimeoutMs, budgetMs: budgetMs ?? attemptTimeoutMs },
    );
  };

  return {
    createFlowGroup(createCall: CreateFlowGroupCall, options = {}) {
      return call<CreateFlowGroupResult>(
        createCall.edition,
        CREATE_GROUP_ACTION[createCall.edition],
        createCall.request,
        "rate-limit-only",
        options.timeoutMs,
      );
    },

    uploadFiles(uploadCall: UploadFilesCall, options = {}): Promise<UploadFilesResult> {
      return call<UploadFilesResult>(uploadCall.edition, "UploadFiles", uploadCall.request, "reads", options.timeoutMs, "file");
    },

    async createSignUrl(signUrlCall: SignUrlCall, options = {}): Promise<SignUrlResult> {
      const answer = await call<SignUrlAnswer>(signUrlCall.edition, signUrlCall.action, signUrlCall.request, "reads", options.timeoutMs);
      const url = signUrlOf(answer);
      if (url === undefined) throw new SignUrlMissing(signUrlCall.action, answer.RequestId);
      return { url, requestId: answer.RequestId };
    },

    async describeGroup(flowGroupId: string, identity: CallerIdentity, options = {}): Promise<DescribeFlowsResult> {
      if (identity.edition === "ess") {
        const request: DescribeFlowInfoRequest = {
          Operator: { UserId: identity.operatorUserId },
          FlowGroupId: flowGroupId,
          ...(identity.proxyOrganizationId ? { Agent: { ProxyOrganizationId: identity.proxyOrganizationId } } : {}),
        };
        const answer = await call<DescribeFlowInfoResponse>("ess", "DescribeFlowInfo", request, "reads", options.timeoutMs);
        return { flows: describedFlowsFromEss(answer.FlowDetailInfos ?? []), requestId: answer.RequestId };
      }
      const request: DescribeFlowDetailInfoRequest = {
        Agent: {
          AppId: identity.appId,
          ProxyOrganizationOpenId: identity.proxyOrganizationOpenId,
          ProxyOperator: { OpenId: identity.proxyOperatorOpenId },
        },
        FlowGroupId: flowGroupId,
      };
      const answer = await call<DescribeFlowDetailInfoResponse>("essbasic", "DescribeFlowDetailInfo", request, "reads", options.timeoutMs);
      return { flows: describedFlowsFromEssbasic(answer.FlowInfo ?? []), requestId: answer.RequestId };
    },

    async describeFileLinks(identity, flowIds, options = {}): Promise<FlowFileLinks[]> {
      const budget = budgetFrom(options.timeoutMs);
      if (identity.edition === "ess") {
        // One flow per call: the answer's FileUrls do not name their flow, so a batch could not be
        // matched to its flows when one of them has several files.
        return mapLimit(flowIds, PER_FLOW_CONCURRENCY, async (flowId) => {
          const request: DescribeFileUrlsRequest = {
            ...essCaller(identity),
            BusinessType: "FLOW",
            BusinessIds: [flowId],
            FileType: "PDF",
            UrlTtl: FILE_LINK_TTL_SECONDS,
          };
          const answer = await call<DescribeFileUrlsResponse>("ess", "DescribeFileUrls", request, "reads", budget.left());
          const urls = (answer.FileUrls ?? []).map((f) => f.Url).filter((u): u is string => typeof u === "string" && u !== "");
          return { flowId, urls, ttlSeconds: FILE_LINK_TTL_SECONDS };
        });
      }
      const out: FlowFileLinks[] = [];
      for (const chunk of chunks(flowIds, ESSBASIC_FILE_LINKS_PER_CALL)) {
        const request: DescribeResourceUrlsByFlowsRequest = { Agent: essbasicAgent(identity), FlowIds: [...chunk] };
        const action = "DescribeResourceUrlsByFlows";
        const answer = await call<DescribeResourceUrlsByFlowsResponse>("essbasic", action, request, "reads", budget.left());
        const infos = answer.FlowResourceUrlInfos ?? [];
        chunk.forEach((flowId, i) => {
          const info = infos.find((f) => f.FlowId === flowId) ?? infos[i];
          const urls = (info?.FlowId === flowId ? (info.ResourceUrlInfos ?? []) : []).map((r) => r.Url).filter((u): u is string => !!u);
          const error = answer.ErrorMessages?.[i];
          out.push({ flowId, urls, ttlSeconds: ESSBASIC_FILE_LINK_TTL_SECONDS, error: error ? maskText(error) : undefined });
        });
      }
      return out;
    },

    async cancelFlows(identity, flowIds, reason, options = {}): Promise<CancelFlowsResult> {
      const budget = budgetFrom(options.timeoutMs);
      if (identity.edition === "ess") {
        // ess has no batch cancel of chosen flows (CancelOrganizationFlows cancels a whole organization's).
        const errors: AppError[] = [];
        const flows = await mapLimit(flowIds, PER_FLOW_CONCURRENCY, async (flowId): Promise<FlowActionOutcome> => {
          const request: CancelFlowRequest = { ...essCaller(identity), FlowId: flowId, CancelMessage: reason };
          try {
            const answer = await call<{ RequestId?: string }>("ess", "CancelFlow", request, "rate-limit-only", budget.left());
            return { flowId, ok: true, essRequestId: answer.RequestId };
          } catch (error) {
            if (error instanceof AppError) errors.push(error);
            return refusedFlow(flowId, error);
          }
        });
        // Not one flow got an answer about itself (credentials refused, ESS down): that is the answer.
        if (errors.length === flowIds.length && errors.every((e) => e.code.startsWith("InternalError."))) throw errors[0]!;
        return { flows };
      }
      const flows: FlowActionOutcome[] = [];
      let taskId: string | undefined;
      for (const chunk of chunks(flowIds, ESSBASIC_CANCEL_PER_CALL)) {
        const request: ChannelBatchCancelFlowsRequest = { Agent: essbasicAgent(identity), FlowIds: [...chunk], CancelMessage: reason };
        const action = "ChannelBatchCancelFlows";
        const answer = await call<ChannelBatchCancelFlowsResponse>("essbasic", action, request, "rate-limit-only", budget.left());
        taskId ??= answer.TaskId;
        chunk.forEach((flowId, i) => {
          const failure = answer.FailMessages?.[i];
          const refused = failure ? { code: "FailedOperation.CancelFlow", message: maskText(failure) } : {};
          flows.push({ flowId, ok: !failure, ...refused, essRequestId: answer.RequestId });
        });
      }
      return { flows, taskId };
    },

    async remind(identity, flowGroupId, flowIds, options = {}): Promise<RemindResult> {
      if (identity.edition === "ess") {
        const request: CreateFlowGroupRemindsRequest = { ...essCaller(identity), FlowGroupId: flowGroupId };
        const action = "CreateFlowGroupReminds";
        const answer = await call<CreateFlowGroupRemindsResponse>("ess", action, request, "rate-limit-only", options.timeoutMs);
        return { flows: groupRemindsByFlow(flowIds, answer), requestId: answer.RequestId };
      }
      const request: ChannelCreateFlowRemindsRequest = { Agent: essbasicAgent(identity), FlowIds: [...flowIds] };
      const action = "ChannelCreateFlowReminds";
      const answer = await call<ChannelCreateFlowRemindsResponse>("essbasic", action, request, "rate-limit-only", options.timeoutMs);
      const records = answer.RemindFlowRecords ?? [];
      return {
        flows: flowIds.map((flowId) => {
          const record = records.find((r) => r.FlowId === flowId);
          if (record === undefined) return { flowId, reminded: false, message: "ESS gave no answer for this flow" };
          const message = record.RemindMessage ? maskText(record.RemindMessage) : undefined;
          return { flowId, reminded: record.CanRemind === true, message };
        }),
        requestId: answer.RequestId,
      };
    },
  };
}

/** What the four link actions answer, read structurally (each fills one of these). */
interface SignUrlAnswer {
  FlowApproverUrlInfo?: { SignUrl?: string; LongUrl?: string };
  SchemeUrl?: string;
  SignUrlInfos?: Array<{ SignUrl?: string }>;
  ErrorMessages?: string[];
  RequestId?: string;
}

/**
 * The link in an answer: the batch actions' `SignUrl` (or `LongUrl`), `CreateSchemeUrl`'s
 * `SchemeUrl`, or the first `CreateSignUrls` entry without an error message (every entry of one
 * person opens the same page).
 */
function signUrlOf(answer: SignUrlAnswer): string | undefined {
  const batch = answer.FlowApproverUrlInfo?.SignUrl || answer.FlowApproverUrlInfo?.LongUrl;
  if (batch) return batch;
  if (answer.SchemeUrl) return answer.SchemeUrl;
  const entries = answer.SignUrlInfos ?? [];
  return entries.find((entry, i) => entry.SignUrl && !answer.ErrorMessages?.[i])?.SignUrl || undefined;
}

/** ess calls per flow in flight at once (ESS allows 20 requests a second per action). */
const PER_FLOW_CONCURRENCY = 4;
/** `DescribeResourceUrlsByFlows` takes at most 50 flows, `ChannelBatchCancelFlows` 100. */
const ESSBASIC_FILE_LINKS_PER_CALL = 50;
const ESSBASIC_CANCEL_PER_CALL = 100;
/** Lifetime asked for ess download links (ESS's default is 5 minutes, at most a day). */
const FILE_LINK_TTL_SECONDS = 600;
/** essbasic download links: "资源链接地址，过期时间5分钟". */
const ESSBASIC_FILE_LINK_TTL_SECONDS = 300;

function essCaller(identity: Extract<CallerIdentity, { edition: "ess" }>) {
  const agent = identity.proxyOrganizationId ? { ProxyOrganizationId: identity.proxyOrganizationId } : undefined;
  return { Operator: { UserId: identity.operatorUserId }, Agent: agent };
}

function essbasicAgent(identity: Extract<CallerIdentity, { edition: "essbasic" }>) {
  return {
    AppId: identity.appId,
    ProxyOrganizationOpenId: identity.proxyOrganizationOpenId,
    ProxyOperator: { OpenId: identity.proxyOperatorOpenId },
  };
}

/** A flow ESS refused: its code and (masked, 4xx only) message; anything that is not an ESS answer is rethrown. */
function refusedFlow(flowId: string, error: unknown): FlowActionOutcome {
  if (!(error instanceof AppError)) throw error;
  return {
    flowId,
    ok: false,
    code: error.code,
    message: error.expose ? error.message : "ESS failed; retry later",
    essRequestId: error.essRequestId,
  };
}

/**
 * `CreateFlowGroupReminds` answers per signatory (a person across flows), each with the flows they
 * appear in and one `RemindMessageList` entry per flow, in the same order (the emulator's reading of
 * the model; unconfirmed). Regrouped per flow, flows of the group that no record names are reported
 * as not reminded (nobody in them was waiting).
 */
function groupRemindsByFlow(flowIds: readonly string[], answer: CreateFlowGroupRemindsResponse): RemindResult["flows"] {
  const byFlow = new Map(flowIds.map((flowId) => [flowId, [] as NonNullable<RemindResult["flows"][number]["approvers"]>]));
  for (const record of answer.RemindFlowGroupRecords ?? []) {
    (record.FlowIds ?? []).forEach((flowId, i) => {
      const detail = record.RemindMessageList?.[i];
      if (detail === undefined) return;
      const list = byFlow.get(flowId) ?? [];
      byFlow.set(flowId, list);
      list.push({
        signId: detail.SignId,
        approverOrder: detail.ApproverOrder,
        status: detail.Status ?? -1,
        reason: detail.Reason ? maskText(detail.Reason) : undefined,
      });
    });
  }
  return [...byFlow].map(([flowId, approvers]) => {
    const reminded = approvers.some((a) => a.status === 0);
    const reasons = approvers
      .map((a) => a.reason)
      .filter(Boolean)
      .join("; ");
    const message = reminded ? undefined : approvers.length === 0 ? "nobody in this flow is waiting to sign" : reasons;
    return { flowId, reminded, approvers, message: message || undefined };
  });
}

/** A time budget shared by the calls of one operation. */
function budgetFrom(totalMs: number | undefined) {
  const end = totalMs === undefined ? undefined : Date.now() + totalMs;
  return { left: () => (end === undefined ? undefined : Math.max(1, end - Date.now())) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
