/**
 * Regenerates `protocol/known-fields.ts` from the SDK's model declarations, so the emulator's
 * UnknownParameter check follows the SDK when it is upgraded:
 *
 *   npx tsx local/ess-emulator/tools/gen-known-fields.ts
 *
 * Only field names and which fields hold nested structures are taken: that is the wire format.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

type Struct = Record<string, string | null>;

const require = createRequire(join(process.cwd(), "package.json"));
const sdkRoot = dirname(require.resolve("tencentcloud-sdk-nodejs/package.json"));

function readModels(relative: string): Record<string, Record<string, string>> {
  const source = readFileSync(join(sdkRoot, "tencentcloud/services", relative), "utf8");
  const models: Record<string, Record<string, string>> = {};
  for (const match of source.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
    const fields: Record<string, string> = {};
    for (const field of match[2]!.matchAll(/\n {4}(\w+)\??: ([^;]+);/g)) {
      const type = field[2]!.trim();
      fields[field[1]!] = type.match(/^Array<(\w+)>$/)?.[1] ?? type;
    }
    models[match[1]!] = fields;
  }
  return models;
}

/** The structures reachable from `roots`, each field marked with its nested structure or null. */
function reachable(models: Record<string, Record<string, string>>, roots: string[]): Record<string, Struct> {
  const out: Record<string, Struct> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (out[name] || !models[name]) continue;
    const struct: Struct = {};
    for (const [field, type] of Object.entries(models[name]!)) {
      const nested = models[type] ? type : null;
      struct[field] = nested;
      if (nested) queue.push(nested);
    }
    out[name] = struct;
  }
  return out;
}

const ess = reachable(readModels("ess/v20201111/ess_models.d.ts"), [
  "UploadFilesRequest",
  "CreateFlowGroupByFilesRequest",
  "DescribeFlowInfoRequest",
  "CreateFlowSignUrlRequest",
  "CreateBatchSignUrlRequest",
  "CancelFlowRequest",
  "CreateBatchQuickSignUrlRequest",
  "CreateSchemeUrlRequest",
  "CreateFlowRemindsRequest",
  "CreateFlowGroupRemindsRequest",
  "DescribeFileUrlsRequest",
]);
const essbasic = reachable(readModels("essbasic/v20210526/essbasic_models.d.ts"), [
  "UploadFilesRequest",
  "ChannelCreateFlowGroupByFilesRequest",
  "DescribeFlowDetailInfoRequest",
  "ChannelCreateFlowSignUrlRequest",
  "CreateSignUrlsRequest",
  "ChannelCancelFlowRequest",
  "ChannelCreateBatchQuickSignUrlRequest",
  "ChannelBatchCancelFlowsRequest",
  "ChannelCreateFlowRemindsRequest",
  "DescribeResourceUrlsByFlowsRequest",
]);

const header = `/**
 * Field names of the request structures the emulator serves, per edition, generated from the SDK
 * models by \`tools/gen-known-fields.ts\` (do not edit by hand). A value names the nested structure
 * a field holds (objects or arrays of objects), or is null for plain values.
 */
export type KnownFields = Record<string, Record<string, string | null>>;
`;
const body = `${header}
export const ESS_FIELDS: KnownFields = ${JSON.stringify(ess, null, 2)};

export const ESSBASIC_FIELDS: KnownFields = ${JSON.stringify(essbasic, null, 2)};
`;
const target = join(dirname(new URL(import.meta.url).pathname), "../protocol/known-fields.ts");
writeFileSync(target, body);
console.log(`wrote ${target}: ${Object.keys(ess).length} ess and ${Object.keys(essbasic).length} essbasic structures`);
