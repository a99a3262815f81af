import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Issue } from "../../../shared/errors/app-error";
import type { Edition } from "../../../shared/ess/edition";
import { validateEssbasicCreateFlowGroup, validateEssCreateFlowGroup, type ValidationOutcome } from "../../../shared/validation";

/**
 * Test bodies and accessors. Bodies are plain JSON (`any` on purpose: the tests build invalid
 * requests that no static type would allow).
 */

export type Body = any;

const SEED_DIR = fileURLToPath(new URL("../../fixtures/seed", import.meta.url));

export const SEED_NAMES = readdirSync(SEED_DIR)
  .filter((f) => f.endsWith(".request.json"))
  .map((f) => f.replace(/\.request\.json$/, ""))
  .sort();

export function seed(name: string): Body {
  return JSON.parse(readFileSync(join(SEED_DIR, `${name}.request.json`), "utf8"));
}

export const editionOf = (seedName: string): Edition => (seedName.startsWith("essbasic") ? "essbasic" : "ess");

/** The clock of every test: before the examples' deadlines (they use 0, i.e. "not set"). */
export const NOW = new Date("2024-01-01T00:00:00Z");
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export function validate(edition: Edition, body: unknown, now: Date = NOW): ValidationOutcome<unknown> {
  return edition === "ess" ? validateEssCreateFlowGroup(body, { now }) : validateEssbasicCreateFlowGroup(body, { now });
}

export const show = (i: Issue) => `${i.Code} @ ${i.Path}`;
export const errorsOf = (o: ValidationOutcome<unknown>): Issue[] => (o.ok ? [] : o.issues);

/** A component positioned by coordinates, valid in both editions. */
export function component(type: string, more: Record<string, unknown> = {}): Body {
  return {
    ComponentType: type,
    FileIndex: 0,
    ComponentPage: 1,
    ComponentPosX: 100,
    ComponentPosY: 300,
    ComponentWidth: 100,
    ComponentHeight: 40,
    ...more,
  };
}

type Who = "auto" | "enterprise" | "person";

/** One edition's base body and where things sit in it, so a rule row can be written once. */
export interface Fixture {
  edition: Edition;
  base(): Body;
  flows: "FlowGroupInfos" | "FlowFileInfos";
  approvers: "Approvers" | "FlowApprovers";
  name: "ApproverName" | "Name";
  mobile: "ApproverMobile" | "Mobile";
  idType: "ApproverIdCardType" | "IdCardType";
  idNumber: "ApproverIdCardNumber" | "IdCardNumber";
  /** ApproverType values by role. */
  types: { auto: unknown; enterprise: unknown; person: unknown; personAuto: unknown };
  /** [flow, approver] of an enterprise auto-sign, an enterprise and a person approver in `base()`. */
  at: Record<Who, readonly [number, number]>;
}

/** ess-example-1: flow 0 = auto-sign (3) + enterprise; flow 1 = two enterprises; flow 2 = enterprise + person ("1"). */
export const ess: Fixture = {
  edition: "ess",
  base: () => seed("ess-example-1"),
  flows: "FlowGroupInfos",
  approvers: "Approvers",
  name: "ApproverName",
  mobile: "ApproverMobile",
  idType: "ApproverIdCardType",
  idNumber: "ApproverIdCardNumber",
  types: { auto: 3, enterprise: 0, person: 1, personAuto: 7 },
  at: { auto: [0, 0], enterprise: [1, 0], person: [2, 1] },
};

/** essbasic-example-1 with flow 1's first approver turned into an ORGANIZATION approver. */
export const essbasic: Fixture = {
  edition: "essbasic",
  base: () => {
    const b = seed("essbasic-example-1");
    b.FlowFileInfos[1].FlowApprovers[0] = {
      ApproverType: "ORGANIZATION",
      OrganizationName: "李四示例企业",
      OrganizationOpenId: "orgLisi",
      OpenId: "lisi01",
      SignComponents: [component("SIGN_SEAL", { ComponentRequired: true })],
    };
    return b;
  },
  flows: "FlowFileInfos",
  approvers: "FlowApprovers",
  name: "Name",
  mobile: "Mobile",
  idType: "IdCardType",
  idNumber: "IdCardNumber",
  types: { auto: "ENTERPRISESERVER", enterprise: "ORGANIZATION", person: "PERSON", personAuto: "PERSON_AUTO_SIGN" },
  at: { auto: [0, 0], enterprise: [1, 0], person: [2, 1] },
};

export const FIXTURES: readonly Fixture[] = [ess, essbasic];

export const flowPath = (fx: Fixture, i: number) => `${fx.flows}[${i}]`;
export const approverPath = (fx: Fixture, who: Who) => `${fx.flows}[${fx.at[who][0]}].${fx.approvers}[${fx.at[who][1]}]`;
export const flowOf = (fx: Fixture, b: Body, i: number): Body => b[fx.flows][i];
export const approverOf = (fx: Fixture, b: Body, who: Who): Body => b[fx.flows][fx.at[who][0]][fx.approvers][fx.at[who][1]];

/** Every personal value (names, mobiles, ID numbers) found in the seed examples. */
export function seedPersonalData(): string[] {
  const out = new Set<string>();
  const keys = new Set(["ApproverName", "Name", "ApproverMobile", "Mobile", "ApproverIdCardNumber", "IdCardNumber"]);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (keys.has(k) && typeof item === "string" && item !== "") out.add(item);
        walk(item);
      }
    }
  };
  SEED_NAMES.forEach((n) => walk(seed(n)));
  return [...out];
}
