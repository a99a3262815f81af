/**
 * The status store in one import: the factories the functions compose, the port, the reducer and
 * the model. See docs/architecture.md, "Status store".
 */
export { createObjectStore, createStatusStore, maskEvent, type StatusStoreDeps } from "./status-store";
export { createFileObjectStore } from "./file-object-store";
export { createCosObjectStore, type CosObjectStoreOptions, type CosStoreConfig } from "./cos-object-store";
export { keySegment, InvalidObjectKeyError } from "./object-key";
export { applyEvents, initialSnapshot, rollupGroupStatus, REDUCER_VERSION } from "./reducer";
export { StoreUnavailableError, type ObjectStore, type StatusStore } from "./port";
export type * from "./model";
export { FINAL_APPROVER_STATUSES, FINAL_FLOW_STATUSES } from "./model";
