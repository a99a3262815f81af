import { AppError } from "./app-error";

/**
 * Refusals of the group actions (sign links and what follows a create). Each names its cause with an
 * ESS-style code; none echoes a name or a mobile.
 */

/** Only callbacks are known for the group: who its approvers are comes from create-group's record. */
export class GroupNotRecorded extends AppError {
  constructor(flowGroupId: string) {
    super(
      "FailedOperation.GroupNotRecorded",
      409,
      `Group ${flowGroupId} is known only from callbacks: its approvers' details come from the record create-group writes, ` +
        "which this service does not have (created elsewhere, or the record was not stored)",
    );
    this.name = "GroupNotRecorded";
  }
}

/** Nobody to act as towards ESS: the group records no creator and none is configured. */
export class NoCallerIdentity extends AppError {
  constructor(edition: "ess" | "essbasic") {
    super(
      "FailedOperation.NoCallerIdentity",
      409,
      edition === "ess"
        ? "Cannot ask ESS: the group has no recorded operator and ESS_OPERATOR_USER_ID is not configured"
        : "Cannot ask ESS: the group has no recorded agent and the ESSBASIC_* agent variables are not configured",
    );
    this.name = "NoCallerIdentity";
  }
}

/** The approver a request names (by RecipientId or mobile) is not in the group. */
export class ApproverNotFound extends AppError {
  constructor(path: string) {
    super("ResourceNotFound.FlowApprover", 404, `${path} names no approver of this group`, {
      issues: [{ Path: path, Code: "ResourceNotFound.FlowApprover", Message: "names no approver of this group" }],
    });
    this.name = "ApproverNotFound";
  }
}

/** The approver a request names has nothing left to do: signed, signs automatically, or every flow of theirs ended. */
export class NothingToSign extends AppError {
  constructor(path: string, why: string) {
    super("OperationDenied.NothingToSign", 409, `${path} names an approver who needs no sign link: ${why}`);
    this.name = "NothingToSign";
  }
}

/** ESS answered a link action without a link. */
export class SignUrlMissing extends AppError {
  constructor(action: string, essRequestId?: string) {
    super("FailedOperation.SignUrl", 502, `ESS answered ${action} without a sign link`, { expose: true, essRequestId });
    this.name = "SignUrlMissing";
  }
}

/** Signed documents exist only once every flow of the group is signed. */
export class GroupNotSigned extends AppError {
  constructor(flowGroupId: string, status: string) {
    super(
      "FailedOperation.GroupNotSigned",
      409,
      `Group ${flowGroupId} is ${status}: its signed documents are available once every flow is signed (ALL)`,
    );
    this.name = "GroupNotSigned";
  }
}
