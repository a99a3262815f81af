import { describe, expect, it } from "vitest";
import type { SignUrlCall, SignUrlResult } from "../../../shared/ess/port";
import { createSignUrls, parseSignUrlsRequest, type SignUrlsDeps } from "../../../shared/groups/sign-urls";
import { createLogger } from "../../../shared/log/logger";
import { initialSnapshot } from "../../../shared/status-store/reducer";
import type { ApproverIdentity, GroupRecord, GroupSnapshot } from "../../../shared/status-store/model";
import { AppError } from "../../../shared/errors/app-error";
import { EssRefused } from "../../../shared/errors/ess-errors";

/**
 * The sign-link use case with an ESS fake: who gets a link, which action asks for it, what the
 * request names, and what comes back. The integration test (test/functions/group-actions) runs the
 * same through the official SDK against the emulator.
 */
const GROUP = "G".repeat(32);
const NOW = new Date("2026-03-01T08:00:00Z");
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(32 - prefix.length, "0")}`;

type Slot = { recipientId: string; who: ApproverIdentity; roleName?: string };

function record(edition: "ess" | "essbasic", flows: Slot[][], caller = true): GroupRecord {
  return {
    edition,
    flowGroupId: GROUP,
    flowGroupName: "test group",
    flowIds: flows.map((_f, i) => id("F", i)),
    flows: flows.map((approvers, i) => ({
      flowId: id("F", i),
      flowName: `flow ${i}`,
      approvers: approvers.map((a, j) => ({
        recipientId: a.recipientId,
        signId: `sign-${i}-${j}`,
        approverRoleName: a.roleName,
        who: a.who,
      })),
    })),
    createdAt: NOW.toISOString(),
    caller: !caller
      ? undefined
      : edition === "ess"
        ? { edition: "ess", operatorUserId: "operator-1", proxyOrganizationId: "sub-org-1" }
        : { edition: "essbasic", appId: "app-1", proxyOrganizationOpenId: "org-1", proxyOperatorOpenId: "op-1" },
  };
}

const person = (mobile: string): ApproverIdentity => ({ essApproverType: "1", name: "P", mobile });
const employee = (mobile: string, org: string): ApproverIdentity => ({ essApproverType: "0", name: "E", mobile, organizationName: org });

function setup(
  snapshot: GroupSnapshot,
  answer: (call: SignUrlCall, n: number) => SignUrlResult | Error = (_c, n) => ({ url: `https://link/${n}`, requestId: `s${n}` }),
) {
  const calls: SignUrlCall[] = [];
  const deps: SignUrlsDeps = {
    ess: {
      async createSignUrl(call) {
        calls.push(call);
        const result = answer(call, calls.length);
        if (result instanceof Error) throw result;
        return result;
      },
    },
    store: {
      getGroup: async (flowGroupId) => (flowGroupId === snapshot.flowGroupId ? snapshot : undefined),
      groupOfFlow: async (flowId) => (snapshot.flows.some((f) => f.flowId === flowId) ? snapshot.flowGroupId : undefined),
    },
    identity: {},
    clock: () => NOW,
    log: createLogger({ level: "error" }),
  };
  return { deps, calls };
}

const snapshotOf = (r: GroupRecord) => initialSnapshot(r, r.flowGroupId, r.edition, NOW);

describe("parseSignUrlsRequest", () => {
  it.each([
    ["no body", undefined, {}],
    ["an empty object", {}, {}],
    ["a RecipientId", { RecipientId: "yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe" }, { recipientId: "yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe" }],
    ["a mobile", { Mobile: "13900000000" }, { mobile: "13900000000" }],
    ["the shortest lifetime", { ExpiresIn: 1800 }, { expiresIn: 1800 }],
    ["the longest lifetime", { ExpiresIn: 7_776_000 }, { expiresIn: 7_776_000 }],
    ["a JumpUrl", { JumpUrl: "https://example.com/done" }, { jumpUrl: "https://example.com/done" }],
  ])("takes %s", (_what, body, expected) => {
    expect(parseSignUrlsRequest(body)).toEqual(expected);
  });

  it.each([
    ["a string body", "x", "Body"],
    ["null", null, "Body"],
    ["an unknown field", { Recipient: "x" }, "Recipient"],
    ["a numeric RecipientId", { RecipientId: 12 }, "RecipientId"],
    ["a RecipientId over 64 characters", { RecipientId: "a".repeat(65) }, "RecipientId"],
    ["a landline", { Mobile: "02012345678" }, "Mobile"],
    ["a lifetime of 1799 s", { ExpiresIn: 1799 }, "ExpiresIn"],
    ["a fractional lifetime", { ExpiresIn: 1800.5 }, "ExpiresIn"],
    ["a JumpUrl over 1000 characters", { JumpUrl: `https://x/${"a".repeat(1000)}` }, "JumpUrl"],
    ["a JumpUrl with a space", { JumpUrl: "https://x/ y" }, "JumpUrl"],
  ])("refuses %s", (_what, body, path) => {
    try {
      parseSignUrlsRequest(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).httpStatus).toBe(400);
      expect((error as AppError).issues?.map((i) => i.Path)).toContain(path);
    }
  });
});

describe("createSignUrls", () => {
  it("ess: one CreateBatchQuickSignUrl per person, named by SignId with the type, name, mobile and organization", async () => {
    const r = record("ess", [
      [
        { recipientId: "r-auto", who: { essApproverType: "3", organizationName: "Org A" } },
        { recipientId: "r-a1", who: employee("13900000001", "Org B") },
      ],
      [
        { recipientId: "r-a2", who: employee("13900000001", "Org B") },
        { recipientId: "r-p", who: person("13900000002") },
      ],
    ]);
    const { deps, calls } = setup(snapshotOf(r));
    const answer = await createSignUrls({ flowGroupId: GROUP, body: { ExpiresIn: 3600, JumpUrl: "https://example.com/back" } }, deps);

    expect(calls.map((c) => c.action)).toEqual(["CreateBatchQuickSignUrl", "CreateBatchQuickSignUrl"]);
    expect(calls[0]!.request).toEqual({
      Operator: { UserId: "operator-1" },
      Agent: { ProxyOrganizationId: "sub-org-1" },
      FlowGroupId: GROUP,
      FlowApproverInfo: {
        ApproverType: 0,
        ApproverName: "E",
        ApproverMobile: "13900000001",
        OrganizationName: "Org B",
        UserId: undefined,
        SignId: "sign-0-1",
      },
      FlowBatchUrlInfo: undefined,
      ExpiredOn: 3600,
      JumpUrl: "https://example.com/back",
    });
    expect((calls[1]!.request as any).FlowApproverInfo).toMatchObject({
      ApproverType: 1,
      ApproverMobile: "13900000002",
      OrganizationName: undefined,
    });
    expect(answer.SignUrls).toHaveLength(2);
    expect(answer.SignUrls[0]).toMatchObject({
      Kind: "SIGN",
      ApproverType: "ORGANIZATION",
      EssApproverType: "0",
      SignUrl: "https://link/1",
      ExpiresAt: "2026-03-01T09:00:00.000Z",
      Opens: "H5",
      EssRequestId: "s1",
    });
    expect(answer.SignUrls[0]!.Approvals.map((a) => a.RecipientId)).toEqual(["r-a1", "r-a2"]);
  });

  it("the same mobile as a person and as an employee is two people to ESS: two links", async () => {
    const r = record("ess", [
      [{ recipientId: "r1", who: person("13900000001") }],
      [{ recipientId: "r2", who: employee("13900000001", "Org") }],
    ]);
    const { deps, calls } = setup(snapshotOf(r));
    await createSignUrls({ flowGroupId: GROUP, body: undefined }, deps);
    expect(calls).toHaveLength(2);
  });

  it("employees of different organizations with one mobile get a link each; one UserId across flows gets one", async () => {
    const r = record("ess", [
      [
        { recipientId: "r1", who: employee("13900000001", "Org A") },
        { recipientId: "u1", who: { essApproverType: "0", userId: "user-1" } },
      ],
      [
        { recipientId: "r2", who: employee("13900000001", "Org B") },
        { recipientId: "u2", who: { essApproverType: "0", userId: "user-1" } },
      ],
    ]);
    const { deps } = setup(snapshotOf(r));
    const answer = await createSignUrls({ flowGroupId: GROUP, body: undefined }, deps);
    expect(answer.SignUrls.map((l) => l.Approvals.map((a) => a.RecipientId))).toEqual([["r1"], ["u1", "u2"], ["r2"]]);
  });

  it("ess dynamic approvers: an organization's via CreateSchemeUrl (90 days), a person's via FlowBatchUrlInfo (30 min)", async () => {
    const r = record("ess", [
      [
        { recipientId: "d-org-1", roleName: "甲方", who: { essApproverType: "0", dynamic: true } },
        { recipientId: "d-p-1", roleName: "乙方", who: { essApproverType: "1", dynamic: true } },
      ],
      [{ recipientId: "d-org-2", roleName: "甲方", who: { essApproverType: "0", dynamic: true } }],
    ]);
    const { deps, calls } = setup(snapshotOf(r));
    const answer = await createSignUrls({ flowGroupId: GROUP, body: { ExpiresIn: 86_400 } }, deps);

    expect(calls[0]).toMatchObject({
      action: "CreateSchemeUrl",
      request: {
        FlowGroupId: GROUP,
        PathType: 3,
        EndPoint: "HTTP",
        FlowGroupUrlInfo: {
          FlowGroupApproverInfos: [
            { FlowId: id("F", 0), RecipientId: "d-org-1" },
            { FlowId: id("F", 1), RecipientId: "d-org-2" },
          ],
        },
      },
    });
    expect(calls[1]).toMatchObject({
      action: "CreateBatchQuickSignUrl",
      request: {
        FlowApproverInfo: { ApproverType: 1 },
        FlowBatchUrlInfo: { FlowBatchApproverInfos: [{ FlowId: id("F", 0), RecipientId: "d-p-1" }] },
      },
    });
    expect((calls[1]!.request as any).ExpiredOn).toBeUndefined();
    expect(answer.SignUrls.map((l) => [l.Kind, l.Opens, l.ExpiresAt])).toEqual([
      ["FILL", "MINI_PROGRAM", "2026-05-30T08:00:00.000Z"],
      ["FILL", "H5", "2026-03-01T08:30:00.000Z"],
    ]);
  });

  it("essbasic: ChannelCreateBatchQuickSignUrl names the person; a dynamic employee claims through CreateSignUrls RECIPIENT", async () => {
    const r = record("essbasic", [
      [
        { recipientId: "auto", who: { essApproverType: "ENTERPRISESERVER", openId: "zk", organizationOpenId: "org" } },
        { recipientId: "p1", who: { essApproverType: "PERSON", name: "P", mobile: "13900000003" } },
        {
          recipientId: "emp",
          who: { essApproverType: "ORGANIZATION", openId: "kevin", organizationOpenId: "org", organizationName: "Org" },
        },
        { recipientId: "dyn", who: { essApproverType: "ORGANIZATION", dynamic: true } },
      ],
    ]);
    const { deps, calls } = setup(snapshotOf(r));
    await createSignUrls({ flowGroupId: GROUP, body: undefined }, deps);
    expect(calls.map((c) => c.action)).toEqual(["ChannelCreateBatchQuickSignUrl", "ChannelCreateBatchQuickSignUrl", "CreateSignUrls"]);
    expect(calls[0]!.request).toMatchObject({
      Agent: { AppId: "app-1", ProxyOrganizationOpenId: "org-1", ProxyOperator: { OpenId: "op-1" } },
      FlowGroupId: GROUP,
      FlowApproverInfo: { ApproverType: "PERSON", Name: "P", Mobile: "13900000003", SignId: "sign-0-1" },
    });
    expect(calls[1]!.request).toMatchObject({
      FlowApproverInfo: { ApproverType: "ORGANIZATION", OpenId: "kevin", OrganizationOpenId: "org", OrganizationName: "Org" },
    });
    expect(calls[2]!.request).toMatchObject({
      GenerateType: "RECIPIENT",
      FlowGroupUrlInfo: { FlowGroupApproverInfos: [{ FlowId: id("F", 0), RecipientId: "dyn" }] },
    });
  });

  it("nobody whose flow ended, who finished, or who signs automatically gets a link", async () => {
    const r = record("ess", [
      [{ recipientId: "a", who: person("13900000001") }],
      [{ recipientId: "b", who: person("13900000002") }],
      [{ recipientId: "c", who: { essApproverType: "7" } }],
    ]);
    const snapshot = snapshotOf(r);
    snapshot.flows[0]!.status = "CANCEL";
    snapshot.flows[1]!.approvers[0]!.status = "ACCEPT";
    const { deps, calls } = setup(snapshot);
    const answer = await createSignUrls({ flowGroupId: GROUP, body: undefined }, deps);
    expect(calls).toHaveLength(0);
    expect(answer.SignUrls).toEqual([]);
    await expect(createSignUrls({ flowGroupId: GROUP, body: { RecipientId: "b" } }, deps)).rejects.toMatchObject({
      httpStatus: 409,
      code: "OperationDenied.NothingToSign",
    });
  });

  it("a group known only from callbacks, or with nobody to act as, is refused before ESS is called", async () => {
    const unrecorded = initialSnapshot(undefined, GROUP, "ess", NOW);
    unrecorded.flows = [{ flowId: "f", status: "INIT", eventCount: 1, approvers: [] }];
    const first = setup(unrecorded);
    await expect(createSignUrls({ flowGroupId: GROUP, body: undefined }, first.deps)).rejects.toMatchObject({
      httpStatus: 409,
      code: "FailedOperation.GroupNotRecorded",
    });
    const anonymous = setup(snapshotOf(record("essbasic", [[{ recipientId: "p", who: person("13900000001") }]], false)));
    await expect(createSignUrls({ flowGroupId: GROUP, body: undefined }, anonymous.deps)).rejects.toMatchObject({
      httpStatus: 409,
      code: "FailedOperation.NoCallerIdentity",
    });
    expect(first.calls.length + anonymous.calls.length).toBe(0);
  });

  it("a group without a recorded caller is asked for as the configured identity", async () => {
    const { deps, calls } = setup(snapshotOf(record("ess", [[{ recipientId: "p", who: person("13900000001") }]], false)));
    await createSignUrls({ flowGroupId: GROUP, body: undefined }, { ...deps, identity: { operatorUserId: "configured" } });
    expect(calls[0]!.request).toMatchObject({ Operator: { UserId: "configured" } });
  });

  it("links that fail beside links that work come back as Errors; when all fail the first error is thrown", async () => {
    const r = record("ess", [
      [
        { recipientId: "a", who: person("13900000001") },
        { recipientId: "b", who: person("13900000002") },
      ],
    ]);
    const refusal = new EssRefused("OperationDenied.FlowStatusForbid", { essRequestId: "s-refused" });
    const some = setup(snapshotOf(r), (_c, n) => (n === 1 ? refusal : { url: "https://ok" }));
    const answer = await createSignUrls({ flowGroupId: GROUP, body: undefined }, some.deps);
    expect(answer.SignUrls).toHaveLength(1);
    expect(answer.Errors).toEqual([
      expect.objectContaining({
        Kind: "SIGN",
        Error: { Code: "OperationDenied.FlowStatusForbid", Message: refusal.message, EssRequestId: "s-refused" },
      }),
    ]);
    const all = setup(snapshotOf(r), () => refusal);
    await expect(createSignUrls({ flowGroupId: GROUP, body: undefined }, all.deps)).rejects.toBe(refusal);
  });

  it("an unknown group is 404 and a bad id 400, before ESS", async () => {
    const { deps, calls } = setup(snapshotOf(record("ess", [[{ recipientId: "a", who: person("13900000001") }]])));
    await expect(createSignUrls({ flowGroupId: "H".repeat(32), body: undefined }, deps)).rejects.toMatchObject({ httpStatus: 404 });
    await expect(createSignUrls({ flowGroupId: "../x", body: undefined }, deps)).rejects.toMatchObject({ httpStatus: 400 });
    expect(calls).toHaveLength(0);
  });
});
