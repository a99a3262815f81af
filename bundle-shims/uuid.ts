/**
 * Stand-in, in the deployed bundles only, for `uuid`, which the Tencent Cloud SDK loads to make a
 * trace id per request with `v4()` and nothing else. uuid's own `v4()` without arguments returns
 * `crypto.randomUUID()` on Node (see its dist/cjs/v4.js), so this is the same call without the
 * library's other generators. Any other use is refused rather than imitated.
 */
import { randomUUID } from "node:crypto";

export function v4(...args: unknown[]): string {
  if (args.some((arg) => arg !== undefined)) throw new Error("uuid.v4 with options or a buffer is not supported in this bundle");
  return randomUUID();
}
