/**
 * Stand-in, in the deployed bundles only, for the COS SDK's `sdk/advance.js`: resumable uploads in
 * parts (`sliceUploadFile`, `uploadFile`, `uploadFiles`, `abortUploadTask`), copies in parts
 * (`sliceCopyFile`) and downloads to files (`downloadFile`), about 20 KB that `cos.js` loads and
 * installs on every client. The status store sends small JSON objects with `putObject` and reads
 * them with `getObject`, `getBucket` and `deleteObject` (sdk/base.js, untouched), and the client is
 * private to the COS adapter, so nothing in this kit can call the advanced methods. They stay
 * defined, and answer with an error instead of transferring anything.
 */
const ADVANCED_METHODS = ["sliceUploadFile", "abortUploadTask", "uploadFile", "uploadFiles", "sliceCopyFile", "downloadFile"] as const;

type Callback = (error: Error, data?: unknown) => void;

/** Called by `cos.js` as `advance.init(COS, task)`. */
export function init(COS: { prototype: Record<string, unknown> }): void {
  for (const name of ADVANCED_METHODS) {
    COS.prototype[name] = function unavailable(params?: unknown, callback?: Callback): void {
      const done = typeof params === "function" ? (params as Callback) : callback;
      const error = Object.assign(new Error(`cos.${name} is not available in this bundle`), { code: "NotSupportedInBundle" });
      if (typeof done !== "function") throw error;
      done(error);
    };
  }
}
