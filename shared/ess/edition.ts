/**
 * The two ESS editions this kit speaks.
 * - `ess`: enterprise edition (电子签企业版), API version 2020-11-11, `CreateFlowGroupByFiles`.
 * - `essbasic`: platform / channel edition (第三方应用集成), API version 2021-05-26,
 *   `ChannelCreateFlowGroupByFiles`.
 */
export type Edition = "ess" | "essbasic";

export const EDITIONS: readonly Edition[] = ["ess", "essbasic"];

export const API_VERSION: Record<Edition, string> = { ess: "2020-11-11", essbasic: "2021-05-26" };

export const CREATE_GROUP_ACTION: Record<Edition, string> = {
  ess: "CreateFlowGroupByFiles",
  essbasic: "ChannelCreateFlowGroupByFiles",
};

/** `MsgVersion` of callback envelopes per edition. */
export const CALLBACK_MSG_VERSION: Record<Edition, string> = { ess: "CustomApp", essbasic: "ThirdPartyApp" };
