import { describe, expect, it } from "vitest";
import { type Body, editionOf, SEED_NAMES, seed, show, validate } from "./fixtures";

/** The spec's own examples are requests ESS accepted: each must validate, unchanged. */

const FLOW_NAMES = (flows: number) => Array.from({ length: flows }, (_, i) => `InvalidParameter.FlowName @ FlowGroupInfos[${i}].FlowName`);
const GROUP_NAME = "InvalidParameter.FlowGroupName @ FlowGroupName";
const CALLBACK = "InvalidParameter.FlowCallbackUrl @ FlowGroupInfos[1].CallbackUrl";
const DYNAMIC_AUTO_SIGN = [0, 1, 2].map((i) => `InvalidParameter.FillType @ FlowFileInfos[${i}].FlowApprovers[0].ApproverOption.FillType`);

/** The warnings each example earns: the rules that its own text breaks. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  "ess-example-1": [GROUP_NAME, ...FLOW_NAMES(3), CALLBACK],
  "ess-example-2": [GROUP_NAME, ...FLOW_NAMES(3), CALLBACK],
  "ess-example-3": [GROUP_NAME, ...FLOW_NAMES(2)],
  "ess-example-4": [GROUP_NAME, ...FLOW_NAMES(3), CALLBACK],
  "essbasic-example-1": [],
  "essbasic-example-2": DYNAMIC_AUTO_SIGN,
};

/** What the SDK must receive: the body, with a numeric-string ess ApproverType as a number. */
function expectedRequest(name: string): Body {
  const body = seed(name);
  if (editionOf(name) === "ess") {
    for (const flow of body.FlowGroupInfos) {
      for (const a of flow.Approvers) if (typeof a.ApproverType === "string") a.ApproverType = Number(a.ApproverType);
    }
  }
  return body;
}

describe("seed examples from the spec pages", () => {
  it("covers all six examples", () => {
    expect(SEED_NAMES).toEqual(Object.keys(EXPECTED_WARNINGS).sort());
  });

  it.each(SEED_NAMES)("%s validates, and the request sent to ESS is the body itself", (name) => {
    const outcome = validate(editionOf(name), seed(name));
    expect(outcome.ok ? [] : outcome.issues.map(show)).toEqual([]);
    if (!outcome.ok) return;
    expect(outcome.request).toStrictEqual(expectedRequest(name));
  });

  it.each(SEED_NAMES)("%s earns exactly the warnings of the rules its own text contradicts", (name) => {
    const outcome = validate(editionOf(name), seed(name));
    expect(outcome.warnings.map(show).sort()).toEqual([...EXPECTED_WARNINGS[name]!].sort());
  });

  it.each(SEED_NAMES)("%s stays valid whatever the clock says: its Deadline 0 means not set", (name) => {
    const farFuture = new Date("2099-12-31T00:00:00Z");
    expect(validate(editionOf(name), seed(name), farFuture).ok).toBe(true);
  });

  it('turns the example\'s string ApproverType "1" into the number the SDK model declares, without touching the input', () => {
    const body = seed("ess-example-1");
    const outcome = validate("ess", body);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const request = outcome.request as Body;
    expect(request.FlowGroupInfos[2].Approvers[1].ApproverType).toBe(1);
    expect(body.FlowGroupInfos[2].Approvers[1].ApproverType).toBe("1");
  });
});
