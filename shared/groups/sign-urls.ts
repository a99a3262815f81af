import type { AppError, Issue } from "../errors/app-error";
import { ValidationError } from "../errors/request-errors";
import { ApproverNotFound, GroupNotRecorded, NothingToSign } from "../errors/group-errors";
import { approverKind, signsAutomatically, type ApproverKind } from "../ess/approver-types";
import type { CallerIdentity, EssPort, SignUrlCall, ConfiguredIdentity } from "../ess/port";
import { mapEssError } from "../ess/error-map";
import type { Logger } from "../log/logger";
import type { ApproverIdentity, ApproverView, FlowView, GroupSnapshot } from "../status-store/model";
import { FINAL_APPROVER_STATUSES, FINAL_FLOW_STATUSES } from "../ess/status-codes";
import type { StatusStore } from "../status-store/port";
import { mapLimit } from "../lang/map-limit";
import { HTTP_URL, MAINLAND_MOBILE, RECIPIENT_ID } from "../text/input-patterns";
import { assertFlowGroupId, readGroupStatus } from "./group-status";
import { callerFor } from "./identity";

/**
 * Sign links for a group: one link per person, covering every flow of the group that names them
 * (ESS signs a group as a whole), with the time each link stops working.
 *
 * Which ESS action serves what (read from the SDK models):
 * - A named approver gets an H5 link from the batch action with `FlowGroupId`: ess
 *   `CreateBatchQuickSignUrl`, essbasic `ChannelCreateBatchQuickSignUrl` ("可生成签署人的批量、合同组签署
 *   链接"). It opens in any mobile browser or app web view (no WeChat needed), its lifetime is the
 *   caller's choice (`ExpiredOn`, 30 minutes to 90 days), and a backend can send it by SMS, e-mail or
 *   in its own app. The person is named by `SignId` (the models: "可以将此值传入…避免重复传输姓名、手机号")
 *   together with the documented type, name and mobile the create request gave.
 * - A dynamic approver (`FillType` 1) gets a claim link: a person through the same batch action
 *   with `FlowBatchUrlInfo` (30 minutes: "动态签署方链接暂不支持修改过期时间"); an organization's employee
 *   through the mini-program actions, because "若签署方为企业员工，暂不支持通过H5端进行动态签署人的补充":
 *   ess `CreateSchemeUrl` (`PathType` 3) and essbasic `CreateSignUrls` (`GenerateType` RECIPIENT), both
 *   90 days.
 * - Approvers that sign automatically (ess 3/7, essbasic ENTERPRISESERVER/PERSON_AUTO_SIGN) get none.
 */

/** The default H5 lifetime, and the range `ExpiredOn` takes (seconds). */
export const SIGN_URL_TTL = { default: 30 * 60, min: 30 * 60, max: 90 * 24 * 3600, miniProgram: 90 * 24 * 3600 } as const;

/** Links asked for at once; ESS allows 20 calls per second per action. */
const CONCURRENCY = 4;

export interface SignUrlsDeps {
  ess: Pick<EssPort, "createSignUrl">;
  store: Pick<StatusStore, "getGroup" | "groupOfFlow">;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

export interface SignUrlsInput {
  /** From the path; refused (400) unless it is an id ESS could have issued. */
  flowGroupId: string | undefined;
  /** The parsed JSON body, or undefined for an empty one. */
  body: unknown;
  /** Upper bound for all ESS calls together (the function's remaining time, less a margin). */
  timeoutMs?: number;
  /** The caller's key digest (`principalOf`): another key's group answers 404. Undefined when auth is off. */
  principal?: string;
}

/** What a caller may ask for. */
export interface SignUrlsRequest {
  recipientId?: string;
  mobile?: string;
  /** Lifetime of H5 links in seconds; ESS's default when absent. */
  expiresIn?: number;
  jumpUrl?: string;
}

/** One flow a link covers. */
export interface LinkApproval {
  FlowId: string;
  FlowName?: string;
  RecipientId: string;
  SignId?: string;
  SignOrder?: number;
}

/** Who a link is for, in the caller's own words (the create request's). */
export interface LinkHolder {
  ApproverType?: ApproverKind;
  EssApproverType?: string;
  ApproverName?: string;
  ApproverMobile?: string;
  OrganizationName?: string;
  ApproverRoleName?: string;
  Approvals: LinkApproval[];
}

export interface SignUrlEntry extends LinkHolder {
  /** `SIGN`: sign every flow listed; `FILL`: a dynamic approver first says who they are. */
  Kind: "SIGN" | "FILL";
  SignUrl: string;
  /** When the link stops working (from the time of the call, so never later than ESS's own expiry). */
  ExpiresAt: string;
  /** `H5`: any browser or web view; `MINI_PROGRAM`: opens the 腾讯电子签 mini program. */
  Opens: "H5" | "MINI_PROGRAM";
  EssAction: SignUrlCall["action"];
  EssRequestId?: string;
}

export interface SignUrlFailure extends LinkHolder {
  Kind: "SIGN" | "FILL";
  Error: { Code: string; Message: string; EssRequestId?: string };
}

export interface SignUrlsResponse {
  FlowGroupId: string;
  /** The group status the links were chosen by (from the store). */
  Status: GroupSnapshot["status"];
  SignUrls: SignUrlEntry[];
  /** Links ESS refused while others were made (when every one fails, the request fails). */
  Errors?: SignUrlFailure[];
}

/** Reads and checks the body: every field optional, unknown ones refused by name. */
export function parseSignUrlsRequest(body: unknown): SignUrlsRequest {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ Path: "Body", Code: "InvalidParameter.Body", Message: "must be a JSON object (or empty)" }]);
  }
  const fields = body as Record<string, unknown>;
  const issues: Issue[] = [];
  const request: SignUrlsRequest = {};
  for (const key of Object.keys(fields)) {
    if (!["RecipientId", "Mobile", "ExpiresIn", "JumpUrl"].includes(key)) {
      issues.push({
        Path: key,
        Code: "UnknownParameter",
        Message: "is not a field of this request (RecipientId, Mobile, ExpiresIn, JumpUrl)",
      });
    }
  }
  const { RecipientId, Mobile, ExpiresIn, JumpUrl } = fields;
  if (RecipientId !== undefined) {
    if (typeof RecipientId === "string" && RECIPIENT_ID.test(RecipientId)) request.recipientId = RecipientId;
    else
      issues.push({ Path: "RecipientId", Code: "InvalidParameter.RecipientId", Message: "must be a RecipientId the create answer gave" });
  }
  if (Mobile !== undefined) {
    if (typeof Mobile === "string" && MAINLAND_MOBILE.test(Mobile)) request.mobile = Mobile;
    else issues.push({ Path: "Mobile", Code: "InvalidParameter.Mobile", Message: "must be an 11-digit mainland mobile number" });
  }
  if (request.recipientId !== undefined && request.mobile !== undefined) {
    issues.push({ Path: "Mobile", Code: "InvalidParameter.Mobile", Message: "give RecipientId or Mobile, not both" });
  }
  if (ExpiresIn !== undefined) {
    const valid =
      typeof ExpiresIn === "number" && Number.isInteger(ExpiresIn) && ExpiresIn >= SIGN_URL_TTL.min && ExpiresIn <= SIGN_URL_TTL.max;
    if (valid) request.expiresIn = ExpiresIn;
    else
      issues.push({
        Path: "ExpiresIn",
        Code: "InvalidParameter.ExpiresIn",
        Message: "must be whole seconds from 1800 (30 minutes) to 7776000 (90 days)",
      });
  }
  if (JumpUrl !== undefined) {
    if (typeof JumpUrl === "string" && HTTP_URL.test(JumpUrl)) request.jumpUrl = JumpUrl;
    else issues.push({ Path: "JumpUrl", Code: "InvalidParameter.JumpUrl", Message: "must be an http(s) URL of at most 1000 characters" });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return request;
}

/**
 * The sign links of a group (or of the one approver the body names): checks the body, reads the
 * group from the store (404 when unknown), picks who still has something to do, and asks ESS for
 * one link per person, four at a time. Nothing reaches ESS unless the body and the group pass.
 */
export async function createSignUrls(input: SignUrlsInput, deps: SignUrlsDeps): Promise<SignUrlsResponse> {
  const flowGroupId = assertFlowGroupId(input.flowGroupId);
  const request = parseSignUrlsRequest(input.body);
  const deadline = Date.now() + (input.timeoutMs ?? 15_000);
  const group = await readGroupStatus(flowGroupId, deps, input.principal, { deadline });
  if (!group.recorded) throw new GroupNotRecorded(group.flowGroupId);
  const caller = callerFor(group, deps.identity);
  const targets = chooseTargets(group, request);
  const outcomes = await mapLimit(targets, CONCURRENCY, async (target) => {
    const call = signUrlCall(group, caller, target, request);
    const calledAt = deps.clock().getTime();
    try {
      const answer = await deps.ess.createSignUrl(call, { timeoutMs: Math.max(1, deadline - Date.now()) });
      const entry: SignUrlEntry = {
        Kind: target.kind,
        ...target.holder,
        SignUrl: answer.url,
        ExpiresAt: new Date(calledAt + lifetimeOf(call, target, request) * 1000).toISOString(),
        Opens: call.action === "CreateSchemeUrl" || call.action === "CreateSignUrls" ? "MINI_PROGRAM" : "H5",
        EssAction: call.action,
        EssRequestId: answer.requestId,
      };
      return { entry };
    } catch (error) {
      return { error: mapEssError(error), target };
    }
  });
  const entries = outcomes.flatMap((o) => (o.entry ? [o.entry] : []));
  const failures = outcomes.flatMap((o) => (o.error ? [{ error: o.error, target: o.target }] : []));
  deps.log.info("sign links made", { flowGroupId: group.flowGroupId, links: entries.length, failed: failures.length });
  if (failures.length > 0 && entries.length === 0) throw failures[0]!.error;
  return {
    FlowGroupId: group.flowGroupId,
    Status: group.status,
    SignUrls: entries,
    Errors: failures.length > 0 ? failures.map(({ error, target }) => failureOf(error, target)) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Who gets a link

/** One person's link to ask for: the approvals it covers and who holds them. */
interface Target {
  kind: "SIGN" | "FILL";
  approverKind?: ApproverKind;
  holder: LinkHolder;
  /** The first approval's details, to name the person to ESS. */
  who?: ApproverIdentity;
  signId?: string;
  approvals: Array<{ flowId: string; recipientId: string }>;
  /** It covers the approver the request named. */
  named: boolean;
}

const FINAL_FLOWS = new Set<string>(FINAL_FLOW_STATUSES);
const FINAL_APPROVERS = new Set<string>(FINAL_APPROVER_STATUSES);

/** What an approver needs now: a sign link, a claim link, or nothing (and why). */
function needOf(flow: FlowView, approver: ApproverView): { kind: "SIGN" | "FILL" } | { none: string } {
  if (signsAutomatically(approverKind(approver.who?.essApproverType ?? approver.approverType))) return { none: "it signs automatically" };
  if (FINAL_FLOWS.has(flow.status)) return { none: `its flow has ended (${flow.status})` };
  if (FINAL_APPROVERS.has(approver.status)) return { none: `it has finished (${approver.status})` };
  // A dynamic approver stays to be filled until a callback says otherwise (its first news is FILLPENDING).
  const unfilled = approver.status === "FILLPENDING" || (approver.who?.dynamic === true && approver.eventCount === 0);
  return { kind: unfilled ? "FILL" : "SIGN" };
}

/**
 * Whom one link serves. The same person across flows (ESS signs a group as a whole): the same ess
 * UserId, essbasic OpenId within its organization, or mobile with the same kind (and organization,
 * for an employee). Dynamic approvers not filled yet: the same role name and kind (one party of the
 * group); once filled, each slot on its own (ESS knows who filled it; its link covers the person's flows).
 */
function personKey(kind: "SIGN" | "FILL", approver: ApproverView): string {
  const who = approver.who ?? {};
  const type = approverKind(who.essApproverType ?? approver.approverType) ?? "?";
  if (kind === "FILL") return `fill\n${type}\n${approver.approverRoleName ?? approver.recipientId}`;
  if (who.dynamic) return `filled\n${approver.recipientId}`;
  if (who.userId !== undefined) return `user\n${who.userId}`;
  if (who.openId !== undefined) return `open\n${who.organizationOpenId ?? ""}\n${who.openId}`;
  if (who.mobile !== undefined) return `mobile\n${type}\n${who.mobile}\n${type === "ORGANIZATION" ? (who.organizationName ?? "") : ""}`;
  return `recipient\n${approver.recipientId}`;
}

function chooseTargets(group: GroupSnapshot, request: SignUrlsRequest): Target[] {
  const wanted = request.recipientId ?? request.mobile;
  const path = request.recipientId !== undefined ? "RecipientId" : "Mobile";
  const matches = (a: ApproverView) =>
    request.recipientId !== undefined ? a.recipientId === request.recipientId : a.who?.mobile === request.mobile;
  const byPerson = new Map<string, Target>();
  let named = 0;
  let whyNot = "";
  for (const flow of group.flows) {
    for (const approver of flow.approvers) {
      const need = needOf(flow, approver);
      const isNamed = wanted !== undefined && matches(approver);
      if (isNamed) named++;
      if ("none" in need) {
        if (isNamed) whyNot = need.none;
        continue;
      }
      const key = personKey(need.kind, approver);
      let target = byPerson.get(key);
      if (!target) {
        target = newTarget(need.kind, approver);
        byPerson.set(key, target);
      }
      target.approvals.push({ flowId: flow.flowId, recipientId: approver.recipientId });
      target.holder.Approvals.push({
        FlowId: flow.flowId,
        FlowName: flow.flowName,
        RecipientId: approver.recipientId,
        SignId: approver.signId,
        SignOrder: approver.who?.signOrder,
      });
      if (isNamed) target.named = true;
    }
  }
  const targets = [...byPerson.values()];
  if (wanted === undefined) return targets;
  if (named === 0) throw new ApproverNotFound(path);
  const chosen = targets.filter((t) => t.named);
  if (chosen.length === 0) throw new NothingToSign(path, whyNot);
  return chosen;
}

function newTarget(kind: "SIGN" | "FILL", approver: ApproverView): Target {
  const who = approver.who;
  const type = approverKind(who?.essApproverType ?? approver.approverType);
  return {
    kind,
    approverKind: type,
    who,
    signId: approver.signId,
    approvals: [],
    named: false,
    holder: {
      ApproverType: type,
      EssApproverType: who?.essApproverType ?? approver.approverType,
      ApproverName: who?.name,
      ApproverMobile: who?.mobile,
      OrganizationName: who?.organizationName,
      ApproverRoleName: approver.approverRoleName,
      Approvals: [],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The ESS call for each target

function signUrlCall(group: GroupSnapshot, caller: CallerIdentity, target: Target, request: SignUrlsRequest): SignUrlCall {
  const flowGroupId = group.flowGroupId;
  const slots = target.approvals.map((a) => ({ FlowId: a.flowId, RecipientId: a.recipientId }));
  const person = target.approverKind === "PERSON";
  const who = target.who ?? {};
  if (caller.edition === "ess") {
    const operator = { Operator: { UserId: caller.operatorUserId }, Agent: essAgent(caller) };
    if (target.kind === "FILL" && !person) {
      return {
        edition: "ess",
        action: "CreateSchemeUrl",
        request: {
          ...operator,
          FlowGroupId: flowGroupId,
          PathType: 3,
          EndPoint: "HTTP",
          FlowGroupUrlInfo: { FlowGroupApproverInfos: slots },
        },
      };
    }
    const approver =
      target.kind === "FILL"
        ? { ApproverType: 1 }
        : {
            ApproverType: person ? 1 : 0,
            ApproverName: who.name,
            ApproverMobile: who.mobile,
            OrganizationName: person ? undefined : who.organizationName,
            UserId: who.userId,
            SignId: target.signId,
          };
    return {
      edition: "ess",
      action: "CreateBatchQuickSignUrl",
      request: {
        ...operator,
        FlowGroupId: flowGroupId,
        FlowApproverInfo: approver,
        FlowBatchUrlInfo: target.kind === "FILL" ? { FlowBatchApproverInfos: slots } : undefined,
        ExpiredOn: target.kind === "SIGN" ? request.expiresIn : undefined,
        JumpUrl: request.jumpUrl,
      },
    };
  }
  const agent = {
    AppId: caller.appId,
    ProxyOrganizationOpenId: caller.proxyOrganizationOpenId,
    ProxyOperator: { OpenId: caller.proxyOperatorOpenId },
  };
  if (target.kind === "FILL" && !person) {
    return {
      edition: "essbasic",
      action: "CreateSignUrls",
      request: { Agent: agent, FlowGroupId: flowGroupId, GenerateType: "RECIPIENT", FlowGroupUrlInfo: { FlowGroupApproverInfos: slots } },
    };
  }
  const approver =
    target.kind === "FILL"
      ? { ApproverType: "PERSON" }
      : {
          ApproverType: person ? "PERSON" : "ORGANIZATION",
          Name: who.name,
          Mobile: who.mobile,
          OrganizationName: person ? undefined : who.organizationName,
          OpenId: who.openId,
          OrganizationOpenId: who.organizationOpenId,
          SignId: target.signId,
        };
  return {
    edition: "essbasic",
    action: "ChannelCreateBatchQuickSignUrl",
    request: {
      Agent: agent,
      FlowGroupId: flowGroupId,
      FlowApproverInfo: approver,
      FlowBatchUrlInfo: target.kind === "FILL" ? { FlowBatchApproverInfos: slots } : undefined,
      ExpiredOn: target.kind === "SIGN" ? request.expiresIn : undefined,
      JumpUrl: request.jumpUrl,
    },
  };
}

function essAgent(caller: Extract<CallerIdentity, { edition: "ess" }>) {
  return caller.proxyOrganizationId !== undefined ? { ProxyOrganizationId: caller.proxyOrganizationId } : undefined;
}

/** Seconds a link lives: mini-program links 90 days, claim links 30 minutes, sign links `ExpiredOn` or 30 minutes. */
function lifetimeOf(call: SignUrlCall, target: Target, request: SignUrlsRequest): number {
  if (call.action === "CreateSchemeUrl" || call.action === "CreateSignUrls") return SIGN_URL_TTL.miniProgram;
  if (target.kind === "FILL") return SIGN_URL_TTL.default;
  return request.expiresIn ?? SIGN_URL_TTL.default;
}

function failureOf(error: AppError, target: Target): SignUrlFailure {
  return {
    Kind: target.kind,
    ...target.holder,
    Error: { Code: error.code, Message: error.expose ? error.message : "ESS failed; retry later", EssRequestId: error.essRequestId },
  };
}
