/** Where an ESS API is called (the settings that choose it: shared/config/ess-endpoints.ts). */

/** The three hosts: each edition's API, and the file host of `UploadFiles`. */
export type EssService = "ess" | "essbasic" | "file";

export interface EssEndpoint {
  /** `http://` or `https://`, as the SDK's `httpProfile.protocol` wants it. */
  protocol: "http://" | "https://";
  /** `host[:port]`, as the SDK's `httpProfile.endpoint` wants it. */
  host: string;
}
