import { AppError } from "./app-error";

/** A request naming a caller identity other than the one this deployment is pinned to act as. */
export class CallerIdentityRefused extends AppError {
  constructor(path: string, why: string) {
    super("UnauthorizedOperation.CallerIdentity", 403, `${path} ${why}`);
    this.name = "CallerIdentityRefused";
  }
}

/**
 * A group this service does not know, or one that another API key created: the two answer alike,
 * so a key cannot learn which groups exist.
 */
export class GroupNotFound extends AppError {
  constructor(flowGroupId: string) {
    super("ResourceNotFound.FlowGroup", 404, `No contract group ${flowGroupId} is known to this service`);
    this.name = "GroupNotFound";
  }
}
