import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { APP_ID, ESS_OPERATOR } from "./support/fixtures";
import { b64, sample, SAMPLES } from "./support/files";
import { essbasicClient, essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/**
 * Group-level sign links through the official SDK (ess CreateBatchQuickSignUrl / CreateSchemeUrl,
 * essbasic ChannelCreateBatchQuickSignUrl / CreateSignUrls with FlowGroupId): each opens the sign
 * page of that person and group, which shows the documents by name and page count, signs every
 * flow at once, lets a dynamic approver fill in who they are, says "not your turn yet" instead of
 * offering a button, links back to the index, and stops working when the link expires.
 */

let emulator: RunningEmulator;
let now = Date.now();
beforeAll(async () => {
  emulator = await startEmulator({ clock: () => now });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  now = Date.now();
});

const OPERATOR = { UserId: ESS_OPERATOR };
const AGENT = { AppId: APP_ID, ProxyOrganizationOpenId: "zk_online_org", ProxyOperator: { OpenId: "kevin" } };
const ZHAO = { name: "赵六", mobile: "13600000000" };

async function uploadSamples(): Promise<string[]> {
  const res = await essClient({ endpoint: emulator.fileEndpoint, credentials: emulator.credentials }).UploadFiles({
    BusinessType: "DOCUMENT",
    Caller: { OperatorId: ESS_OPERATOR },
    FileInfos: SAMPLES.map((s) => ({ FileBody: b64(sample(s.file)), FileName: s.file })),
  });
  return res.FileIds!;
}

/** ess example 1 on the sample PDFs, with one person (赵六) second in every flow; flow 2 optionally ordered. */
async function createGroup(options: { ordered?: boolean } = {}) {
  const fileIds = await uploadSamples();
  const request = seed("ess-example-1");
  const personComponents = request.FlowGroupInfos[2].Approvers[1].SignComponents;
  request.FlowGroupInfos.forEach((f: any, i: number) => {
    f.FileIds = [fileIds[i]];
    f.Approvers[1] = { ApproverType: 1, ApproverName: ZHAO.name, ApproverMobile: ZHAO.mobile, SignComponents: personComponents };
  });
  if (options.ordered) request.FlowGroupInfos[1].Unordered = false;
  return essClient(emulator).CreateFlowGroupByFiles(request as any);
}

const quickLink = (groupId: string, extra: Record<string, unknown> = {}) =>
  essClient(emulator).CreateBatchQuickSignUrl({
    Operator: OPERATOR,
    FlowGroupId: groupId,
    FlowApproverInfo: { ApproverType: 1, ApproverName: ZHAO.name, ApproverMobile: ZHAO.mobile },
    ...extra,
  } as any);

async function page(url: string): Promise<{ status: number; html: string }> {
  const res = await fetch(url);
  return { status: res.status, html: await res.text() };
}

/** Posts the page's form as a browser would and follows the 303 back to the page. */
async function submit(
  url: string,
  action: "sign" | "reject" | "fill",
  fields: Record<string, string> = {},
): Promise<{ status: number; html: string }> {
  const token = url.split("/").pop()!;
  const res = await fetch(`${emulator.url}/_emulator/${action}`, {
    method: "POST",
    // A browser sends its page's origin with every form post.
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: emulator.url },
    body: new URLSearchParams({ token, ...fields }).toString(),
    redirect: "manual",
  });
  if (res.status !== 303) return { status: res.status, html: await res.text() };
  return page(`${emulator.url}${res.headers.get("location")}`);
}

const flowStates = (groupId: string) => emulator.state(groupId).groups[0]!.flows.map((f) => f.status);

describe("ess CreateBatchQuickSignUrl with FlowGroupId", () => {
  it("one link for the person over the whole group: documents with page counts, one button that signs every flow", async () => {
    const res = await createGroup();
    const out = await quickLink(res.FlowGroupId!);
    expect(out.FlowApproverUrlInfo).toMatchObject({ ApproverType: 1, ApproverName: ZHAO.name, ApproverMobile: ZHAO.mobile });
    expect(out.FlowApproverUrlInfo!.LongUrl).toBe(out.FlowApproverUrlInfo!.SignUrl);
    const { status, html } = await page(out.FlowApproverUrlInfo!.SignUrl!);
    expect(status).toBe(200);
    for (const s of SAMPLES) expect(html).toContain(`${s.file} · ${s.pages} pages`);
    expect(html).toContain("Sign all 3 flow(s)");
    expect(html).toContain('href="/_emulator/"');
    const after = await submit(out.FlowApproverUrlInfo!.SignUrl!, "sign");
    expect(after.html).toContain("Nothing left for you to sign");
    const zhao = emulator.state(res.FlowGroupId!).groups[0]!.flows.map((f) => f.approvers[1]!.status);
    expect(zhao).toEqual(["ACCEPT", "ACCEPT", "ACCEPT"]);
  });

  it("expires after 30 minutes by default, or after ExpiredOn seconds", async () => {
    const res = await createGroup();
    const short = (await quickLink(res.FlowGroupId!)).FlowApproverUrlInfo!.SignUrl!;
    const long = (await quickLink(res.FlowGroupId!, { ExpiredOn: 3600 })).FlowApproverUrlInfo!.SignUrl!;
    now += 30 * 60 * 1000 - 1000;
    expect((await page(short)).status).toBe(200);
    now += 2000;
    const expired = await page(short);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain("expired");
    expect((await submit(short, "sign")).status).toBe(410);
    expect(flowStates(res.FlowGroupId!)).toEqual(["PART", "INIT", "INIT"]);
    expect((await page(long)).status).toBe(200);
  });

  it.each([
    ["no FlowIds nor FlowGroupId", { FlowGroupId: undefined }, "MissingParameter.FlowId"],
    ["ExpiredOn under 30 minutes", { ExpiredOn: 600 }, "InvalidParameter.ParamError"],
    ["ExpiredOn over 90 days", { ExpiredOn: 7776001 }, "InvalidParameter.ParamError"],
    [
      "a name that is not the approver's",
      { FlowApproverInfo: { ApproverType: 1, ApproverName: "别人", ApproverMobile: ZHAO.mobile } },
      "FailedOperation.UserInfoNoMatch",
    ],
    [
      "a mobile of nobody in the group",
      { FlowApproverInfo: { ApproverType: 1, ApproverName: ZHAO.name, ApproverMobile: "13900000000" } },
      "ResourceNotFound.FlowApprover",
    ],
    [
      "an organization approver asked for as a person",
      { FlowApproverInfo: { ApproverType: 1, ApproverName: "王五", ApproverMobile: "13700000000" } },
      "ResourceNotFound.FlowApprover",
    ],
    ["a JumpUrl that is not http(s)", { JumpUrl: "javascript:alert(1)" }, "InvalidParameter.JumpUrl"],
  ])("%s → %s", async (_name, extra, code) => {
    const res = await createGroup();
    expect((await sdkError(quickLink(res.FlowGroupId!, extra))).code).toBe(code);
  });

  it("an employee gets a link with ApproverType 0 and OrganizationName; nothing left to sign → FlowStatusForbid", async () => {
    const res = await createGroup();
    const wangwu = { ApproverType: 0, ApproverName: "王五", ApproverMobile: "13700000000", OrganizationName: "王五示例企业" };
    const out = await quickLink(res.FlowGroupId!, { FlowApproverInfo: wangwu });
    expect((await page(out.FlowApproverUrlInfo!.SignUrl!)).html).toContain("Sign all 1 flow(s)");
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "13700000000" });
    expect((await sdkError(quickLink(res.FlowGroupId!, { FlowApproverInfo: wangwu }))).code).toBe("OperationDenied.FlowStatusForbid");
  });

  it('says "not your turn yet" instead of a button while an earlier approver of an ordered flow has not signed', async () => {
    const res = await createGroup({ ordered: true });
    const url = (await quickLink(res.FlowGroupId!)).FlowApproverUrlInfo!.SignUrl!;
    const blocked = await page(url);
    expect(blocked.html).toContain("Not your turn yet");
    expect(blocked.html).toContain("not your turn yet");
    expect(blocked.html).not.toContain('action="/_emulator/sign"');
    expect((await submit(url, "sign")).status).toBe(409);
    emulator.sign({ flowGroupId: res.FlowGroupId!, mobile: "18251952320" }); // the earlier approver of flow 2
    const open = await page(url);
    expect(open.html).not.toContain("Not your turn yet");
    expect(open.html).toContain("Sign all 3 flow(s)");
  });
});

describe("dynamic approvers", () => {
  it("ess: a FlowBatchUrlInfo link lets the dynamic approver fill in who they are, then sign every flow", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-4") as any);
    const slots = res.Approvers!.map((f) => ({ FlowId: f.FlowId!, RecipientId: f.Approvers![0]!.RecipientId! }));
    const out = await essClient(emulator).CreateBatchQuickSignUrl({
      Operator: OPERATOR,
      FlowGroupId: res.FlowGroupId!,
      FlowApproverInfo: { ApproverType: 0, ApproverName: "", OrganizationName: "赵六示例企业" },
      FlowBatchUrlInfo: { FlowBatchApproverInfos: slots },
      PresetApproverInfo: { OrganizationName: "赵六示例企业" },
    } as any);
    const url = out.FlowApproverUrlInfo!.SignUrl!;
    const form = await page(url);
    expect(form.html).toContain('action="/_emulator/fill"');
    expect(form.html).toContain('name="organizationName"');
    expect(form.html).not.toContain('action="/_emulator/sign"');
    const wrong = await submit(url, "fill", { organizationName: "别的企业", name: ZHAO.name, mobile: ZHAO.mobile });
    expect(wrong.status).toBe(409);
    const filled = await submit(url, "fill", { organizationName: "赵六示例企业", name: ZHAO.name, mobile: ZHAO.mobile });
    expect(filled.html).toContain("Sign all 3 flow(s)");
    await submit(url, "sign");
    expect(emulator.state(res.FlowGroupId!).groups[0]!.flows.map((f) => f.approvers[0]!.status)).toEqual(["ACCEPT", "ACCEPT", "ACCEPT"]);
  });

  it("ess CreateSchemeUrl with FlowGroupUrlInfo: a 90-day claim link with a QR code, cover page only", async () => {
    const res = await essClient(emulator).CreateFlowGroupByFiles(seed("ess-example-4") as any);
    const FlowGroupApproverInfos = res.Approvers!.map((f) => ({ FlowId: f.FlowId!, RecipientId: f.Approvers![0]!.RecipientId! }));
    const bad = await sdkError(
      essClient(emulator).CreateSchemeUrl({
        Operator: OPERATOR,
        FlowGroupId: res.FlowGroupId!,
        FlowGroupUrlInfo: { FlowGroupApproverInfos },
        PathType: 1,
        EndPoint: "APP",
      }),
    );
    expect(bad.code).toBe("InvalidParameter.ParamError");
    const out = await essClient(emulator).CreateSchemeUrl({
      Operator: OPERATOR,
      FlowGroupId: res.FlowGroupId!,
      FlowGroupUrlInfo: { FlowGroupApproverInfos },
      PathType: 3,
    });
    expect(out.SchemeQrcodeUrl).toBe(out.SchemeUrl);
    now += 89 * 24 * 3600 * 1000;
    expect((await page(out.SchemeUrl!)).html).toContain('action="/_emulator/fill"');
    now += 2 * 24 * 3600 * 1000;
    expect((await page(out.SchemeUrl!)).status).toBe(410);
  });
});

describe("ess CreateSchemeUrl with FlowGroupId", () => {
  it("a person's 90-day link signs the group; APP end points get a mini-program path; PathType 1 needs a short link or APP", async () => {
    const res = await createGroup();
    const base = { Operator: OPERATOR, FlowGroupId: res.FlowGroupId!, Name: ZHAO.name, Mobile: ZHAO.mobile };
    const http = await essClient(emulator).CreateSchemeUrl(base);
    expect(http.SchemeUrl).toMatch(/\/_emulator\/link\/[A-Za-z0-9]{32}$/);
    expect(http.SchemeQrcodeUrl).toBe("");
    const app = await essClient(emulator).CreateSchemeUrl({ ...base, EndPoint: "APP", PathType: 1 });
    expect(app.SchemeUrl).toMatch(/^pages\/guide\?/);
    expect((await sdkError(essClient(emulator).CreateSchemeUrl({ ...base, PathType: 1 }))).code).toBe("InvalidParameter.ParamError");
    expect((await sdkError(essClient(emulator).CreateSchemeUrl({ ...base, EndPoint: "SMS" }))).code).toBe("InvalidParameter.EndPoint");
    now += 60 * 24 * 3600 * 1000;
    await submit(http.SchemeUrl!, "sign");
    expect(emulator.state(res.FlowGroupId!).groups[0]!.flows.map((f) => f.approvers[1]!.status)).toEqual(["ACCEPT", "ACCEPT", "ACCEPT"]);
  });
});

describe("essbasic", () => {
  it("ChannelCreateBatchQuickSignUrl with FlowGroupId: the person's link signs all three flows", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const out = await essbasicClient(emulator).ChannelCreateBatchQuickSignUrl({
      Agent: AGENT,
      FlowGroupId: res.FlowGroupId!,
      FlowApproverInfo: { ApproverType: "PERSON", Name: "典子谦", Mobile: "13200000000" },
    });
    expect(out.FlowApproverUrlInfo).toMatchObject({ ApproverType: "PERSON", Mobile: "13200000000" });
    expect((await page(out.FlowApproverUrlInfo!.SignUrl!)).html).toContain("Sign all 3 flow(s)");
    await submit(out.FlowApproverUrlInfo!.SignUrl!, "sign");
    expect(emulator.state(res.FlowGroupId!).groups[0]!.status).toBe("ALL");
  });

  it("CreateSignUrls with FlowGroupId: one entry per flow, each opening the person's group page, valid 90 days", async () => {
    const res = await essbasicClient(emulator).ChannelCreateFlowGroupByFiles(seed("essbasic-example-1") as any);
    const out = await essbasicClient(emulator).CreateSignUrls({
      Agent: AGENT,
      FlowGroupId: res.FlowGroupId!,
      GenerateType: "PERSON",
      Name: "典子谦",
      Mobile: "13200000000",
    });
    expect(out.SignUrlInfos!.map((i) => i.FlowId)).toEqual(res.FlowIds);
    now += 89 * 24 * 3600 * 1000;
    for (const info of out.SignUrlInfos!) expect((await page(info.SignUrl!)).html).toContain("Sign all 3 flow(s)");
    now += 2 * 24 * 3600 * 1000;
    expect((await page(out.SignUrlInfos![0]!.SignUrl!)).status).toBe(410);
    now = Date.now(); // the SDK signs with the real clock
    expect(
      (
        await sdkError(
          essbasicClient(emulator).CreateSignUrls({
            Agent: AGENT,
            FlowGroupId: res.FlowGroupId!,
            GenerateType: "PERSON",
            Name: "典子谦",
            Mobile: "13200000000",
            Endpoint: "CHANNEL",
          }),
        )
      ).code,
    ).toBe("InvalidParameter.EndPoint");
  });
});
