import { describe, expect, it } from "vitest";
import { describedFlowsFromEss, describedFlowsFromEssbasic } from "../../../shared/ess/describe";

describe("Describe* answers → internal model", () => {
  it.each([
    [0, "INIT"],
    [1, "INIT"],
    [2, "PART"],
    [3, "REJECT"],
    [4, "ALL"],
    [5, "DEADLINE"],
    [6, "CANCEL"],
    [7, "INIT"],
    [8, "INIT"],
    [9, "INIT"],
    [10, "REJECT"],
    [16, "INVALID"],
    [21, "RELIEVED"],
  ])("ess FlowStatus %i → %s", (code, status) => {
    expect(describedFlowsFromEss([{ FlowId: "f", FlowStatus: code }])[0]!.status).toBe(status);
  });

  it("ess approvers by their numbers; unknown values leave the status out", () => {
    const [flow] = describedFlowsFromEss([
      {
        FlowId: "f",
        FlowStatus: 2,
        FlowApproverInfos: [
          { RecipientId: "r1", SignId: "s1", ApproveStatus: 3, ApproveTime: 1_800_000_000, ApproveType: "PERSON" },
          { RecipientId: "r2", ApproveStatus: 42 },
        ],
      },
    ]);
    expect(flow!.approvers).toEqual([
      { recipientId: "r1", signId: "s1", approverType: "PERSON", status: "ACCEPT", approveTime: 1_800_000_000 },
      { recipientId: "r2" },
    ]);
  });

  it.each([
    ["PENDING", "PENDING"],
    ["WAITPICKUP", "PENDING"],
    ["FILLREJECT", "REJECT"],
    ["ACCEPT", "ACCEPT"],
    ["RELIEVED", "RELIEVED"],
  ])("essbasic ApproveStatus %s → %s", (word, status) => {
    const [flow] = describedFlowsFromEssbasic([
      { FlowId: "f", FlowStatus: "PART", FlowApproverInfos: [{ RecipientId: "r", ApproveStatus: word }] },
    ]);
    expect(flow).toEqual({ flowId: "f", status: "PART", approvers: [{ recipientId: "r", status }] });
  });

  it("skips entries without a FlowId and unknown flow words", () => {
    expect(describedFlowsFromEssbasic([{ FlowName: "x" }, { FlowId: "f", FlowStatus: "SOMETHING" }])).toEqual([
      { flowId: "f", approvers: [] },
    ]);
  });
});
