import { hashApiKey } from "../../shared/auth/api-keys";

/**
 * What deployers would set (dummy values; nothing here reaches Tencent Cloud). Every setting a
 * function may be given from the deployer's environment needs a sample here: the deploy check
 * runs the engine with all of them set, and says which one is missing.
 */

/** The key whose digest the sample deployment configures. */
export const SAMPLE_API_KEY = "essk_deploy_check_sample_key";

/** The deployer's own Tencent Cloud API key (what the CLI signs with). */
export const SAMPLE_DEPLOYER_CREDENTIALS = { TENCENT_SECRET_ID: "AKIDdeployCheckDeployer", TENCENT_SECRET_KEY: "deployCheckDeployerKey" };

/** A deployment that sets only what it must (plus a function role). */
export const SAMPLE_DEPLOYER_ENV: Record<string, string> = {
  SCF_REGION: "ap-guangzhou",
  SCF_ROLE: "ess_flow_groups_role",
  ESS_SECRET_ID: "AKIDdeploycheckSample",
  ESS_SECRET_KEY: "deployCheckSampleSecretKey",
  ESS_CALLBACK_KEY: "DeployCheckCallbackKey0123456789",
  ESS_CALLBACK_TOKEN: "deploy-check-callback-token-0001",
  COS_BUCKET: "examplebucket-1250000000",
  COS_REGION: "ap-guangzhou",
  API_KEY_HASHES: hashApiKey(SAMPLE_API_KEY),
};

/** A deployment that sets every optional setting too, each to a value it accepts. */
export const SAMPLE_FULL_DEPLOYER_ENV: Record<string, string> = {
  ...SAMPLE_DEPLOYER_ENV,
  ESS_REGION: "ap-shanghai",
  ESS_ENDPOINT: "ess.tencentcloudapi.com",
  ESSBASIC_ENDPOINT: "https://essbasic.tencentcloudapi.com",
  ESS_FILE_ENDPOINT: "file.ess.tencent.cn",
  ESS_TIMEOUT_MS: "12000",
  ESS_OPERATOR_USER_ID: "yDwfSampleOperatorUserId00000001",
  ESS_PROXY_ORGANIZATION_ID: "yDwfSampleProxyOrganizationId001",
  ESSBASIC_APP_ID: "yDwfSampleAppId0000000000000001",
  ESSBASIC_PROXY_ORGANIZATION_OPEN_ID: "sample-org-open-id",
  ESSBASIC_PROXY_OPERATOR_OPEN_ID: "sample-operator-open-id",
  IDEMPOTENCY_TTL_SECONDS: "43200",
  IDEMPOTENCY_PENDING_STALE_SECONDS: "90",
  CALLBACK_STRICT: "true",
  CALLBACK_ACCEPT_LEGACY_V1: "false",
  CALLBACK_SIGNATURE_MAX_AGE_SECONDS: "600",
  COS_PREFIX: "ess-status-sample/",
  COS_SECRET_ID: "AKIDsampleCos",
  COS_SECRET_KEY: "sampleCosSecretKey",
  LOG_LEVEL: "warn",
  NOTIFY_URL: "https://backend.example.com/ess-events",
  NOTIFY_SECRET: "sample-notify-secret-5d0c7e2a9b41f836",
  NOTIFY_TIMEOUT_MS: "8000",
  ARCHIVE_SIGNED_FILES: "true",
};
