/**
 * Stand-in, in the deployed bundles only, for `mime-types`, which the COS SDK loads at start and
 * which carries mime-db (a 134 KB JSON of every registered type).
 *
 * The COS SDK calls only `lookup`, and only for a body that is a file read stream (one with `path`
 * and `mode`) sent without a Content-Type, to pick that header. The COS adapter of this kit sends
 * strings and in-memory streams, always with a Content-Type, so the call is never reached. Should it
 * be, this answers like mime-types for the common extensions below (values copied from mime-types
 * 2.1) and `false` for the rest, which makes the SDK fall back to `application/octet-stream`.
 */
import path from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  json: "application/json",
  txt: "text/plain",
  text: "text/plain",
  csv: "text/csv",
  md: "text/markdown",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "application/javascript",
  xml: "application/xml",
  yaml: "text/yaml",
  yml: "text/yaml",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
  bin: "application/octet-stream",
};

/** mime-types' `lookup`: the type of a path's extension, or `false`. */
export function lookup(file: unknown): string | false {
  if (!file || typeof file !== "string") return false;
  // Same extraction as mime-types: "ext", ".ext" and full paths all work.
  const extension = path.extname(`x.${file}`).toLowerCase().slice(1);
  if (!extension) return false;
  return Object.hasOwn(TYPES, extension) ? TYPES[extension]! : false;
}
