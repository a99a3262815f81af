import type { Edition } from "../core/model";
import { ESS_FIELDS, ESSBASIC_FIELDS, type KnownFields } from "../protocol/known-fields";
import { cancelFlow, channelBatchCancelFlows, channelCancelFlow } from "./cancel";
import { describeFileUrls, describeResourceUrlsByFlows } from "./files";
import { channelCreateFlowReminds, createFlowGroupReminds, createFlowReminds } from "./reminds";
import type { ActionHandler } from "./context";
import { createFlowGroupByFiles } from "./create-group-ess";
import { channelCreateFlowGroupByFiles } from "./create-group-essbasic";
import { describeFlowDetailInfo, describeFlowInfo } from "./describe";
import {
  channelCreateBatchQuickSignUrl,
  channelCreateFlowSignUrl,
  createBatchQuickSignUrl,
  createBatchSignUrl,
  createFlowSignUrl,
  createSchemeUrl,
  createSignUrls,
} from "./sign-urls";
import { essbasicUploadFiles, essUploadFiles } from "./upload-files";

/** The actions the emulator serves, per edition, with the SDK structure of their request. */
export interface ActionSpec {
  handler: ActionHandler;
  request: string;
}

/** Action name → handler, per edition. */
export const ACTIONS: Record<Edition, Record<string, ActionSpec>> = {
  ess: {
    UploadFiles: { handler: essUploadFiles, request: "UploadFilesRequest" },
    CreateFlowGroupByFiles: { handler: createFlowGroupByFiles, request: "CreateFlowGroupByFilesRequest" },
    DescribeFlowInfo: { handler: describeFlowInfo, request: "DescribeFlowInfoRequest" },
    CreateFlowSignUrl: { handler: createFlowSignUrl, request: "CreateFlowSignUrlRequest" },
    CreateBatchSignUrl: { handler: createBatchSignUrl, request: "CreateBatchSignUrlRequest" },
    CreateBatchQuickSignUrl: { handler: createBatchQuickSignUrl, request: "CreateBatchQuickSignUrlRequest" },
    CreateSchemeUrl: { handler: createSchemeUrl, request: "CreateSchemeUrlRequest" },
    CancelFlow: { handler: cancelFlow, request: "CancelFlowRequest" },
    CreateFlowReminds: { handler: createFlowReminds, request: "CreateFlowRemindsRequest" },
    CreateFlowGroupReminds: { handler: createFlowGroupReminds, request: "CreateFlowGroupRemindsRequest" },
    DescribeFileUrls: { handler: describeFileUrls, request: "DescribeFileUrlsRequest" },
  },
  essbasic: {
    UploadFiles: { handler: essbasicUploadFiles, request: "UploadFilesRequest" },
    ChannelCreateFlowGroupByFiles: { handler: channelCreateFlowGroupByFiles, request: "ChannelCreateFlowGroupByFilesRequest" },
    DescribeFlowDetailInfo: { handler: describeFlowDetailInfo, request: "DescribeFlowDetailInfoRequest" },
    ChannelCreateFlowSignUrl: { handler: channelCreateFlowSignUrl, request: "ChannelCreateFlowSignUrlRequest" },
    CreateSignUrls: { handler: createSignUrls, request: "CreateSignUrlsRequest" },
    ChannelCreateBatchQuickSignUrl: { handler: channelCreateBatchQuickSignUrl, request: "ChannelCreateBatchQuickSignUrlRequest" },
    ChannelCancelFlow: { handler: channelCancelFlow, request: "ChannelCancelFlowRequest" },
    ChannelBatchCancelFlows: { handler: channelBatchCancelFlows, request: "ChannelBatchCancelFlowsRequest" },
    ChannelCreateFlowReminds: { handler: channelCreateFlowReminds, request: "ChannelCreateFlowRemindsRequest" },
    DescribeResourceUrlsByFlows: { handler: describeResourceUrlsByFlows, request: "DescribeResourceUrlsByFlowsRequest" },
  },
};

/** The SDK request structures of each edition (for `UnknownParameter`). */
export const KNOWN_FIELDS: Record<Edition, KnownFields> = { ess: ESS_FIELDS, essbasic: ESSBASIC_FIELDS };

/** `X-TC-Version` → edition. */
export const EDITION_OF_VERSION: Record<string, Edition> = { "2020-11-11": "ess", "2021-05-26": "essbasic" };

/** Actions that start groups: counted in the stats' `groupsCreated`. */
export const CREATE_ACTIONS = new Set(["CreateFlowGroupByFiles", "ChannelCreateFlowGroupByFiles"]);
