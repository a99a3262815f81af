/** The few COS XML bodies the test server answers with. */

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const element = (name: string, value: string | number | boolean) => `<${name}>${escapeXml(String(value))}</${name}>`;

/** COS's error body: Code, Message, Resource, RequestId. */
export function errorXml(error: { code: string; message: string; resource: string; requestId: string }): string {
  return (
    DECLARATION +
    "<Error>" +
    element("Code", error.code) +
    element("Message", error.message) +
    element("Resource", error.resource) +
    element("RequestId", error.requestId) +
    "</Error>"
  );
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/** The GetBucket (ListObjects) answer. */
export function listBucketXml(result: {
  bucket: string;
  prefix: string;
  marker: string;
  maxKeys: number;
  delimiter?: string;
  isTruncated: boolean;
  nextMarker?: string;
  contents: ListedObject[];
  commonPrefixes: string[];
}): string {
  const contents = result.contents
    .map(
      (item) =>
        "<Contents>" +
        element("Key", item.key) +
        element("LastModified", item.lastModified.toISOString()) +
        element("ETag", item.etag) +
        element("Size", item.size) +
        "<Owner>" +
        element("ID", "1250000000") +
        element("DisplayName", "1250000000") +
        "</Owner>" +
        element("StorageClass", "STANDARD") +
        "</Contents>",
    )
    .join("");
  const prefixes = result.commonPrefixes.map((p) => `<CommonPrefixes>${element("Prefix", p)}</CommonPrefixes>`).join("");
  return (
    DECLARATION +
    "<ListBucketResult>" +
    element("Name", result.bucket) +
    element("Prefix", result.prefix) +
    element("Marker", result.marker) +
    element("MaxKeys", result.maxKeys) +
    (result.delimiter !== undefined ? element("Delimiter", result.delimiter) : "") +
    element("IsTruncated", result.isTruncated) +
    (result.nextMarker !== undefined ? element("NextMarker", result.nextMarker) : "") +
    contents +
    prefixes +
    "</ListBucketResult>"
  );
}

/** The GET Bucket versioning answer: no Status at all for a bucket that never had versioning. */
export function versioningXml(status: "Enabled" | "Suspended" | undefined): string {
  return DECLARATION + "<VersioningConfiguration>" + (status !== undefined ? element("Status", status) : "") + "</VersioningConfiguration>";
}

/** One lifecycle rule as the test server keeps it: expire objects under `prefix` after `days`. */
export interface LifecycleRule {
  id: string;
  prefix: string;
  days: number;
  enabled?: boolean;
}

/** The GET Bucket lifecycle answer (436/8278's shape: Rule, Filter/Prefix, Status, Expiration/Days). */
export function lifecycleXml(rules: readonly LifecycleRule[]): string {
  return (
    DECLARATION +
    "<LifecycleConfiguration>" +
    rules
      .map(
        (rule) =>
          "<Rule>" +
          element("ID", rule.id) +
          `<Filter>${element("Prefix", rule.prefix)}</Filter>` +
          element("Status", rule.enabled === false ? "Disabled" : "Enabled") +
          `<Expiration>${element("Days", rule.days)}</Expiration>` +
          "</Rule>",
      )
      .join("") +
    "</LifecycleConfiguration>"
  );
}
