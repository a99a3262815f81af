import { Client as EssClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ess/v20201111/ess_client";
import { Client as EssbasicClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_client";

/** Official SDK clients pointed at an emulator, exactly as the deployed code would configure them. */

export interface Target {
  endpoint: string;
  credentials: { secretId: string; secretKey: string; token?: string };
}

const profile = (endpoint: string) => ({ httpProfile: { endpoint, protocol: "http://", reqTimeout: 10 } });

export function essClient(target: Target): EssClient {
  return new EssClient({ credential: target.credentials, region: "ap-guangzhou", profile: profile(target.endpoint) });
}

export function essbasicClient(target: Target): EssbasicClient {
  return new EssbasicClient({ credential: target.credentials, region: "ap-guangzhou", profile: profile(target.endpoint) });
}

/** The SDK's rejection (it throws an error carrying `code` and `requestId`). */
export interface SdkError {
  code?: string;
  message: string;
  requestId?: string;
}

/** Runs an SDK call expected to fail and returns the error it threw. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected the SDK call to fail, but it succeeded");
}
