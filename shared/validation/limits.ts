import type { Edition } from "../ess/edition";

/**
 * The largest create-group body each edition accepts, in bytes, set from the largest valid request
 * (`bench/validate/maximal-requests.ts`, `largest*Request`; measured by
 * `test/shared/validation/limits.test.ts`): 50 flows × each edition's most approvers, every
 * documented string limit reached in Chinese (3 bytes a character), two sign components and one
 * fill component per approver.
 * - essbasic: the largest valid body is 2.04 MB (50 × 5 approvers); the limit leaves 25 % on top.
 * - ess: the largest valid body is 9.27 MB (50 × 50 approvers, 500-character sign instructions,
 *   20,480-character UserData per flow), more than an SCF function URL carries (6 MB); the limit
 *   is that ceiling. A 50 × 10 ess group with ordinary content is about 0.47 MB.
 * ESS puts no count on components; these limits are what bounds them.
 */
export const MAX_CREATE_BODY_BYTES: Readonly<Record<Edition, number>> = {
  ess: 6 * 1024 * 1024,
  essbasic: Math.round(2.5 * 1024 * 1024),
};
