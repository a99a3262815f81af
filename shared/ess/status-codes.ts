/**
 * ESS's status vocabularies, mapped once to the internal model. Callbacks and the Describe* APIs
 * use overlapping tables; they live here together so both readers agree.
 */

/** Flow (contract) states, the vocabulary of `FlowCallbackShowStatus`. */
export type FlowStatus = "INIT" | "PART" | "REJECT" | "ALL" | "DEADLINE" | "CANCEL" | "INVALID" | "RELIEVED";

/** Flow states that are never left because of an older message. */
export const FINAL_FLOW_STATUSES: readonly FlowStatus[] = ["ALL", "REJECT", "CANCEL", "DEADLINE", "INVALID", "RELIEVED"];

/** Approver states, the vocabulary of `ApproveCallbackShowStatus`. */
export type ApproverStatus =
  | "PENDING"
  | "FILLPENDING"
  | "FILLACCEPT"
  | "ACCEPT"
  | "REJECT"
  | "DEADLINE"
  | "CANCEL"
  | "STOP"
  | "RELIEVED"
  | "FORWARD";

export const FINAL_APPROVER_STATUSES: readonly ApproverStatus[] = ["ACCEPT", "REJECT", "DEADLINE", "CANCEL", "STOP", "RELIEVED", "FORWARD"];

/** `FlowCallbackStatus` of callbacks (ess): 8 is "waiting to be filled", nobody signed yet, so INIT. */
export const CALLBACK_FLOW_STATUS: Readonly<Record<number, FlowStatus>> = {
  1: "INIT",
  2: "PART",
  3: "REJECT",
  4: "ALL",
  5: "DEADLINE",
  6: "CANCEL",
  8: "INIT",
  16: "INVALID",
  21: "RELIEVED",
};

/**
 * `FlowStatus` of ess `DescribeFlowInfo` (SDK comment of FlowDetailInfo.FlowStatus): the callback
 * codes, plus 0 not started, 7 not started (with filling), 9 partly filled, 10 fill rejected.
 */
export const DESCRIBE_FLOW_STATUS: Readonly<Record<number, FlowStatus>> = {
  ...CALLBACK_FLOW_STATUS,
  0: "INIT",
  7: "INIT",
  9: "INIT",
  10: "REJECT",
};

/**
 * Approver status numbers, shared by callbacks (`ApproveCallbackStatus`) and ess `DescribeFlowInfo`
 * (`ApproveStatus`): 0 not started and 1 in the flow (Describe only) are still pending; 2 and 7
 * pending; 3 signed; 4 rejected; 5 expired; 6 cancelled; 8 to fill; 9 stopped; 10 filled;
 * 15 relieved; 19 forwarded.
 */
export const APPROVER_STATUS_CODES: Readonly<Record<number, ApproverStatus>> = {
  0: "PENDING",
  1: "PENDING",
  2: "PENDING",
  3: "ACCEPT",
  4: "REJECT",
  5: "DEADLINE",
  6: "CANCEL",
  7: "PENDING",
  8: "FILLPENDING",
  9: "STOP",
  10: "FILLACCEPT",
  15: "RELIEVED",
  19: "FORWARD",
};

const FLOW_STATUS_NAMES: ReadonlyMap<string, FlowStatus> = new Map(
  (["INIT", "PART", "REJECT", "ALL", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"] as const).map((s) => [s, s]),
);

/** Approver status words (essbasic, and ess V2 `ApproveCallbackShowStatus`), with essbasic's extra ones. */
const APPROVER_STATUS_NAMES: ReadonlyMap<string, ApproverStatus> = new Map<string, ApproverStatus>([
  ...Object.values(APPROVER_STATUS_CODES).map((s) => [s, s] as const),
  ["WAITPICKUP", "PENDING"],
  ["FILLREJECT", "REJECT"],
]);

/** A flow status from a number (per `codes`), a numeric-looking string, or a word; undefined when unknown. */
export function mapFlowStatus(value: unknown, codes: Readonly<Record<number, FlowStatus>> = CALLBACK_FLOW_STATUS): FlowStatus | undefined {
  return mapStatus(value, codes, FLOW_STATUS_NAMES);
}

/** An approver status from a number, a numeric-looking string, or a word; undefined when unknown. */
export function mapApproverStatus(value: unknown): ApproverStatus | undefined {
  return mapStatus(value, APPROVER_STATUS_CODES, APPROVER_STATUS_NAMES);
}

function mapStatus<S extends string>(value: unknown, codes: Readonly<Record<number, S>>, names: ReadonlyMap<string, S>): S | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? codes[value] : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d{1,4}$/.test(text)) return codes[Number(text)];
  return names.get(text.toUpperCase());
}
