import { AppError } from "../errors/app-error";
import type { EssConfig } from "../config/config";
import type { Edition } from "../ess/edition";
import type { CallerIdentity } from "../ess/gateway";

type Identity = EssConfig["identity"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Fills the caller identity a body omits from the configured defaults, and refuses (403) a body
 * that names a different operator or agent than the configured one: a key holder must not act as
 * another employee or sub-organization. Returns a new body; the input is not modified. Bodies that
 * are not objects are returned as they are, for validation to reject.
 */
export function applyCallerIdentity(edition: Edition, body: unknown, identity: Identity): unknown {
  if (!isObject(body)) return body;
  return edition === "ess" ? applyEss(body, identity) : applyEssbasic(body, identity);
}

function pinned(path: string, given: unknown, configured: string | undefined): string | undefined {
  if (configured === undefined) return typeof given === "string" ? given : undefined;
  if (given !== undefined && given !== configured) {
    throw new AppError(
      "UnauthorizedOperation.CallerIdentity",
      403,
      `${path} differs from the identity this service is configured to act as; omit it or use the configured one`,
    );
  }
  return configured;
}

function applyEss(body: Record<string, unknown>, identity: Identity): Record<string, unknown> {
  if (identity.operatorUserId === undefined) return body;
  const operator = body.Operator;
  if (operator !== undefined && !isObject(operator)) return body;
  const userId = pinned("Operator.UserId", operator?.UserId, identity.operatorUserId);
  return { ...body, Operator: { ...(operator ?? {}), UserId: userId } };
}

function applyEssbasic(body: Record<string, unknown>, identity: Identity): Record<string, unknown> {
  const { essbasicAppId, proxyOrganizationOpenId, proxyOperatorOpenId } = identity;
  if (essbasicAppId === undefined && proxyOrganizationOpenId === undefined && proxyOperatorOpenId === undefined) return body;
  const agent = body.Agent;
  if (agent !== undefined && !isObject(agent)) return body;
  const operator = agent?.ProxyOperator;
  if (operator !== undefined && !isObject(operator)) return body;
  const appId = pinned("Agent.AppId", agent?.AppId, essbasicAppId);
  const orgOpenId = pinned("Agent.ProxyOrganizationOpenId", agent?.ProxyOrganizationOpenId, proxyOrganizationOpenId);
  const operatorOpenId = pinned("Agent.ProxyOperator.OpenId", operator?.OpenId, proxyOperatorOpenId);
  return {
    ...body,
    Agent: {
      ...(agent ?? {}),
      ...(appId !== undefined ? { AppId: appId } : {}),
      ...(orgOpenId !== undefined ? { ProxyOrganizationOpenId: orgOpenId } : {}),
      ...(operatorOpenId !== undefined || operator !== undefined
        ? { ProxyOperator: { ...(operator ?? {}), ...(operatorOpenId !== undefined ? { OpenId: operatorOpenId } : {}) } }
        : {}),
    },
  };
}

/** The identity to read a group with, taken from the configured defaults. */
export function readerIdentity(edition: Edition, identity: Identity): CallerIdentity | undefined {
  if (edition === "ess") {
    return identity.operatorUserId ? { edition, operatorUserId: identity.operatorUserId } : undefined;
  }
  const { essbasicAppId, proxyOrganizationOpenId, proxyOperatorOpenId } = identity;
  return essbasicAppId && proxyOrganizationOpenId && proxyOperatorOpenId
    ? { edition, appId: essbasicAppId, proxyOrganizationOpenId, proxyOperatorOpenId }
    : undefined;
}
