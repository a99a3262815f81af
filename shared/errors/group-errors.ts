import { AppError } from "./app-error";

/**
 * Refusals of the group routes (status, sign links, cancel, remind, files). Each names its cause with
 * an ESS-style code; none echoes a name or a mobile.
 */

/** `FlowGroupId`s ESS issues are 32 letters and digits; anything else is refused before any I/O. */
export class InvalidFlowGroupId extends AppError {
  constructor() {
    super("InvalidFlowGroupId", "FlowGroupId must be the 32 letters and digits ESS returned", {
      issues: [{ Path: "FlowGroupId", Code: "InvalidParameter.FlowGroupId", Message: "must be 32 characters of A-Z, a-z, 0-9" }],
    });
  }
}

/**
 * A group this service does not know, or one that another API key created: the two answer alike,
 * so a key cannot learn which groups exist.
 */
export class GroupNotFound extends AppError {
  constructor(flowGroupId: string) {
    super("GroupNotFound", `No contract group ${flowGroupId} is known to this service`);
  }
}

/** Only callbacks are known for the group: who its approvers are comes from create-group's record. */
export class GroupNotRecorded extends AppError {
  constructor(flowGroupId: string) {
    super(
      "GroupNotRecorded",
      `Group ${flowGroupId} is known only from callbacks: its approvers' details come from the record create-group writes, ` +
        "which this service does not have (created elsewhere, or the record was not stored)",
    );
  }
}

/** Nobody to act as towards ESS: the group records no creator and none is configured. */
export class NoCallerIdentity extends AppError {
  constructor(edition: "ess" | "essbasic") {
    super(
      "NoCallerIdentity",
      edition === "ess"
        ? "Cannot ask ESS: the group has no recorded operator and ESS_OPERATOR_USER_ID is not configured"
        : "Cannot ask ESS: the group has no recorded agent and the ESSBASIC_* agent variables are not configured",
    );
  }
}

/** The approver a request names (by RecipientId or mobile) is not in the group. */
export class ApproverNotFound extends AppError {
  constructor(path: string) {
    super("ApproverNotFound", `${path} names no approver of this group`, {
      issues: [{ Path: path, Code: "ResourceNotFound.FlowApprover", Message: "names no approver of this group" }],
    });
  }
}

/** The approver a request names has nothing left to do: signed, signs automatically, or every flow of theirs ended. */
export class NothingToSign extends AppError {
  constructor(path: string, why: string) {
    super("NothingToSign", `${path} names an approver who needs no sign link: ${why}`);
  }
}

/** ESS answered a link action without a link. */
export class SignUrlMissing extends AppError {
  constructor(action: string, essRequestId?: string) {
    super("SignUrlMissing", `ESS answered ${action} without a sign link`, { essRequestId });
  }
}

/** Signed documents exist only once every flow of the group is signed. */
export class GroupNotSigned extends AppError {
  constructor(flowGroupId: string, status: string) {
    super("GroupNotSigned", `Group ${flowGroupId} is ${status}: its signed documents are available once every flow is signed (ALL)`);
  }
}
