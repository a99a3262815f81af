/**
 * A COS-protocol test server (in memory, on 127.0.0.1) that verifies request signatures, plus the
 * independent signer tests use to craft requests. See `server.ts`.
 */
export {
  startCosServer,
  type CosFaults,
  type CosListing,
  type CosObjects,
  type CosOperation,
  type CosServerOptions,
  type CosTestServer,
  type FaultMode,
  type FaultRule,
  type FaultTarget,
  type RecordedRequest,
  type StoredObject,
  type VersioningStatus,
} from "./server";
export { signRequest, computeSignature, parseAuthorization, uriEncode, type SignableRequest } from "./signature";
export { verifyRequest, type CosCredentials, type Verdict } from "./verify";
export type { LifecycleRule } from "./xml";
