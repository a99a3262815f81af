import defaultFixture from "../../../../local/ess-emulator/fixtures/default.json";

/**
 * Fixtures for tests: the shipped default plus identities the rules need (another organization
 * with its own seal, an unverified employee, an application without auto-sign, a tiny quota).
 */

export const ESS_OPERATOR = "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K";
export const ESS_GROUP_OPERATOR = "yDRCLUUgygq2xun5UuO4zjEwg0vjoimj";
export const ESS_ORG = "yDRSRUUgygj6qnwfUuO4zjEwc193c2hH";
export const ESS_SEAL = "yDxMjUyKQDN7EkUuO4zjEBpGXvHEACSA";
export const ESS_GROUP_SEAL = "yDRSRUUgygj6qnwfUuO4zjEwGroupSe1";
export const ESS_FILES = ["yDwgAUUckp1tbkbgUukJIiCyj7014en1", "yDwgAUUckp1tbkbgUukJIiCyj7014en2", "yDwgAUUckp1tbkbgUukJIiCyj7014en3"];
export const APP_ID = "394fc83e7a1cc97ba27c3342f425c836";
export const ESSBASIC_FILE = "yDR1nUU06b46rUy0fKyKocxqVM6QwE88";
export const ESSBASIC_SEAL = "yDR1kUU0zproxUy0fKyKg4XBzdcXcTBg";
export const OTHER_ORG_SEAL = "yDOtherOrgSeal0000000000000000001";
export const UNVERIFIED_OPERATOR = "yDUnverifiedEmployee000000000001";
export const NO_AUTOSIGN_APP = "00000000000000000000000000noauto";

export function extendedFixture(): any {
  const f = structuredClone(defaultFixture) as any;
  f.ess.organizations[0].employees.push({ userId: UNVERIFIED_OPERATOR, name: "未实名", mobile: "13900000009", verified: false });
  f.essbasic.applications[0].organizations.push({
    organizationOpenId: "other_org",
    name: "其他子客企业",
    quota: 1000,
    employees: [{ openId: "olga", name: "奥尔加", mobile: "13800000009", verified: false }],
    seals: [{ sealId: OTHER_ORG_SEAL }],
  });
  f.essbasic.applications.push({
    appId: NO_AUTOSIGN_APP,
    autoSignEnabled: false,
    organizations: [
      {
        organizationOpenId: "zk_online_org",
        name: "无授权签",
        employees: [{ openId: "kevin", name: "凯文", mobile: "13800000001" }],
        seals: [],
      },
    ],
    files: [{ fileId: ESSBASIC_FILE.replace("yDR1", "yDR2") }],
  });
  return f;
}

/** The default fixture with every quota set to `quota`. */
export function quotaFixture(quota: number): any {
  const f = structuredClone(defaultFixture) as any;
  for (const org of f.ess.organizations) org.quota = quota;
  for (const app of f.essbasic.applications) for (const org of app.organizations) org.quota = quota;
  return f;
}
