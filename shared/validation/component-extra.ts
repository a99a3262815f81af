import { type Findings, join } from "./issues";
import { filled, isObj, type Obj } from "./read";

/**
 * ComponentExtra (控件的扩展参数): a JSON object inside a string, whose documented parameters depend
 * on the component's type. Parsed once per distinct string.
 */

/** (SIGN_)VIRTUAL_COMBINATION: a container of at most 4 child components. */
export const COMBINATION_TYPES = new Set(["SIGN_VIRTUAL_COMBINATION", "VIRTUAL_COMBINATION"]);

/**
 * Parsed ComponentExtra strings: read-only, and requests repeat the same few layouts. The cache is
 * process-wide, so it is bounded by size, not by entries: only strings of at most
 * `EXTRA_CACHE_MAX_ENTRY_CHARS` are kept (real layouts are tens of characters), and the oldest go
 * once the kept strings exceed `EXTRA_CACHE_MAX_BYTES` (estimated as 4 bytes per character: the
 * string and its parsed object). A 2 MB ComponentExtra is parsed, checked and dropped.
 */
const extraCache = new Map<string, Obj | null>();
export const EXTRA_CACHE_MAX_ENTRY_CHARS = 2_048;
export const EXTRA_CACHE_MAX_BYTES = 1024 * 1024;
const BYTES_PER_CHAR = 4;
let extraCacheBytes = 0;

/** What the cache holds now (for tests and diagnostics). */
export function componentExtraCacheSize(): { entries: number; bytes: number } {
  return { entries: extraCache.size, bytes: extraCacheBytes };
}

function remember(raw: string, parsed: Obj | null): void {
  if (raw.length > EXTRA_CACHE_MAX_ENTRY_CHARS) return;
  extraCache.set(raw, parsed);
  extraCacheBytes += raw.length * BYTES_PER_CHAR;
  for (const oldest of extraCache.keys()) {
    if (extraCacheBytes <= EXTRA_CACHE_MAX_BYTES) break;
    extraCache.delete(oldest);
    extraCacheBytes -= oldest.length * BYTES_PER_CHAR;
  }
}

/** The parsed ComponentExtra of the component at `componentPath`, or undefined after reporting it. */
export function parseExtra(f: Findings, raw: string, componentPath: string): Obj | undefined {
  let parsed = extraCache.get(raw);
  if (parsed === undefined) {
    parsed = parseObject(raw);
    remember(raw, parsed);
  }
  if (parsed !== null) return parsed;
  f.report(
    "component-extra.json",
    join(componentPath, "ComponentExtra"),
    "must be a JSON object encoded as a string (控件的扩展参数，为JSON格式)",
  );
  return undefined;
}

function parseObject(raw: string): Obj | null {
  try {
    const value: unknown = JSON.parse(raw);
    return isObj(value) ? value : null;
  } catch {
    return null;
  }
}

const FONTS = new Set(["黑体", "宋体", "仿宋"]);
const FONT_ALIGNS = new Set(["Left", "Right", "Center"]);
const SEAL_OPACITY_TYPES = new Set(["SIGN_SIGNATURE", "SIGN_SEAL", "SIGN_PAGING_SEAL", "SIGN_LEGAL_PERSON_SEAL"]);
const SIGNATURE_LIMITS = ["HANDWRITE", "HANDWRITTEN_ESIGN", "OCR_ESIGN", "ESIGN", "SYSTEM_ESIGN", "IMG_ESIGN"];
const SEAL_LIMITS = ["OFFICIAL", "CONTRACT", "FINANCE", "PERSONNEL", "OTHER"];
const TYPE_LIMITS = new Map<string, readonly string[]>([
  ["SIGN_SIGNATURE", SIGNATURE_LIMITS],
  ["SIGN_PAGING_SIGNATURE", SIGNATURE_LIMITS],
  ["SIGN_SEAL", SEAL_LIMITS],
  ["SIGN_PAGING_SEAL", SEAL_LIMITS],
]);
const ROTATE_TYPES = new Set(["SIGN_SIGNATURE", "SIGN_DATE", "SIGN_SEAL"]);
const DATE_FORMATS = new Set([
  "yyyy m d",
  "yyyy年m月d日",
  "yyyy/m/d",
  "yyyy-m-d",
  "yyyy.m.d",
  "yyyy m d HH:MM:SS",
  "yyyy/m/d HH:MM:SS",
  "yyyy-m-d HH:MM:SS",
  "yyyy.m.d HH:MM:SS",
]);
const WATERMARK_POSITIONS = new Set(["None", "LeftTop", "LeftBottom", "RightTop", "RightBottom", "Center"]);
const WATERMARK_SUBTYPES = new Set(["CUSTOM_WATERMARK", "PERSON_INFO_WATERMARK"]);

const inRange = (v: unknown, min: number, max: number) => typeof v === "number" && v >= min && v <= max;

/** Checks the documented parameters of a parsed ComponentExtra against the component `type`. */
export function checkExtra(f: Findings, extra: Obj, path: string, type: string): void {
  if (extra["FontSize"] !== undefined && !inRange(extra["FontSize"], 6, 72)) {
    f.report("component-extra.font-size", join(path, "ComponentExtra"), "FontSize must be a number from 6 to 72");
  }
  if (extra["Font"] !== undefined && !FONTS.has(extra["Font"] as string)) {
    f.report("component-extra.font", join(path, "ComponentExtra"), "Font must be one of: 黑体, 宋体, 仿宋");
  }
  if (extra["FontAlign"] !== undefined && !FONT_ALIGNS.has(extra["FontAlign"] as string)) {
    f.report("component-extra.font-align", join(path, "ComponentExtra"), "FontAlign must be one of: Left, Right, Center");
  }
  checkOpacity(f, extra, path, type);
  checkTypeLimit(f, extra, path, type);
  if (COMBINATION_TYPES.has(type)) {
    for (const key of ["Children", "ChildrenComponents"]) {
      const list = extra[key];
      if (Array.isArray(list) && list.length > 4) {
        f.report(
          "component-extra.children-max",
          join(path, "ComponentExtra"),
          `${key} can hold at most 4 components (最多组合4个特定控件)`,
        );
      }
    }
  }
  if (type === "WATERMARK") checkWatermark(f, extra, path);
  if (f.edition === "essbasic" && ROTATE_TYPES.has(type) && extra["Rotate"] !== undefined && !inRange(extra["Rotate"], -360, 360)) {
    f.report("component-extra.rotate", join(path, "ComponentExtra"), "Rotate must be a number from -360 to 360");
  }
  if (type === "SIGN_DATE" && filled(extra["Format"]) && !DATE_FORMATS.has(extra["Format"])) {
    f.report(
      "component-extra.date-format",
      join(path, "ComponentExtra"),
      "Format is not one of the documented date formats; ESS then ignores the whole ComponentExtra",
    );
  }
}

function checkOpacity(f: Findings, extra: Obj, path: string, type: string): void {
  const opacity = extra["Opacity"];
  if (opacity === undefined) return;
  if (SEAL_OPACITY_TYPES.has(type) && !inRange(opacity, 0.6, 1)) {
    f.report("component-extra.opacity", join(path, "ComponentExtra"), "Opacity must be a number from 0.6 to 1 for a seal or signature");
  } else if (type === "WATERMARK" && !inRange(opacity, 0, 1)) {
    f.report("component-extra.opacity", join(path, "ComponentExtra"), "Opacity must be a number from 0 to 1 for a WATERMARK");
  }
}

function checkTypeLimit(f: Findings, extra: Obj, path: string, type: string): void {
  const allowed = TYPE_LIMITS.get(type);
  const limit = extra["ComponentTypeLimit"];
  if (!allowed || limit === undefined) return;
  if (!Array.isArray(limit) || limit.some((v) => !allowed.includes(v as string))) {
    f.report("component-extra.type-limit", join(path, "ComponentExtra"), `ComponentTypeLimit must be a list of: ${allowed.join(", ")}`);
  }
}

function checkWatermark(f: Findings, extra: Obj, path: string): void {
  const bad: string[] = [];
  if (extra["Rotate"] !== undefined && !inRange(extra["Rotate"], 0, 359)) bad.push("Rotate (0 to 359)");
  if (extra["Density"] !== undefined && ![1, 2, 3].includes(extra["Density"] as number)) bad.push("Density (1, 2 or 3)");
  if (extra["Position"] !== undefined && !WATERMARK_POSITIONS.has(extra["Position"] as string)) {
    bad.push("Position (None, LeftTop, LeftBottom, RightTop, RightBottom, Center)");
  }
  if (extra["SubType"] !== undefined && !WATERMARK_SUBTYPES.has(extra["SubType"] as string)) {
    bad.push("SubType (CUSTOM_WATERMARK, PERSON_INFO_WATERMARK)");
  }
  if (bad.length > 0)
    f.report("component-extra.watermark", join(path, "ComponentExtra"), `WATERMARK parameters out of range: ${bad.join("; ")}`);
}
