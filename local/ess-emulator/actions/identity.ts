import { essbasicOwnerKey, essOwnerKey } from "../core/fixture";
import type { Owner } from "../core/model";
import { ApiError, missing } from "../protocol/api-error";
import { readObject, readString, type Json } from "../protocol/read";
import type { ActionContext } from "./context";

/**
 * Who is calling. ess: an employee (`Operator.UserId`, or `Caller.OperatorId` for uploads) of a
 * known organization, optionally acting for a sub-organization of its group through
 * `Agent.ProxyOrganizationId` (the sub-organization then starts and pays). essbasic: an application
 * (`Agent.AppId`), one of its organizations (`ProxyOrganizationOpenId`) and one of its employees
 * (`ProxyOperator.OpenId`).
 */

export function essCaller(body: Json, ctx: ActionContext, userId: string | undefined, userIdPath: string): Owner {
  if (userId === undefined || userId.trim() === "") throw missing(userIdPath);
  const found = ctx.directory.essEmployees.get(userId);
  if (!found) throw new ApiError("ResourceNotFound.User", `The employee named by \`${userIdPath}\` does not exist.`);
  if (!found.employee.verified)
    throw new ApiError("ResourceNotFound.VerifyUser", `The employee named by \`${userIdPath}\` has not completed real-name verification.`);
  const agent = readObject(body.Agent, "Agent");
  const proxyId = readString(agent?.ProxyOrganizationId, "Agent.ProxyOrganizationId");
  let org = found.organization;
  if (proxyId !== undefined && proxyId !== "" && proxyId !== org.organizationId) {
    const proxied = ctx.directory.essOrganizations.get(proxyId);
    if (!proxied)
      throw new ApiError("ResourceNotFound.Organization", "The organization named by `Agent.ProxyOrganizationId` does not exist.");
    if (!org.subOrganizationIds.includes(proxyId))
      throw new ApiError(
        "OperationDenied.SubOrgNotJoin",
        "The organization named by `Agent.ProxyOrganizationId` has not joined the operator's group.",
      );
    org = proxied;
  }
  return {
    edition: "ess",
    key: essOwnerKey(org.organizationId),
    organizationName: org.name,
    organizationId: org.organizationId,
    operatorUserId: userId,
  };
}

/** ess actions that name the employee in `Operator.UserId`. */
export function essOperator(body: Json, ctx: ActionContext): Owner {
  const operator = readObject(body.Operator, "Operator");
  return essCaller(body, ctx, readString(operator?.UserId, "Operator.UserId"), "Operator.UserId");
}

/** The essbasic caller of an action taking `Agent`. */
export function essbasicAgent(body: Json, ctx: ActionContext): Owner {
  const agent = readObject(body.Agent, "Agent");
  if (!agent) throw missing("Agent");
  const appId = readString(agent.AppId, "Agent.AppId", { required: true })!;
  const app = ctx.directory.applications.get(appId);
  if (!app) throw new ApiError("ResourceNotFound.Application", "The application named by `Agent.AppId` does not exist.");
  const orgOpenId = readString(agent.ProxyOrganizationOpenId, "Agent.ProxyOrganizationOpenId", { required: true })!;
  const org = ctx.directory.essbasicOrganization(appId, orgOpenId);
  if (!org) throw new ApiError("ResourceNotFound", "`Agent.ProxyOrganizationOpenId` is not an organization of this application.");
  const operator = readObject(agent.ProxyOperator, "Agent.ProxyOperator");
  const openId = readString(operator?.OpenId, "Agent.ProxyOperator.OpenId");
  if (openId === undefined || openId === "") throw missing("Agent.ProxyOperator.OpenId");
  const employee = org.employees.find((e) => e.openId === openId);
  if (!employee) throw new ApiError("ResourceNotFound", "`Agent.ProxyOperator.OpenId` is not an employee of this organization.");
  if (!employee.verified)
    throw new ApiError(
      "OperationDenied.NoIdentityVerify",
      "The employee named by `Agent.ProxyOperator.OpenId` has not completed real-name verification.",
    );
  return {
    edition: "essbasic",
    key: essbasicOwnerKey(appId, orgOpenId),
    organizationName: org.name,
    appId,
    organizationOpenId: orgOpenId,
    operatorOpenId: openId,
  };
}

/** Whether `owner` may see and act on what `creator` started (same organization / application). */
export function sameOwner(owner: Owner, creator: Owner): boolean {
  return owner.key === creator.key;
}
