import { describe, expect, it } from "vitest";
import type { Edition } from "../../../shared/ess/edition";
import { type Body, component, errorsOf, ess, essbasic, FIXTURES, NOW, NOW_S, seedPersonalData, show, validate } from "./fixtures";
import { RULE_CASES } from "./rule-cases";

describe("all violations at once", () => {
  it("reports every violation of an ess body, across levels and rules, in one answer", () => {
    const b = ess.base();
    b.FlowGroupName = "组".repeat(201);
    b.FlowGroupInfos[0].Unorderd = true;
    b.FlowGroupInfos[0].Approvers[0].SignComponents[0].ComponentValue = "";
    b.FlowGroupInfos[1].Approvers[0].ApproverMobile = "123";
    b.FlowGroupInfos[1].Approvers[1].SignComponents[0].ComponentPage = 0;
    b.FlowGroupInfos[1].CcInfos = [{ Name: "抄送人" }];
    delete b.FlowGroupInfos[2].FileIds;
    b.FlowGroupInfos[2].Deadline = NOW_S - 1;
    const outcome = validate("ess", b);
    expect(errorsOf(outcome).map(show).sort()).toEqual(
      [
        "InvalidParameter.FlowGroupName @ FlowGroupName",
        "UnknownParameter @ FlowGroupInfos[0].Unorderd",
        "MissingParameter.ServerSignSealId @ FlowGroupInfos[0].Approvers[0].SignComponents[0].ComponentValue",
        "InvalidParameter.Mobile @ FlowGroupInfos[1].Approvers[0].ApproverMobile",
        "InvalidParameter.ComponentPage @ FlowGroupInfos[1].Approvers[1].SignComponents[0].ComponentPage",
        "OperationDenied.CcForbid @ FlowGroupInfos[1].CcInfos",
        "MissingParameter.ResourceId @ FlowGroupInfos[2].FileIds",
        "InvalidParameter.FlowDeadLine @ FlowGroupInfos[2].Deadline",
      ].sort(),
    );
  });

  it("reports a count rule even when elements of the same array are invalid too", () => {
    const b = essbasic.base();
    b.FlowFileInfos.splice(1);
    b.FlowFileInfos[0].FlowApprovers[0].Mobile = "not-a-mobile";
    expect(errorsOf(validate("essbasic", b)).map(show).sort()).toEqual([
      "InvalidParameter.FlowFileInfos @ FlowFileInfos",
      "InvalidParameter.NonsupportMobile @ FlowFileInfos[0].FlowApprovers[0].Mobile",
    ]);
  });

  it("does not walk the elements of an array over its count limit: the count is the finding", () => {
    const b = essbasic.base();
    const approvers = b.FlowFileInfos[2].FlowApprovers;
    while (approvers.length < 6) approvers.push({ ...approvers[1], Mobile: `1390000000${approvers.length}` });
    approvers[1].Mobile = "not-a-mobile";
    expect(errorsOf(validate("essbasic", b)).map(show).sort()).toEqual(["InvalidParameter.FlowApprovers @ FlowFileInfos[2].FlowApprovers"]);
  });

  it("returns warnings beside errors when a body has both", () => {
    const b = ess.base();
    b.FlowGroupInfos[0].FlowName = "";
    const outcome = validate("ess", b);
    expect(errorsOf(outcome).map(show)).toEqual(["MissingParameter.FlowName @ FlowGroupInfos[0].FlowName"]);
    expect(outcome.warnings.map(show)).toContain("InvalidParameter.FlowCallbackUrl @ FlowGroupInfos[1].CallbackUrl");
  });
});

describe("unknown fields are rejected by name, with the closest known field", () => {
  const cases: [string, Edition, (b: Body) => void, string, string | undefined][] = [
    [
      "a typo",
      "ess",
      (b) => (b.FlowGroupInfos[0].Approvers[1].ApproverMobil = "13900000001"),
      "FlowGroupInfos[0].Approvers[1].ApproverMobil",
      "ApproverMobile",
    ],
    [
      "the other edition's name",
      "ess",
      (b) => (b.FlowGroupInfos[2].Approvers[1].Mobile = "13900000001"),
      "FlowGroupInfos[2].Approvers[1].Mobile",
      "ApproverMobile",
    ],
    [
      "the other edition's name",
      "essbasic",
      (b) => (b.FlowFileInfos[2].FlowApprovers[1].ApproverName = "某人"),
      "FlowFileInfos[2].FlowApprovers[1].ApproverName",
      "Name",
    ],
    ["the other edition's list", "essbasic", (b) => (b.FlowFileInfos[0].Approvers = []), "FlowFileInfos[0].Approvers", "FlowApprovers"],
    ["the other edition's root list", "essbasic", (b) => (b.FlowGroupInfos = []), "FlowGroupInfos", "FlowFileInfos"],
    ["a transposition", "ess", (b) => (b.FlowGroupInfos[1].FlowNmae = "x"), "FlowGroupInfos[1].FlowNmae", "FlowName"],
    [
      "the wrong case",
      "ess",
      (b) => (b.FlowGroupInfos[1].Approvers[0].SignComponents[0].componentvalue = "x"),
      "FlowGroupInfos[1].Approvers[0].SignComponents[0].componentvalue",
      "ComponentValue",
    ],
    [
      "a nested option",
      "essbasic",
      (b) => (b.FlowFileInfos[0].FlowApprovers[1].ApproverOption = { FilType: 1 }),
      "FlowFileInfos[0].FlowApprovers[1].ApproverOption.FilType",
      "FillType",
    ],
    ["a field nothing resembles", "ess", (b) => (b.Zebra = 1), "Zebra", undefined],
    ["a key inside Agent", "ess", (b) => (b.Agent = { ProxyOrganizationld: "x" }), "Agent.ProxyOrganizationld", "ProxyOrganizationId"],
    [
      "a key inside FlowGroupOptions (ess)",
      "ess",
      (b) => (b.FlowGroupOptions = { OtherApproverNotifyTyp: "sms" }),
      "FlowGroupOptions.OtherApproverNotifyTyp",
      "OtherApproverNotifyType",
    ],
    [
      "a key inside UserFlowType",
      "ess",
      (b) => (b.UserFlowType = { UserFlowTypeID: "x" }),
      "UserFlowType.UserFlowTypeID",
      "UserFlowTypeId",
    ],
    [
      "a key inside FlowGroupOptions (essbasic)",
      "essbasic",
      (b) => (b.FlowGroupOptions = { NoEditFlowNam: true }),
      "FlowGroupOptions.NoEditFlowNam",
      "NoEditFlowName",
    ],
  ];

  it.each(cases)("%s (%s) is named at its exact path", (_, edition, change, path, hint) => {
    const fx = FIXTURES.find((f) => f.edition === edition)!;
    const b = fx.base();
    change(b);
    const errors = errorsOf(validate(edition, b));
    const issue = errors.find((i) => i.Path === path);
    expect(issue?.Code).toBe("UnknownParameter");
    if (hint === undefined) expect(issue?.Message).not.toContain("did you mean");
    else expect(issue?.Message).toContain(`did you mean ${hint}?`);
  });

  it("names keys that collide with Object.prototype as unknown instead of crashing (found by the property test)", () => {
    const b = JSON.parse(
      JSON.stringify(ess.base()).replace('"FlowGroupName"', '"toString":{},"constructor":1,"__proto__":{"x":1},"FlowGroupName"'),
    );
    b.FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentType = "constructor";
    b.FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentExtra = '{"ComponentTypeLimit":["OFFICIAL"]}';
    expect(errorsOf(validate("ess", b)).map(show)).toEqual([
      "UnknownParameter @ toString",
      "UnknownParameter @ constructor",
      "UnknownParameter @ __proto__",
      "InvalidParameter.SignComponentType @ FlowGroupInfos[1].Approvers[0].SignComponents[0].ComponentType",
    ]);
  });

  it("accepts deprecated but documented fields, with a warning instead of an error", () => {
    const b = essbasic.base();
    b.Operator = { OpenId: "kevin" };
    b.FlowFileInfos[0].FlowApprovers[1].CallbackUrl = "";
    const outcome = validate("essbasic", b);
    expect(errorsOf(outcome)).toEqual([]);
    expect(outcome.warnings.map(show)).toEqual([
      "InvalidParameter.Operator @ Operator",
      "InvalidParameter.FlowCallbackUrl @ FlowFileInfos[0].FlowApprovers[1].CallbackUrl",
    ]);
  });
});

describe("issues never carry personal data", () => {
  const personal = seedPersonalData();

  /** Bodies where the offending value itself is personal data. */
  const personalValueCases: [Edition, (b: Body) => void][] = [
    ["ess", (b) => (b.FlowGroupInfos[2].Approvers[1].ApproverMobile = "13200000000x")],
    ["ess", (b) => (b.FlowGroupInfos[2].Approvers[1].ApproverIdCardNumber = "13200000000")],
    ["ess", (b) => (b.FlowGroupInfos[2].Approvers[1].ApproverName = 13200000000)],
    ["ess", (b) => b.FlowGroupInfos[2].Approvers.push(structuredClone(b.FlowGroupInfos[2].Approvers[1]))],
    ["essbasic", (b) => (b.FlowFileInfos[2].FlowApprovers[1].Mobile = "典子谦")],
    ["essbasic", (b) => (b.FlowFileInfos[2].FlowApprovers[1].IdCardNumber = "典子谦13200000000")],
    ["essbasic", (b) => (b.FlowFileInfos[2].FlowApprovers[1].典子谦 = "13200000000")],
  ];

  it("has personal values to look for", () => {
    expect(personal).toEqual(expect.arrayContaining(["典子谦", "13200000000", "18888888888"]));
  });

  it.each(personalValueCases.map((c, i) => [i, ...c] as const))(
    "case %i (%s): no name, mobile or ID number in any message",
    (_, edition, change) => {
      const fx = FIXTURES.find((f) => f.edition === edition)!;
      const b = fx.base();
      change(b);
      const outcome = validate(edition, b);
      expect(errorsOf(outcome).length).toBeGreaterThan(0);
      for (const issue of [...errorsOf(outcome), ...outcome.warnings]) {
        for (const value of personal) expect(issue.Message).not.toContain(value);
      }
    },
  );

  it("holds for every finding of every rule case", () => {
    const messages: string[] = [];
    for (const c of RULE_CASES) {
      const fx = FIXTURES.find((f) => f.edition === c.edition)!;
      const b = fx.base();
      c.invalid(b);
      const outcome = validate(c.edition, b);
      messages.push(...[...errorsOf(outcome), ...outcome.warnings].map((i) => i.Message));
    }
    expect(messages.length).toBeGreaterThan(RULE_CASES.length);
    const leaks = messages.filter((m) => personal.some((p) => m.includes(p)));
    expect(leaks).toEqual([]);
  });
});

describe("paths, codes and bodies of any shape", () => {
  it.each([null, [], "body", 42, true])("rejects a body that is not a JSON object (%j)", (body) => {
    const outcome = validate("ess", body);
    expect(errorsOf(outcome)).toEqual([{ Path: "", Code: "InvalidParameter", Message: "must be a JSON object" }]);
  });

  it.each(FIXTURES.map((fx) => [fx.edition, fx] as const))(
    "%s: an empty object reports each required field as MissingParameter",
    (edition) => {
      const required = edition === "ess" ? ["Operator", "FlowGroupName", "FlowGroupInfos"] : ["FlowFileInfos", "FlowGroupName", "Agent"];
      expect(errorsOf(validate(edition, {})).map(show).sort()).toEqual(required.map((f) => `MissingParameter.${f} @ ${f}`).sort());
    },
  );

  it("counts an empty required string as missing (ComponentType, essbasic ApproverType, ComponentLimit type)", () => {
    const b = essbasic.base();
    b.FlowFileInfos[0].FlowApprovers[1].SignComponents[0].ComponentType = "";
    b.FlowFileInfos[2].FlowApprovers[1].ApproverType = "";
    b.FlowFileInfos[1].FlowApprovers[0].AddSignComponentsLimits = [{ ComponentType: "" }];
    expect(errorsOf(validate("essbasic", b)).map(show).sort()).toEqual([
      "MissingParameter.ApproverType @ FlowFileInfos[2].FlowApprovers[1].ApproverType",
      "MissingParameter.ComponentType @ FlowFileInfos[0].FlowApprovers[1].SignComponents[0].ComponentType",
      "MissingParameter.ComponentType @ FlowFileInfos[1].FlowApprovers[0].AddSignComponentsLimits[0].ComponentType",
    ]);
  });

  it("writes paths with dots and [index], without a leading $", () => {
    const b = ess.base();
    b.FlowGroupInfos[2].Approvers[1].SignComponents[0].KeywordIndexes = ["0"];
    expect(errorsOf(validate("ess", b)).map((i) => i.Path)).toEqual(["FlowGroupInfos[2].Approvers[1].SignComponents[0].KeywordIndexes[0]"]);
  });

  it("checks deadlines against the injected clock", () => {
    const b = essbasic.base();
    b.FlowFileInfos[0].Deadline = NOW_S + 3600;
    expect(validate("essbasic", b, NOW).ok).toBe(true);
    expect(errorsOf(validate("essbasic", b, new Date((NOW_S + 3600) * 1000))).map(show)).toEqual([
      "InvalidParameter.FlowDeadLine @ FlowFileInfos[0].Deadline",
    ]);
  });

  it("reports an auto-sign approver without any SIGN_SEAL at its SignComponents", () => {
    const b = ess.base();
    b.FlowGroupInfos[0].Approvers[0].SignComponents = [component("SIGN_DATE")];
    expect(errorsOf(validate("ess", b)).map(show)).toEqual([
      "MissingParameter.ServerSignSealId @ FlowGroupInfos[0].Approvers[0].SignComponents",
    ]);
  });

  it("lets a dynamic (FillType 1) approver omit name, mobile and organisation", () => {
    const b = ess.base();
    b.FlowGroupInfos[1].Approvers[0] = { ApproverType: 0, ApproverOption: { FillType: 1 }, SignComponents: [component("SIGN_SEAL")] };
    b.FlowGroupInfos[1].Approvers.push({ ApproverType: 0, ApproverOption: { FillType: 1 }, SignComponents: [component("SIGN_SEAL")] });
    expect(errorsOf(validate("ess", b))).toEqual([]);
  });

  it("treats an employee given by UserId as identified without name and mobile", () => {
    const b = ess.base();
    const a = b.FlowGroupInfos[1].Approvers[0];
    delete a.ApproverName;
    delete a.ApproverMobile;
    a.UserId = "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K";
    expect(errorsOf(validate("ess", b))).toEqual([]);
  });
});
