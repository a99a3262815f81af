import { createCosObjectStore } from "./cos-object-store";
import { createFileObjectStore } from "./file-object-store";
import type { ObjectStore, ObjectStoreSettings } from "./port";

/**
 * The object store in one import: the port, its two adapters (a local folder, COS through the
 * official SDK), the key rules, and the factory the functions compose. See docs/architecture.md.
 */
export type * from "./port";
export { MAX_LIST_PAGE } from "./port";
export { createFileObjectStore, type FileObjectStoreOptions } from "./file-object-store";
export { createCosObjectStore, type CosObjectStoreOptions, type CosStoreConfig } from "./cos-object-store";
export { assertValidKey, assertValidPrefix, compareKeys, keySegment, pageLimit } from "./keys";
export { InvalidObjectKeyError, StoreRefusedError, StoreUnavailableError } from "../errors/store-errors";

/** Builds the `ObjectStore` the configuration asks for: a folder, or a COS bucket. */
export function createObjectStore(config: ObjectStoreSettings): ObjectStore {
  return config.kind === "file" ? createFileObjectStore(config.dir, { fsync: config.fsync }) : createCosObjectStore(config);
}
