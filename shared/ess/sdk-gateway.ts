import type { Client as EssClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client";
import type {
  DescribeFlowInfoRequest,
  DescribeFlowInfoResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_models";
import type { Client as EssbasicClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_client";
import type {
  DescribeFlowDetailInfoRequest,
  DescribeFlowDetailInfoResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_models";
import type { EssConfig } from "../config/config";
import { CREATE_GROUP_ACTION, type Edition } from "./edition";
import { mapEssError } from "./error-map";
import { withRetries, type RetryOptions, type RetryPolicy } from "./retry";
import { describedFlowsFromEss, describedFlowsFromEssbasic } from "./describe";
import { SignUrlMissing } from "../errors/group-errors";
import type {
  CallerIdentity,
  CreateFlowGroupCall,
  CreateFlowGroupResult,
  DescribeFlowsResult,
  EssGateway,
  SignUrlCall,
  SignUrlResult,
  UploadFilesCall,
  UploadFilesResult,
} from "./gateway";

type SdkClient = EssClient | EssbasicClient;

/**
 * Each edition's service client is loaded when that edition is first called: a deployment usually
 * speaks one edition, and the other client's module (hundreds of methods) need never run.
 */
const loadClientClass = (edition: Edition): Promise<typeof EssClient | typeof EssbasicClient> =>
  edition === "ess"
    ? import("tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client").then((m) => m.Client)
    : import("tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_client").then((m) => m.Client);

/**
 * The ESS port implemented with the official Tencent Cloud SDK (deep imports of the two service
 * clients only; the SDK's root index would load every Tencent service). Each edition's client is
 * loaded and built on its first use. Every attempt gets its own deadline (`AbortSignal`); a call's retries (reads, and rate-limit
 * answers of creates: see `retry.ts`) stay within the budget the caller gives, normally the
 * function's remaining time.
 */
export function createSdkEssGateway(
  config: EssConfig,
  retry: Pick<RetryOptions, "sleep" | "random" | "now" | "baseDelayMs" | "maxAttempts"> = {},
): EssGateway {
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
      existing = loadClientClass(edition).then((Client) => new Client(clientConfig));
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
