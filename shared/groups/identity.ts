import { CallerIdentityRefused } from "../errors/access-errors";
import { NoCallerIdentity } from "../errors/group-errors";
import type { Edition } from "../ess/edition";
import type { CallerIdentity, ConfiguredIdentity } from "../ess/port";
import { isObject } from "../lang/objects";

type Obj = Record<string, unknown>;

/**
 * Caller identity: who ESS is asked to act as. Every field of a request that names a caller is
 * listed here, per edition, with what a deployment does with it (README, *Security*):
 *
 * ess (`CreateFlowGroupByFiles`):
 * - `Operator.UserId`: pinned by `ESS_OPERATOR_USER_ID` (filled in when absent, 403 when different).
 * - `Agent.ProxyOrganizationId` (acting as a sub-organization of a group enterprise): pinned by
 *   `ESS_PROXY_ORGANIZATION_ID`; with `ESS_OPERATOR_USER_ID` pinned and no
 *   `ESS_PROXY_ORGANIZATION_ID`, naming any sub-organization is refused.
 * - `Operator.OpenId`, `Operator.Channel`, `Agent.AppId`, `Agent.ProxyAppId`, `Agent.ProxyOperator`
 *   (deprecated: ESS ignores them): refused when either setting pins the edition.
 *
 * essbasic (`ChannelCreateFlowGroupByFiles`):
 * - `Agent.AppId`, `Agent.ProxyOrganizationOpenId`, `Agent.ProxyOperator.OpenId`: pinned by
 *   `ESSBASIC_APP_ID`, `ESSBASIC_PROXY_ORGANIZATION_OPEN_ID`, `ESSBASIC_PROXY_OPERATOR_OPEN_ID`,
 *   each on its own (an unset one leaves its field to the caller: a platform serving many
 *   sub-organizations sets only the app).
 * - `Agent.ProxyOrganizationId`, `Agent.ProxyAppId`, `Agent.ProxyOperator.CustomUserId`,
 *   `Agent.ProxyOperator.Channel`, `Operator.*` ids (deprecated or output fields): refused when any
 *   of the three pins the edition.
 *
 * Without any of these settings, the body's identity is sent to ESS as given: every key holder
 * may act as anyone the ESS credentials may act as.
 */

/** Fields refused when an edition's identity is pinned: [path, object path from the body, field]. */
const UNPINNED_IDENTITY_FIELDS: Record<Edition, ReadonlyArray<readonly [string, readonly string[], string]>> = {
  ess: [
    ["Operator.OpenId", ["Operator"], "OpenId"],
    ["Operator.Channel", ["Operator"], "Channel"],
    ["Agent.AppId", ["Agent"], "AppId"],
    ["Agent.ProxyAppId", ["Agent"], "ProxyAppId"],
    ["Agent.ProxyOperator", ["Agent"], "ProxyOperator"],
  ],
  essbasic: [
    ["Agent.ProxyOrganizationId", ["Agent"], "ProxyOrganizationId"],
    ["Agent.ProxyAppId", ["Agent"], "ProxyAppId"],
    ["Agent.ProxyOperator.CustomUserId", ["Agent", "ProxyOperator"], "CustomUserId"],
    ["Agent.ProxyOperator.Channel", ["Agent", "ProxyOperator"], "Channel"],
    ["Operator.OpenId", ["Operator"], "OpenId"],
    ["Operator.CustomUserId", ["Operator"], "CustomUserId"],
    ["Operator.Channel", ["Operator"], "Channel"],
  ],
};

/** Whether the configuration pins `edition`'s identity at all. */
export function identityPinned(edition: Edition, identity: ConfiguredIdentity): boolean {
  return edition === "ess"
    ? identity.operatorUserId !== undefined || identity.proxyOrganizationId !== undefined
    : identity.essbasicAppId !== undefined || identity.proxyOrganizationOpenId !== undefined || identity.proxyOperatorOpenId !== undefined;
}

/**
 * Fills the caller identity a body omits from the configured defaults, and refuses (403) a body
 * that names a different operator, agent or sub-organization than the configured one, or an
 * identity field the configuration does not pin (see above). Returns a new body; the input is not
 * modified. Bodies that are not objects are returned as they are, for validation to reject.
 */
export function applyCallerIdentity(edition: Edition, body: unknown, identity: ConfiguredIdentity): unknown {
  if (!isObject(body) || !identityPinned(edition, identity)) return body;
  for (const [path, parents, field] of UNPINNED_IDENTITY_FIELDS[edition]) {
    if (given(at(body, parents)?.[field]))
      throw new CallerIdentityRefused(path, "names a caller this service is not configured to act as; leave it out");
  }
  return edition === "ess" ? applyEss(body, identity) : applyEssbasic(body, identity);
}

function at(body: Obj, parents: readonly string[]): Obj | undefined {
  let node: unknown = body;
  for (const key of parents) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

/** A value that names someone: anything but absent, null and "". */
function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function pinned(path: string, value: unknown, configured: string | undefined): unknown {
  if (configured === undefined) return value;
  if (given(value) && value !== configured) {
    throw new CallerIdentityRefused(
      path,
      "differs from the identity this service is configured to act as; omit it or use the configured one",
    );
  }
  return configured;
}

function applyEss(body: Obj, identity: ConfiguredIdentity): Obj {
  const operator = body.Operator;
  const agent = body.Agent;
  // Left for validation to refuse with its own message.
  if ((operator !== undefined && !isObject(operator)) || (agent !== undefined && !isObject(agent))) return body;
  const out: Obj = { ...body };
  if (identity.operatorUserId !== undefined)
    out.Operator = { ...operator, UserId: pinned("Operator.UserId", operator?.UserId, identity.operatorUserId) };
  const proxy = agent?.ProxyOrganizationId;
  if (identity.proxyOrganizationId !== undefined) {
    out.Agent = { ...agent, ProxyOrganizationId: pinned("Agent.ProxyOrganizationId", proxy, identity.proxyOrganizationId) };
  } else if (given(proxy)) {
    throw new CallerIdentityRefused(
      "Agent.ProxyOrganizationId",
      "names a sub-organization, and this service is not configured to act as one (ESS_PROXY_ORGANIZATION_ID)",
    );
  }
  return out;
}

function applyEssbasic(body: Obj, identity: ConfiguredIdentity): Obj {
  const agent = body.Agent;
  if (agent !== undefined && !isObject(agent)) return body;
  const operator = agent?.ProxyOperator;
  if (operator !== undefined && !isObject(operator)) return body;
  const nextAgent: Obj = { ...agent };
  if (identity.essbasicAppId !== undefined) nextAgent.AppId = pinned("Agent.AppId", agent?.AppId, identity.essbasicAppId);
  if (identity.proxyOrganizationOpenId !== undefined) {
    nextAgent.ProxyOrganizationOpenId = pinned(
      "Agent.ProxyOrganizationOpenId",
      agent?.ProxyOrganizationOpenId,
      identity.proxyOrganizationOpenId,
    );
  }
  if (identity.proxyOperatorOpenId !== undefined) {
    nextAgent.ProxyOperator = { ...operator, OpenId: pinned("Agent.ProxyOperator.OpenId", operator?.OpenId, identity.proxyOperatorOpenId) };
  }
  return { ...body, Agent: nextAgent };
}

/**
 * Who ESS is asked as about a stored group: the caller recorded with it (its creator), else the
 * configured defaults; refused (`NoCallerIdentity`) when there is neither.
 */
export function callerFor(group: { edition: Edition; caller?: CallerIdentity | undefined }, identity: ConfiguredIdentity): CallerIdentity {
  const caller = group.caller ?? readerIdentity(group.edition, identity);
  if (!caller) throw new NoCallerIdentity(group.edition);
  return caller;
}

/** The identity to read a group with, taken from the configured defaults. */
export function readerIdentity(edition: Edition, identity: ConfiguredIdentity): CallerIdentity | undefined {
  if (edition === "ess") {
    if (!identity.operatorUserId) return undefined;
    return identity.proxyOrganizationId
      ? { edition, operatorUserId: identity.operatorUserId, proxyOrganizationId: identity.proxyOrganizationId }
      : { edition, operatorUserId: identity.operatorUserId };
  }
  const { essbasicAppId, proxyOrganizationOpenId, proxyOperatorOpenId } = identity;
  return essbasicAppId && proxyOrganizationOpenId && proxyOperatorOpenId
    ? { edition, appId: essbasicAppId, proxyOrganizationOpenId, proxyOperatorOpenId }
    : undefined;
}

/**
 * What an identity configuration leaves to the caller that a deployment may not mean to, said once
 * per container when the function loads.
 */
export function identityWarnings(identity: ConfiguredIdentity): string[] {
  const warnings: string[] = [];
  if (identity.proxyOrganizationId !== undefined && identity.operatorUserId === undefined) {
    warnings.push("ESS_PROXY_ORGANIZATION_ID is set without ESS_OPERATOR_USER_ID: callers choose the ess operator (Operator.UserId)");
  }
  const basic = [identity.essbasicAppId, identity.proxyOrganizationOpenId, identity.proxyOperatorOpenId];
  if (basic.some((v) => v !== undefined) && basic.some((v) => v === undefined)) {
    warnings.push(
      "the ESSBASIC_* identity is pinned in part: callers choose the unset ones among Agent.AppId, " +
        "Agent.ProxyOrganizationOpenId and Agent.ProxyOperator.OpenId (a platform serving many sub-organizations means this)",
    );
  }
  return warnings;
}
