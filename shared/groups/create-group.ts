import { ownerIdOf } from "../auth/ownership";
import type { Issue } from "../errors/app-error";
import { IdempotencyUnsupported } from "../errors/idempotency-errors";
import { ValidationError } from "../errors/request-errors";
import { StoreRefusedError } from "../errors/store-errors";
import type { Edition } from "../ess/edition";
import type { CallerIdentity, CreateFlowGroupCall, CreateFlowGroupResult, EssPort, ConfiguredIdentity } from "../ess/port";
import type { Idempotency } from "../idempotency/idempotency";
import { requestFingerprint } from "../idempotency/idempotency";
import type { Logger } from "../log/logger";
import type { GroupRecord } from "../status-store/model";
import type { StatusStore } from "../status-store/port";
import { validateEssbasicCreateFlowGroup, validateEssCreateFlowGroup } from "../validation";
import { requestedIdentities } from "./approver-identity";
import { applyCallerIdentity } from "./identity";

export interface CreateGroupDeps {
  ess: EssPort;
  /** Claims `Idempotency-Key`s; without it keys are refused rather than silently ignored. */
  idempotency?: Idempotency;
  store: Pick<StatusStore, "recordGroup" | "check">;
  identity: ConfiguredIdentity;
  clock: () => Date;
  log: Logger;
}

export interface CreateGroupInput {
  edition: Edition;
  /** The parsed JSON body: the documented ESS request. */
  body: unknown;
  scfRequestId: string;
  /** Upper bound for the ESS call (the function's remaining time, less a margin). */
  timeoutMs?: number;
  /** Owner id of the calling API key (`ownerIdOf`), recorded on the group; absent when auth is disabled. */
  owner?: string;
}

/**
 * How long writing the group record may take beyond the ESS call's budget (taken from the response
 * margin): the record step may use whatever ESS left of its budget, plus this.
 */
const RECORD_BUDGET_MS = 1_000;

/**
 * Whole attempts of the record step (each an idempotent `recordGroup`), within the budget above. A
 * join left half-done by the last one is finished by the next read of the group (the store marks a
 * record joined only once it is); a record never written is not (nothing else knows the group).
 */
const RECORD_ATTEMPTS = 3;

/** ESS's answer verbatim, plus `Warnings` when there are any. */
export type CreateGroupResponse = CreateFlowGroupResult & { Warnings?: Issue[] };

/**
 * `createGroup` under an `Idempotency-Key`: the key is looked up first (a replay with the same key
 * and body gets the stored answer, `replayed: true`, even if its rules would no longer pass), then
 * the request is validated, and only a valid request claims the key (create-exclusive) before ESS
 * is called, so concurrent requests with one key make one ESS call and an invalid one holds no key.
 * `principal` (the caller's key digest; undefined when authentication is off) scopes keys per
 * caller, so one caller's key can never replay another caller's group, and becomes the group's owner.
 */
export async function createGroupIdempotently(
  asked: Omit<CreateGroupInput, "owner"> & { idempotencyKey?: string | undefined; principal?: string | undefined },
  deps: CreateGroupDeps,
): Promise<{ response: CreateGroupResponse; replayed: boolean }> {
  const input = { ...asked, owner: asked.principal === undefined ? undefined : ownerIdOf(asked.principal) };
  if (input.idempotencyKey === undefined) return { response: await createGroup(input, deps), replayed: false };
  if (!deps.idempotency) throw new IdempotencyUnsupported();
  const scope = `${input.edition}\n${input.principal ?? "anonymous"}`;
  const found = await deps.idempotency.begin(
    scope,
    input.idempotencyKey,
    requestFingerprint(input.edition, input.body),
    storeOptions(input),
  );
  if (found.kind === "replay") return { response: found.response.body as CreateGroupResponse, replayed: true };
  const prepared = prepareCreate(input, deps);
  const claim = await found.claim();
  let response: CreateGroupResponse;
  try {
    response = await executeCreate(input, prepared, deps);
  } catch (error) {
    await claim.fail(error).catch((storeError) => deps.log.error("idempotency claim not updated after a failure", { error: storeError }));
    throw error;
  }
  await claim.complete({ statusCode: 200, body: response }).catch((storeError) =>
    deps.log.error("group created but its idempotency record not stored; a replay will answer 409 (outcome unknown)", {
      error: storeError,
      flowGroupId: response.FlowGroupId,
    }),
  );
  return { response, replayed: false };
}

/**
 * Creates a contract group: identity defaults → complete validation (nothing reaches ESS, and no
 * quota is spent, unless every rule passes) → one ESS call → the group record in the status store.
 * A failure to write the record does not turn ESS's success into an error (the caller would send
 * the group again and create a second one): it is logged and returned as a warning.
 */
export async function createGroup(input: CreateGroupInput, deps: CreateGroupDeps): Promise<CreateGroupResponse> {
  const prepared = prepareCreate(input, deps);
  // A store that must not be written (a versioned COS bucket) refuses now, before quota is spent.
  await deps.store.check(storeOptions(input));
  return executeCreate(input, prepared, deps);
}

/** Identity defaults and pinning, then every rule: nothing is claimed, written or sent before this passes. */
function prepareCreate(input: CreateGroupInput, deps: CreateGroupDeps): { call: CreateFlowGroupCall; warnings: Issue[] } {
  const body = applyCallerIdentity(input.edition, input.body, deps.identity);
  return validateCall(input.edition, body, deps.clock());
}

/** The store's deadline: the ESS call's budget, when the handler gave one. */
function storeOptions(input: CreateGroupInput): { deadline?: number } {
  return input.timeoutMs !== undefined ? { deadline: Date.now() + input.timeoutMs } : {};
}

async function executeCreate(
  input: CreateGroupInput,
  call: { call: CreateFlowGroupCall; warnings: Issue[] },
  deps: CreateGroupDeps,
): Promise<CreateGroupResponse> {
  const essBudgetEnds = input.timeoutMs !== undefined ? Date.now() + input.timeoutMs : undefined;
  const result = await deps.ess.createFlowGroup(call.call, input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {});
  const warnings = [...call.warnings];
  // The record is what makes the group's status trackable: it may use what ESS left of its budget.
  const recordDeadline = essBudgetEnds !== undefined ? Math.max(essBudgetEnds, Date.now()) + RECORD_BUDGET_MS : undefined;
  const recordWarning = await recordGroup(input, call.call, result, recordDeadline, deps);
  if (recordWarning) warnings.push(recordWarning);
  return warnings.length > 0 ? { ...result, Warnings: warnings } : result;
}

function validateCall(edition: Edition, body: unknown, now: Date): { call: CreateFlowGroupCall; warnings: Issue[] } {
  if (edition === "ess") {
    const outcome = validateEssCreateFlowGroup(body, { now });
    if (!outcome.ok) throw validationError(outcome);
    return { call: { edition, request: outcome.request }, warnings: outcome.warnings };
  }
  const outcome = validateEssbasicCreateFlowGroup(body, { now });
  if (!outcome.ok) throw validationError(outcome);
  return { call: { edition, request: outcome.request }, warnings: outcome.warnings };
}

function validationError(outcome: { issues: Issue[]; truncated?: true }): ValidationError {
  if (!outcome.truncated) return new ValidationError(outcome.issues);
  const first = outcome.issues[0]!;
  return new ValidationError(
    outcome.issues,
    `At least ${outcome.issues.length} parameter errors (checking stopped there); first: ${first.Path}: ${first.Message}`,
  );
}

async function recordGroup(
  input: CreateGroupInput,
  call: CreateFlowGroupCall,
  result: CreateFlowGroupResult,
  deadline: number | undefined,
  deps: CreateGroupDeps,
): Promise<Issue | undefined> {
  const record = groupRecordFrom(call, result, deps.clock(), input.scfRequestId, input.owner);
  if (!record) {
    deps.log.warn("ESS answered without a FlowGroupId; nothing recorded", { essRequestId: result.RequestId });
    return {
      Path: "FlowGroupId",
      Code: "FailedOperation.StatusRecord",
      Message: "ESS returned no FlowGroupId, so this group's status cannot be tracked",
    };
  }
  let failure: unknown;
  for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
    try {
      await deps.store.recordGroup(record, deadline !== undefined ? { deadline } : {});
      return undefined;
    } catch (error) {
      failure = error;
      // A refused store stays refused, and without time left another attempt could not finish.
      const timeLeft = deadline === undefined || Date.now() < deadline;
      if (error instanceof StoreRefusedError || !timeLeft || attempt === RECORD_ATTEMPTS) break;
      deps.log.warn("group record step failed; trying again", { flowGroupId: record.flowGroupId, attempt });
    }
  }
  deps.log.error("group created in ESS but its record could not be stored", {
    error: failure,
    flowGroupId: record.flowGroupId,
    flowIds: record.flowIds,
    essRequestId: result.RequestId,
  });
  return {
    Path: "FlowGroupId",
    Code: "FailedOperation.StatusRecord",
    Message:
      "The group was created in ESS, but its record could not be stored. Do not create it again: keep FlowGroupId and " +
      "FlowIds from this answer. Callbacks naming the group are still kept (GET /flow-groups/{FlowGroupId} " +
      "answers once the first one is stored, ?refresh=1 then reconciles); callbacks naming only a flow wait until the " +
      "group is recorded.",
  };
}

/** The record create-group keeps: ids and names from ESS's answer, flow names from the request. */
export function groupRecordFrom(
  call: CreateFlowGroupCall,
  result: CreateFlowGroupResult,
  now: Date,
  scfRequestId?: string,
  owner?: string,
): GroupRecord | undefined {
  if (typeof result.FlowGroupId !== "string" || result.FlowGroupId === "") return undefined;
  const flowIds = (result.FlowIds ?? []).filter((id): id is string => typeof id === "string");
  const flowNames =
    call.edition === "ess"
      ? (call.request.FlowGroupInfos ?? []).map((f) => f.FlowName)
      : (call.request.FlowFileInfos ?? []).map((f) => f.FlowName);
  const approversByFlow = new Map((result.Approvers ?? []).map((a) => [a.FlowId, a.Approvers ?? []]));
  const identities = requestedIdentities(call);
  return {
    edition: call.edition,
    flowGroupId: result.FlowGroupId,
    flowGroupName: call.request.FlowGroupName,
    flowIds,
    flows: flowIds.map((flowId, index) => ({
      flowId,
      flowName: flowNames[index],
      unordered: identities[index]?.unordered,
      // ESS answers each flow's approvers in request order: the position pairs them with who was named.
      approvers: (approversByFlow.get(flowId) ?? [])
        .map((a, position) => ({ answer: a, who: identities[index]?.approvers[position] }))
        .filter(({ answer }) => typeof answer.RecipientId === "string")
        .map(({ answer: a, who }) => ({
          recipientId: a.RecipientId!,
          signId: a.SignId || undefined,
          approverRoleName: a.ApproverRoleName || undefined,
          who,
        })),
    })),
    createdAt: now.toISOString(),
    essRequestId: result.RequestId || undefined,
    scfRequestId: scfRequestId || undefined,
    caller: callerOf(call),
    owner,
  };
}

function callerOf(call: CreateFlowGroupCall): CallerIdentity | undefined {
  if (call.edition === "ess") {
    const userId = call.request.Operator?.UserId;
    if (!userId) return undefined;
    const proxy = call.request.Agent?.ProxyOrganizationId;
    return { edition: "ess", operatorUserId: userId, proxyOrganizationId: proxy || undefined };
  }
  const agent = call.request.Agent;
  const appId = agent?.AppId;
  const org = agent?.ProxyOrganizationOpenId;
  const operator = agent?.ProxyOperator?.OpenId;
  return appId && org && operator ? { edition: "essbasic", appId, proxyOrganizationOpenId: org, proxyOperatorOpenId: operator } : undefined;
}
