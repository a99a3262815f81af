import { ApiError } from "./api-error";
import type { KnownFields } from "./known-fields";
import { isObject } from "./read";

/**
 * The API 3.0 gateway refuses parameters an action does not define (`UnknownParameter`): a typo
 * such as `FlowGroupInfo` for `FlowGroupInfos` fails loudly instead of being ignored. Walks the
 * body against the structure table and throws on the first unknown field.
 */
export function assertKnownParameters(body: unknown, structName: string, fields: KnownFields, path = ""): void {
  const struct = fields[structName];
  if (struct === undefined || !isObject(body)) return;
  for (const key in body) {
    const nested = struct[key];
    if (nested === undefined || !Object.hasOwn(struct, key))
      throw new ApiError("UnknownParameter", `The parameter \`${path === "" ? key : `${path}.${key}`}\` is not recognized.`);
    if (nested === null) continue;
    const value = body[key];
    const fieldPath = path === "" ? key : `${path}.${key}`;
    if (Array.isArray(value)) value.forEach((item, i) => assertKnownParameters(item, nested, fields, `${fieldPath}[${i}]`));
    else assertKnownParameters(value, nested, fields, fieldPath);
  }
}
