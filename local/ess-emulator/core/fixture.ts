import { readFileSync } from "node:fs";
import { z } from "zod";
import defaultFixtureJson from "../fixtures/default.json";
import type { Edition } from "./model";

/**
 * The world the emulator starts with: API keys, organizations, employees, seals, quotas and
 * pre-uploaded files of both editions. Loaded from JSON; `fixtures/default.json` covers every
 * identity used by the ESS documentation examples.
 */

const employeeEss = z.object({
  userId: z.string().min(1),
  name: z.string().min(1),
  mobile: z.string().min(1),
  /** Unverified operators are refused, as ESS refuses employees without real-name verification. */
  verified: z.boolean().default(true),
});

const seal = z.object({ sealId: z.string().min(1), name: z.string().default(""), type: z.string().default("OFFICIAL") });

const file = z.object({ fileId: z.string().min(1), fileName: z.string().default("contract.pdf") });

/** null or absent = unlimited. */
const quota = z.number().int().nonnegative().nullable().default(null);

const essOrganization = z.object({
  organizationId: z.string().min(1),
  name: z.string().min(1),
  quota,
  subOrganizationIds: z.array(z.string()).default([]),
  employees: z.array(employeeEss).default([]),
  seals: z.array(seal).default([]),
});

const employeeEssbasic = z.object({
  openId: z.string().min(1),
  name: z.string().min(1),
  mobile: z.string().min(1),
  verified: z.boolean().default(true),
});

const essbasicOrganization = z.object({
  organizationOpenId: z.string().min(1),
  name: z.string().min(1),
  quota,
  employees: z.array(employeeEssbasic).default([]),
  seals: z.array(seal).default([]),
});

const application = z.object({
  appId: z.string().min(1),
  name: z.string().default(""),
  /** File-based auto-sign (ENTERPRISESERVER) is a whitelist feature of the channel edition. */
  autoSignEnabled: z.boolean().default(true),
  organizations: z.array(essbasicOrganization).default([]),
  files: z.array(file).default([]),
});

/** The fixture format (zod), with defaults for every optional part. */
export const fixtureSchema = z.object({
  apiKeys: z.array(z.object({ secretId: z.string().min(1), secretKey: z.string().min(1), token: z.string().optional() })).default([]),
  ess: z
    .object({ organizations: z.array(essOrganization).default([]), files: z.array(file).default([]) })
    .default({ organizations: [], files: [] }),
  essbasic: z.object({ applications: z.array(application).default([]) }).default({ applications: [] }),
});

/** A parsed fixture. */
export type Fixture = z.output<typeof fixtureSchema>;
/** A parsed fixture. */
export type FixtureInput = z.input<typeof fixtureSchema>;
/** Fixture record types. */
export type EssOrganization = z.output<typeof essOrganization>;
export type EssEmployee = z.output<typeof employeeEss>;
export type EssbasicApplication = z.output<typeof application>;
export type EssbasicOrganization = z.output<typeof essbasicOrganization>;
export type EssbasicEmployee = z.output<typeof employeeEssbasic>;

/** A fixture that cannot be read or does not match the format. */
export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixtureError";
  }
}

/** The fixture shipped with the emulator (every identity of the ESS documentation examples). */
export function defaultFixture(): Fixture {
  return parseFixture(defaultFixtureJson, "fixtures/default.json");
}

/** Parses a fixture object; the error names the offending path. */
export function parseFixture(input: unknown, source = "fixture"): Fixture {
  const result = fixtureSchema.safeParse(input);
  if (!result.success) throw new FixtureError(`${source} is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Reads and parses a fixture file. */
export function loadFixture(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new FixtureError(`cannot read fixture ${path}: ${(cause as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FixtureError(`fixture ${path} is not JSON: ${(cause as Error).message}`);
  }
  return parseFixture(json, path);
}

/** Which edition and organization a seal belongs to. */
export interface SealOwner {
  edition: Edition;
  /** Owner key (see `Owner.key`). */
  ownerKey: string;
}

/** Read-only indexes over a fixture. */
export class Directory {
  readonly essOrganizations = new Map<string, EssOrganization>();
  /** UserId → employee and organization. */
  readonly essEmployees = new Map<string, { employee: EssEmployee; organization: EssOrganization }>();
  readonly applications = new Map<string, EssbasicApplication>();
  /** `<AppId>:<OrganizationOpenId>` → organization. */
  readonly essbasicOrganizations = new Map<string, EssbasicOrganization>();
  readonly seals = new Map<string, SealOwner>();
  readonly quotas = new Map<string, number | null>();

  constructor(readonly fixture: Fixture) {
    for (const org of fixture.ess.organizations) {
      this.essOrganizations.set(org.organizationId, org);
      this.quotas.set(essOwnerKey(org.organizationId), org.quota);
      for (const employee of org.employees) this.essEmployees.set(employee.userId, { employee, organization: org });
      for (const s of org.seals) this.seals.set(s.sealId, { edition: "ess", ownerKey: essOwnerKey(org.organizationId) });
    }
    for (const app of fixture.essbasic.applications) {
      this.applications.set(app.appId, app);
      for (const org of app.organizations) {
        const key = essbasicOwnerKey(app.appId, org.organizationOpenId);
        this.essbasicOrganizations.set(`${app.appId}:${org.organizationOpenId}`, org);
        this.quotas.set(key, org.quota);
        for (const s of org.seals) this.seals.set(s.sealId, { edition: "essbasic", ownerKey: key });
      }
    }
  }

  essbasicOrganization(appId: string, organizationOpenId: string): EssbasicOrganization | undefined {
    return this.essbasicOrganizations.get(`${appId}:${organizationOpenId}`);
  }

  essbasicEmployee(appId: string, organizationOpenId: string, openId: string): EssbasicEmployee | undefined {
    return this.essbasicOrganization(appId, organizationOpenId)?.employees.find((e) => e.openId === openId);
  }
}

/** Owner key of an ess organization. */
export function essOwnerKey(organizationId: string): string {
  return `ess:${organizationId}`;
}

/** Owner key of an essbasic organization of an application. */
export function essbasicOwnerKey(appId: string, organizationOpenId: string): string {
  return `essbasic:${appId}:${organizationOpenId}`;
}
