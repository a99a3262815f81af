/**
 * Field names of the request structures the emulator serves, per edition, generated from the SDK
 * models by `tools/gen-known-fields.ts` (do not edit by hand). A value names the nested structure
 * a field holds (objects or arrays of objects), or is null for plain values.
 */
export type KnownFields = Record<string, Record<string, string | null>>;

export const ESS_FIELDS: KnownFields = {
  "UploadFilesRequest": {
    "BusinessType": null,
    "Caller": "Caller",
    "FileInfos": "UploadFile",
    "FileType": null,
    "CoverRect": null,
    "CustomIds": null,
    "FileUrls": null,
    "Agent": "Agent",
    "Deadline": null
  },
  "CreateFlowGroupByFilesRequest": {
    "Operator": "UserInfo",
    "FlowGroupName": null,
    "FlowGroupInfos": "FlowGroupInfo",
    "Agent": "Agent",
    "FlowGroupOptions": "FlowGroupOptions",
    "UserFlowType": "UserFlowType"
  },
  "DescribeFlowInfoRequest": {
    "Operator": "UserInfo",
    "FlowIds": null,
    "Agent": "Agent",
    "FlowGroupId": null
  },
  "CreateFlowSignUrlRequest": {
    "FlowId": null,
    "Operator": "UserInfo",
    "Agent": "Agent",
    "FlowApproverInfos": "FlowCreateApprover",
    "VideoVerifyTimesLimit": null,
    "Organization": "OrganizationInfo",
    "JumpUrl": null,
    "UrlType": null,
    "ExpiredOn": null
  },
  "CreateBatchSignUrlRequest": {
    "Operator": "UserInfo",
    "Name": null,
    "Mobile": null,
    "Agent": "Agent",
    "IdCardType": null,
    "SignatureTypes": null,
    "IdCardNumber": null,
    "NotifyType": null,
    "FlowIds": null,
    "OrganizationName": null,
    "JumpToDetail": null,
    "FlowBatchUrlInfo": "FlowBatchUrlInfo",
    "AutoJumpBack": null,
    "UrlUseEnv": null,
    "CanBatchReject": null,
    "CanSkipReadFlow": null
  },
  "CancelFlowRequest": {
    "Operator": "UserInfo",
    "FlowId": null,
    "CancelMessage": null,
    "Agent": "Agent"
  },
  "CreateBatchQuickSignUrlRequest": {
    "FlowApproverInfo": "FlowCreateApprover",
    "Agent": "Agent",
    "Operator": "UserInfo",
    "FlowIds": null,
    "FlowGroupId": null,
    "JumpUrl": null,
    "SignatureTypes": null,
    "ApproverSignTypes": null,
    "SignTypeSelector": null,
    "FlowBatchUrlInfo": "FlowBatchUrlInfo",
    "Intention": "Intention",
    "VideoVerifyTimesLimit": null,
    "CacheApproverInfo": null,
    "CanBatchReject": null,
    "PresetApproverInfo": "PresetApproverInfo",
    "CanSkipReadFlow": null,
    "ExpiredOn": null
  },
  "CreateSchemeUrlRequest": {
    "Operator": "UserInfo",
    "OrganizationName": null,
    "Name": null,
    "Mobile": null,
    "IdCardType": null,
    "IdCardNumber": null,
    "EndPoint": null,
    "FlowId": null,
    "FlowGroupId": null,
    "PathType": null,
    "AutoJumpBack": null,
    "Agent": "Agent",
    "Hides": null,
    "RecipientId": null,
    "FlowGroupUrlInfo": "FlowGroupUrlInfo",
    "UrlUseEnv": null,
    "PickUpAfterJoined": null,
    "CanSkipReadFlow": null
  },
  "CreateFlowRemindsRequest": {
    "Operator": "UserInfo",
    "FlowIds": null,
    "Agent": "Agent",
    "RemindTypes": null,
    "RemindEmailInfos": "RemindEmailInfo"
  },
  "CreateFlowGroupRemindsRequest": {
    "Operator": "UserInfo",
    "FlowGroupId": null,
    "Agent": "Agent"
  },
  "DescribeFileUrlsRequest": {
    "Operator": "UserInfo",
    "BusinessType": null,
    "BusinessIds": null,
    "FileName": null,
    "FileType": null,
    "Offset": null,
    "Limit": null,
    "UrlTtl": null,
    "CcToken": null,
    "Scene": null,
    "Agent": "Agent"
  },
  "Caller": {
    "ApplicationId": null,
    "OrganizationId": null,
    "OperatorId": null,
    "SubOrganizationId": null
  },
  "UploadFile": {
    "FileBody": null,
    "FileName": null
  },
  "Agent": {
    "AppId": null,
    "ProxyAppId": null,
    "ProxyOrganizationId": null,
    "ProxyOperator": null
  },
  "UserInfo": {
    "UserId": null,
    "Channel": null,
    "OpenId": null,
    "ClientIp": null,
    "ProxyIp": null
  },
  "FlowGroupInfo": {
    "FlowName": null,
    "Approvers": "ApproverInfo",
    "FileIds": null,
    "TemplateId": null,
    "FlowType": null,
    "FlowDescription": null,
    "Deadline": null,
    "CallbackUrl": null,
    "UserData": null,
    "Unordered": null,
    "Components": "Component",
    "NeedSignReview": null,
    "AutoSignScene": null,
    "FlowDisplayType": null,
    "CcInfos": "CcInfo"
  },
  "FlowGroupOptions": {
    "ApproverVerifyType": null,
    "SelfOrganizationApproverNotifyType": null,
    "OtherApproverNotifyType": null,
    "FlowGroupNeedWorkflow": null,
    "NoEditFlowName": null,
    "NoEditFlowType": null,
    "NoEditDeadline": null,
    "SignComponentConfig": "SignComponentConfig",
    "ForbidEditWatermark": null,
    "HideSignCodeAfterStart": null,
    "SignAfterStart": null,
    "PreviewAfterStart": null
  },
  "UserFlowType": {
    "UserFlowTypeId": null,
    "Name": null,
    "Description": null
  },
  "FlowCreateApprover": {
    "ApproverType": null,
    "OrganizationName": null,
    "ApproverName": null,
    "ApproverMobile": null,
    "ApproverIdCardType": null,
    "ApproverIdCardNumber": null,
    "RecipientId": null,
    "VerifyChannel": null,
    "NotifyType": null,
    "IsFullText": null,
    "PreReadTime": null,
    "UserId": null,
    "Required": null,
    "ApproverSource": null,
    "CustomApproverTag": null,
    "RegisterInfo": "RegisterInfo",
    "ApproverOption": "ApproverOption",
    "JumpUrl": null,
    "SignId": null,
    "ApproverNeedSignReview": null,
    "SignComponents": "Component",
    "Components": "Component",
    "ComponentLimitType": null,
    "ApproverVerifyTypes": null,
    "ApproverSignTypes": null,
    "SignTypeSelector": null,
    "Deadline": null,
    "Intention": "Intention",
    "SignEndpoints": null,
    "NotSaveContact": null,
    "ApproverEmail": null
  },
  "OrganizationInfo": {
    "OrganizationId": null,
    "Channel": null,
    "OrganizationOpenId": null,
    "ClientIp": null,
    "ProxyIp": null
  },
  "FlowBatchUrlInfo": {
    "FlowBatchApproverInfos": "FlowBatchApproverInfo"
  },
  "Intention": {
    "IntentionType": null,
    "IntentionQuestions": "IntentionQuestion",
    "IntentionActions": "IntentionAction",
    "RuleIdConfig": "RuleIdConfig"
  },
  "PresetApproverInfo": {
    "Name": null,
    "Mobile": null,
    "IdCardNumber": null,
    "IdCardType": null,
    "OrganizationName": null
  },
  "FlowGroupUrlInfo": {
    "FlowGroupApproverInfos": "FlowGroupApproverInfo"
  },
  "RemindEmailInfo": {
    "SignId": null,
    "ApproverEmail": null
  },
  "ApproverInfo": {
    "ApproverType": null,
    "ApproverName": null,
    "ApproverMobile": null,
    "OrganizationName": null,
    "SignComponents": "Component",
    "ApproverIdCardType": null,
    "ApproverIdCardNumber": null,
    "NotifyType": null,
    "ApproverRole": null,
    "ApproverRoleName": null,
    "VerifyChannel": null,
    "PreReadTime": null,
    "UserId": null,
    "ApproverSource": null,
    "CustomApproverTag": null,
    "ApproverOption": "ApproverOption",
    "ApproverVerifyTypes": null,
    "ApproverSignTypes": null,
    "ApproverNeedSignReview": null,
    "AddSignComponentsLimits": "ComponentLimit",
    "SignInstructionContent": null,
    "Deadline": null,
    "Components": "Component",
    "SignEndpoints": null,
    "RegisterInfo": "RegisterInfo",
    "NotSaveContact": null,
    "ApproverEmail": null
  },
  "Component": {
    "ComponentType": null,
    "ComponentHeight": null,
    "ComponentWidth": null,
    "ComponentPage": null,
    "ComponentPosX": null,
    "ComponentPosY": null,
    "FileIndex": null,
    "GenerateMode": null,
    "ComponentId": null,
    "ComponentName": null,
    "ComponentRequired": null,
    "ComponentRecipientId": null,
    "ComponentExtra": null,
    "IsFormType": null,
    "ComponentValue": null,
    "OffsetX": null,
    "OffsetY": null,
    "KeywordOrder": null,
    "KeywordPage": null,
    "RelativeLocation": null,
    "KeywordIndexes": null,
    "LockComponentValue": null,
    "ForbidMoveAndDelete": null,
    "ComponentDateFontSize": null,
    "ChannelComponentId": null,
    "ChannelComponentSource": null
  },
  "CcInfo": {
    "Mobile": null,
    "Name": null,
    "CcType": null,
    "CcPermission": null,
    "NotifyType": null,
    "OrganizationName": null
  },
  "SignComponentConfig": {
    "HideDate": null,
    "AddSignComponentUseSealSize": null
  },
  "RegisterInfo": {
    "LegalName": null,
    "Uscc": null,
    "UnifiedSocialCreditCode": null,
    "OrganizationAddress": null,
    "AuthorizationTypes": null,
    "AuthorizationType": null,
    "AuthorizationMethods": null,
    "OrganizationIdCardType": null,
    "RegisterInfoOption": "RegisterInfoOption"
  },
  "ApproverOption": {
    "NoRefuse": null,
    "NoTransfer": null,
    "CanEditApprover": null,
    "FillType": null,
    "FlowReadLimit": null,
    "ForbidAddSignDate": null,
    "ApproverMobileMode": null,
    "ForbidModifySealInfos": null,
    "AddSignComponentUseSealSize": null
  },
  "FlowBatchApproverInfo": {
    "FlowId": null,
    "RecipientId": null
  },
  "IntentionQuestion": {
    "Question": null,
    "Answers": null
  },
  "IntentionAction": {
    "Text": null
  },
  "RuleIdConfig": {
    "Speed": null
  },
  "FlowGroupApproverInfo": {
    "FlowId": null,
    "RecipientId": null
  },
  "ComponentLimit": {
    "ComponentType": null,
    "ComponentValue": null
  },
  "RegisterInfoOption": {
    "LegalNameSame": null,
    "UnifiedSocialCreditCodeCNameSame": null,
    "OrganizationIdCardTypeSame": null,
    "UnifiedSocialCreditCodeSame": null
  }
};

export const ESSBASIC_FIELDS: KnownFields = {
  "UploadFilesRequest": {
    "Agent": "Agent",
    "BusinessType": null,
    "FileInfos": "UploadFile",
    "Operator": "UserInfo",
    "Deadline": null
  },
  "ChannelCreateFlowGroupByFilesRequest": {
    "FlowFileInfos": "FlowFileInfo",
    "FlowGroupName": null,
    "Agent": "Agent",
    "ApproverVerifyType": null,
    "FlowGroupOptions": "FlowGroupOptions",
    "Operator": "UserInfo"
  },
  "DescribeFlowDetailInfoRequest": {
    "Agent": "Agent",
    "FlowIds": null,
    "FlowGroupId": null,
    "Operator": "UserInfo"
  },
  "ChannelCreateFlowSignUrlRequest": {
    "Agent": "Agent",
    "FlowId": null,
    "FlowApproverInfos": "FlowApproverInfo",
    "VideoVerifyTimesLimit": null,
    "Operator": "UserInfo",
    "Organization": "OrganizationInfo",
    "JumpUrl": null,
    "UrlType": null,
    "ExpiredOn": null
  },
  "CreateSignUrlsRequest": {
    "Agent": "Agent",
    "FlowIds": null,
    "FlowGroupId": null,
    "Endpoint": null,
    "GenerateType": null,
    "OrganizationName": null,
    "Name": null,
    "Mobile": null,
    "IdCardType": null,
    "IdCardNumber": null,
    "OrganizationOpenId": null,
    "OpenId": null,
    "AutoJumpBack": null,
    "JumpUrl": null,
    "Operator": "UserInfo",
    "Hides": null,
    "RecipientIds": null,
    "FlowGroupUrlInfo": "FlowGroupUrlInfo",
    "UrlUseEnv": null,
    "CanSkipReadFlow": null
  },
  "ChannelCancelFlowRequest": {
    "FlowId": null,
    "Agent": "Agent",
    "CancelMessage": null,
    "CancelMessageFormat": null,
    "Operator": "UserInfo"
  },
  "ChannelCreateBatchQuickSignUrlRequest": {
    "FlowApproverInfo": "FlowApproverInfo",
    "Agent": "Agent",
    "FlowIds": null,
    "FlowGroupId": null,
    "JumpUrl": null,
    "SignatureTypes": null,
    "ApproverSignTypes": null,
    "SignTypeSelector": null,
    "FlowBatchUrlInfo": "FlowBatchUrlInfo",
    "Intention": "Intention",
    "VideoVerifyTimesLimit": null,
    "CacheApproverInfo": null,
    "CanBatchReject": null,
    "PresetApproverInfo": "PresetApproverInfo",
    "CanSkipReadFlow": null,
    "ExpiredOn": null
  },
  "ChannelBatchCancelFlowsRequest": {
    "Agent": "Agent",
    "FlowIds": null,
    "CancelMessage": null,
    "CancelMessageFormat": null,
    "Operator": "UserInfo"
  },
  "ChannelCreateFlowRemindsRequest": {
    "Agent": "Agent",
    "FlowIds": null
  },
  "DescribeResourceUrlsByFlowsRequest": {
    "Agent": "Agent",
    "FlowIds": null,
    "Operator": "UserInfo"
  },
  "Agent": {
    "AppId": null,
    "ProxyOrganizationOpenId": null,
    "ProxyOperator": "UserInfo",
    "ProxyAppId": null,
    "ProxyOrganizationId": null
  },
  "UploadFile": {
    "FileBody": null,
    "FileName": null
  },
  "UserInfo": {
    "OpenId": null,
    "Channel": null,
    "CustomUserId": null,
    "ClientIp": null,
    "ProxyIp": null
  },
  "FlowFileInfo": {
    "FileIds": null,
    "FlowName": null,
    "FlowApprovers": "FlowApproverInfo",
    "Deadline": null,
    "FlowDescription": null,
    "FlowType": null,
    "CallbackUrl": null,
    "CustomerData": null,
    "Unordered": null,
    "Components": "Component",
    "CustomShowMap": null,
    "NeedSignReview": null,
    "FlowDisplayType": null
  },
  "FlowGroupOptions": {
    "SelfOrganizationApproverSignEach": null,
    "OtherApproverSignEach": null,
    "NoEditFlowName": null,
    "NoEditFlowType": null,
    "NoEditDeadline": null,
    "SignComponentConfig": "SignComponentConfig",
    "ForbidEditWatermark": null,
    "HideSignCodeAfterStart": null,
    "SignAfterStart": null,
    "PreviewAfterStart": null
  },
  "FlowApproverInfo": {
    "Name": null,
    "IdCardType": null,
    "IdCardNumber": null,
    "Mobile": null,
    "OrganizationName": null,
    "NotChannelOrganization": null,
    "OpenId": null,
    "OrganizationOpenId": null,
    "ApproverType": null,
    "RecipientId": null,
    "Deadline": null,
    "CallbackUrl": null,
    "SignComponents": "Component",
    "ComponentLimitType": null,
    "PreReadTime": null,
    "JumpUrl": null,
    "ApproverOption": "ApproverOption",
    "ApproverNeedSignReview": null,
    "ApproverVerifyTypes": null,
    "ApproverSignTypes": null,
    "SignId": null,
    "NotifyType": null,
    "AddSignComponentsLimits": "ComponentLimit",
    "ApproverRoleName": null,
    "SignTypeSelector": null,
    "Components": "Component",
    "Intention": "Intention",
    "SignEndpoints": null,
    "ApproverEmail": null
  },
  "OrganizationInfo": {
    "OrganizationOpenId": null,
    "OrganizationId": null,
    "Channel": null,
    "ClientIp": null,
    "ProxyIp": null
  },
  "FlowGroupUrlInfo": {
    "FlowGroupApproverInfos": "FlowGroupApproverInfo"
  },
  "FlowBatchUrlInfo": {
    "FlowBatchApproverInfos": "FlowBatchApproverInfo"
  },
  "Intention": {
    "IntentionType": null,
    "IntentionQuestions": "IntentionQuestion",
    "IntentionActions": "IntentionAction",
    "RuleIdConfig": "RuleIdConfig"
  },
  "PresetApproverInfo": {
    "Name": null,
    "Mobile": null,
    "IdCardNumber": null,
    "IdCardType": null,
    "OrganizationName": null
  },
  "Component": {
    "ComponentId": null,
    "ComponentType": null,
    "ComponentName": null,
    "ComponentRequired": null,
    "ComponentRecipientId": null,
    "FileIndex": null,
    "GenerateMode": null,
    "ComponentWidth": null,
    "ComponentHeight": null,
    "ComponentPage": null,
    "ComponentPosX": null,
    "ComponentPosY": null,
    "ComponentExtra": null,
    "ComponentValue": null,
    "ComponentDateFontSize": null,
    "DocumentId": null,
    "ComponentDescription": null,
    "OffsetX": null,
    "OffsetY": null,
    "ChannelComponentId": null,
    "KeywordOrder": null,
    "KeywordPage": null,
    "RelativeLocation": null,
    "KeywordIndexes": null,
    "Placeholder": null,
    "LockComponentValue": null,
    "ForbidMoveAndDelete": null
  },
  "SignComponentConfig": {
    "HideDate": null,
    "AddSignComponentUseSealSize": null
  },
  "ApproverOption": {
    "NoRefuse": null,
    "NoTransfer": null,
    "HideOneKeySign": null,
    "FillType": null,
    "FlowReadLimit": null,
    "ForbidAddSignDate": null,
    "ApproverMobileMode": null,
    "AddSignComponentUseSealSize": null
  },
  "ComponentLimit": {
    "ComponentType": null,
    "ComponentValue": null
  },
  "FlowGroupApproverInfo": {
    "FlowId": null,
    "RecipientId": null
  },
  "FlowBatchApproverInfo": {
    "FlowId": null,
    "RecipientId": null
  },
  "IntentionQuestion": {
    "Question": null,
    "Answers": null
  },
  "IntentionAction": {
    "Text": null
  },
  "RuleIdConfig": {
    "Speed": null
  }
};
