import type { ApproverRole } from "../core/model";
import { ApiError, invalid, missing } from "../protocol/api-error";
import { readArray, readInteger, readNumber, readObject, readString } from "../protocol/read";

/**
 * Checks of an approver's `SignComponents` on a file-based flow, shared by both editions (each
 * passes its own error codes): positions must fall on a page the uploaded PDF has. Returns the
 * seal ids given to seal components.
 */

export interface ComponentCodes {
  missing: string;
  type: string;
  fileIndex: string;
  page: string;
  position: string;
  /** A person given a company seal component. */
  personSeal: string;
  /** An auto-signer given a handwritten signature component. */
  autoSignHandwritten: string;
}

const SIGN_COMPONENT_TYPES = new Set([
  "SIGN_SEAL",
  "SIGN_SIGNATURE",
  "SIGN_DATE",
  "SIGN_PAGING_SEAL",
  "SIGN_PAGING_SIGNATURE",
  "SIGN_LEGAL_PERSON_SEAL",
  "SIGN_PERSONAL_SEAL",
  "SIGN_OPINION",
  "SIGN_VIRTUAL_COMBINATION",
]);
const SEAL_TYPES = new Set(["SIGN_SEAL", "SIGN_PAGING_SEAL", "SIGN_LEGAL_PERSON_SEAL"]);
const HANDWRITTEN_TYPES = new Set(["SIGN_SIGNATURE", "SIGN_PAGING_SIGNATURE"]);

/** What the checks learned from the components. */
export interface SignComponentSummary {
  /** ComponentValue of each seal component, "" where none was given. */
  sealValues: string[];
}

/** Checks `value` (an approver's SignComponents at `path`) and returns its seal values. */
export function checkSignComponents(
  value: unknown,
  path: string,
  filePages: ReadonlyArray<number | undefined>,
  role: ApproverRole,
  codes: ComponentCodes,
): SignComponentSummary {
  const fileCount = filePages.length;
  const list = readArray(value, path);
  if (!list || list.length === 0) throw missing(path, codes.missing);
  const sealValues: string[] = [];
  list.forEach((raw, i) => {
    const p = `${path}[${i}]`;
    const c = readObject(raw, p);
    if (!c) throw missing(p, codes.missing);
    const type = readString(c.ComponentType, `${p}.ComponentType`, { required: true, missingCode: codes.type })!;
    if (!SIGN_COMPONENT_TYPES.has(type)) throw invalid(`${p}.ComponentType`, "is not a supported sign component type", codes.type);
    if (role === "person" && SEAL_TYPES.has(type))
      throw invalid(`${p}.ComponentType`, "is a company seal component, which a person cannot sign", codes.personSeal);
    if (role === "autoSign" && HANDWRITTEN_TYPES.has(type))
      throw invalid(`${p}.ComponentType`, "needs a handwritten signature, which auto-sign cannot give", codes.autoSignHandwritten);
    const fileIndex = readInteger(c.FileIndex, `${p}.FileIndex`, codes.fileIndex) ?? 0;
    if (fileIndex < 0 || fileIndex >= fileCount)
      throw invalid(`${p}.FileIndex`, "does not point at one of the flow's files", codes.fileIndex);
    const mode = readString(c.GenerateMode, `${p}.GenerateMode`) ?? "NORMAL";
    if (mode === "NORMAL" || mode === "") {
      const page = readInteger(c.ComponentPage, `${p}.ComponentPage`, codes.page);
      if (page === undefined || page < 1) throw invalid(`${p}.ComponentPage`, "must be a page number from 1", codes.page);
      const pages = filePages[fileIndex];
      if (pages !== undefined && page > pages)
        throw invalid(`${p}.ComponentPage`, `is past the last page (${pages}) of its file`, codes.page);
      const width = readNumber(c.ComponentWidth, `${p}.ComponentWidth`, codes.position);
      const height = readNumber(c.ComponentHeight, `${p}.ComponentHeight`, codes.position);
      const x = readNumber(c.ComponentPosX, `${p}.ComponentPosX`, codes.position);
      const y = readNumber(c.ComponentPosY, `${p}.ComponentPosY`, codes.position);
      if (width === undefined || height === undefined || width <= 0 || height <= 0)
        throw invalid(`${p}`, "needs a positive ComponentWidth and ComponentHeight", codes.position);
      if (x === undefined || y === undefined || x < 0 || y < 0)
        throw invalid(`${p}`, "needs ComponentPosX and ComponentPosY of 0 or more", codes.position);
    } else if (mode === "KEYWORD" || mode === "FIELD") {
      const anchor = readString(
        mode === "KEYWORD" ? c.ComponentId : c.ComponentName,
        `${p}.${mode === "KEYWORD" ? "ComponentId" : "ComponentName"}`,
      );
      if (!anchor) throw missing(`${p}.${mode === "KEYWORD" ? "ComponentId" : "ComponentName"}`, codes.position);
    } else {
      throw new ApiError(codes.position, `Parameter \`${p}.GenerateMode\` must be NORMAL, KEYWORD or FIELD.`);
    }
    if (SEAL_TYPES.has(type)) sealValues.push(readString(c.ComponentValue, `${p}.ComponentValue`) ?? "");
    else readString(c.ComponentValue, `${p}.ComponentValue`);
  });
  return { sealValues };
}
