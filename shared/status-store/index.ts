/**
 * The status store in one import: the factories the functions compose, the port, the reducer and
 * the model. See docs/architecture.md, "Status store".
 */
export { createStatusStore, maskEvent, type StatusStoreDeps } from "./status-store";
// The object store has its own folder (shared/object-store); re-exported for the functions' imports.
export { createObjectStore, createFileObjectStore, createCosObjectStore, keySegment, InvalidObjectKeyError } from "../object-store";
export type { CosObjectStoreOptions, CosStoreConfig } from "../object-store";
export { applyEvents, initialSnapshot, rollupGroupStatus, REDUCER_VERSION } from "./reducer";
export { StoreUnavailableError, type ObjectStore, type StatusStore } from "./port";
export type * from "./model";
