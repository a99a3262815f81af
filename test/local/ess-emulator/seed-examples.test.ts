import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { essbasicClient, essClient } from "./support/sdk";
import { loadSeeds } from "./support/seeds";

/** Every request example of the ESS documentation is accepted verbatim through the official SDK. */

const ID = /^[A-Za-z0-9]{32}$/;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe("seed examples", () => {
  it.each(loadSeeds().map((s) => [s.name, s] as const))("%s is accepted and answered in the documented shape", async (_name, seed) => {
    const response =
      seed.edition === "ess"
        ? await essClient(emulator).CreateFlowGroupByFiles(seed.request as any)
        : await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed.request as any);
    const flowCount = (seed.request.FlowGroupInfos ?? seed.request.FlowFileInfos).length;
    expect(response.FlowGroupId).toMatch(ID);
    expect(response.FlowIds).toHaveLength(flowCount);
    for (const id of response.FlowIds!) expect(id).toMatch(ID);
    expect(response.RequestId).toMatch(/^s\d{19}$/);
    expect(response.Approvers!.map((a) => a.FlowId)).toEqual(response.FlowIds);
    const infos = seed.request.FlowGroupInfos ?? seed.request.FlowFileInfos;
    response.Approvers!.forEach((flow, i) => {
      const given = infos[i].Approvers ?? infos[i].FlowApprovers;
      expect(flow.Approvers).toHaveLength(given.length);
      flow.Approvers!.forEach((a, j) => {
        expect(a.RecipientId).toMatch(ID);
        expect(a.SignId).toMatch(ID);
        expect(a.ApproverRoleName).toBe(given[j].ApproverRoleName ?? "");
      });
    });
    expect(emulator.stats().groupsCreated).toBe(1);
  });
});
