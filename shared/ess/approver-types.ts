/**
 * One `ApproverType` vocabulary for both editions. The platform edition (essbasic) already names
 * the kinds with words; the enterprise edition (ess) numbers the same kinds. This kit answers with
 * essbasic's words everywhere and keeps ESS's raw value beside them (`EssApproverType`).
 *
 * | kind | ess | essbasic |
 * | --- | --- | --- |
 * | an employee signs for an organization | 0 | ORGANIZATION |
 * | a person signs | 1 | PERSON |
 * | an organization signs automatically with its seal (授权签) | 3 | ENTERPRISESERVER |
 * | a person signs automatically (个人授权签) | 7 | PERSON_AUTO_SIGN |
 */
export type ApproverKind = "ORGANIZATION" | "PERSON" | "ENTERPRISESERVER" | "PERSON_AUTO_SIGN";

const KINDS: Readonly<Record<string, ApproverKind>> = {
  "0": "ORGANIZATION",
  "1": "PERSON",
  "3": "ENTERPRISESERVER",
  "7": "PERSON_AUTO_SIGN",
  ORGANIZATION: "ORGANIZATION",
  PERSON: "PERSON",
  ENTERPRISESERVER: "ENTERPRISESERVER",
  PERSON_AUTO_SIGN: "PERSON_AUTO_SIGN",
};

/** The kind of an `ApproverType` of either edition (number, numeric text or word); undefined when unknown. */
export function approverKind(raw: unknown): ApproverKind | undefined {
  if (typeof raw !== "string" && typeof raw !== "number") return undefined;
  const key = String(raw).trim().toUpperCase();
  return Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
}

/** Approvers of these kinds sign without a person: they never get a sign link. */
export function signsAutomatically(kind: ApproverKind | undefined): boolean {
  return kind === "ENTERPRISESERVER" || kind === "PERSON_AUTO_SIGN";
}
