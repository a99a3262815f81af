import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startLocalStack, type LocalStack } from "../../../local/stack";

/**
 * Who each approver is, in the status answer: the name, mobile, organization, role and sign order
 * the create request gave, one ApproverType vocabulary for both editions with ESS's raw value
 * beside it; and a FlowId where a FlowGroupId belongs finds its group. Through the real handlers on
 * the local stack, logging at info: the file's log scan (test/support/pii-scan.setup.ts) fails it if
 * a name or mobile reaches a log line.
 */
const API_KEY = "who-test-api-key";
const OTHER_KEY = "who-test-other-key";
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "who-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "info", STORE_FSYNC: "false", API_KEY_HASHES: `${hashApiKey(API_KEY)},${hashApiKey(OTHER_KEY)}` },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

const headers = (key = API_KEY) => ({ "Content-Type": "application/json", Authorization: `Bearer ${key}` });

async function create(edition: "ess" | "essbasic", file: string) {
  const request = JSON.parse(await readFile(path.join("test", "fixtures", "seed", file), "utf8"));
  const res = await fetch(`${stack.gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify(request),
  });
  expect(res.status).toBe(200);
  await stack.emulator.waitForCallbacksIdle(10_000);
  return { request, created: (await res.json()) as { FlowGroupId: string; FlowIds: string[] } };
}

async function status(id: string, key = API_KEY, suffix = "") {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${id}${suffix}`, { headers: headers(key) });
  return { status: res.status, body: (await res.json()) as any };
}

describe("who, in the status answer", () => {
  it("ess: each approver as the create request named them, kinds in one vocabulary with ESS's value beside", async () => {
    const { request, created } = await create("ess", "ess-example-1.request.json");
    const res = await status(created.FlowGroupId);
    expect(res.status).toBe(200);

    res.body.Flows.forEach((flow: any, i: number) => {
      const unordered = request.FlowGroupInfos[i].Unordered === true;
      expect(flow.Unordered).toBe(unordered);
      request.FlowGroupInfos[i].Approvers.forEach((sent: any, j: number) => {
        const shown = flow.Approvers[j];
        expect([shown.ApproverName, shown.ApproverMobile, shown.OrganizationName]).toEqual([
          sent.ApproverName,
          sent.ApproverMobile,
          sent.OrganizationName,
        ]);
        expect(shown.EssApproverType).toBe(String(sent.ApproverType));
        expect(shown.SignOrder).toBe(unordered ? undefined : j + 1);
      });
    });
    const kinds = res.body.Flows.flatMap((f: any) => f.Approvers.map((a: any) => `${a.EssApproverType}:${a.ApproverType}`));
    expect(kinds).toEqual(["3:ENTERPRISESERVER", "0:ORGANIZATION", "0:ORGANIZATION", "0:ORGANIZATION", "0:ORGANIZATION", "1:PERSON"]);
  });

  it("essbasic: the same vocabulary (ESS's own words there), OpenIds beside the names", async () => {
    const { request, created } = await create("essbasic", "essbasic-example-1.request.json");
    const res = await status(created.FlowGroupId);
    const first = res.body.Flows[0].Approvers;
    expect(first[0]).toMatchObject({
      ApproverType: "ENTERPRISESERVER",
      EssApproverType: "ENTERPRISESERVER",
      OpenId: "zk",
      OrganizationOpenId: "zk_online_org",
    });
    expect(first[1]).toMatchObject({
      ApproverType: "PERSON",
      EssApproverType: "PERSON",
      ApproverName: request.FlowFileInfos[0].FlowApprovers[1].Name,
    });
  });

  it("an ordered flow gives each approver its place (SignOrder from 1)", async () => {
    const request = JSON.parse(await readFile(path.join("test", "fixtures", "seed", "ess-example-3.request.json"), "utf8"));
    for (const flow of request.FlowGroupInfos) flow.Unordered = false;
    const res = await fetch(`${stack.gateway.url}/ess/flow-groups`, { method: "POST", headers: headers(), body: JSON.stringify(request) });
    const created = (await res.json()) as { FlowGroupId: string };
    const shown = await status(created.FlowGroupId);
    expect(shown.body.Flows.map((f: any) => [f.Unordered, ...f.Approvers.map((a: any) => a.SignOrder)])).toEqual([
      [false, 1, 2],
      [false, 1, 2],
    ]);
  });

  it("dynamic approvers are marked, with their role", async () => {
    const { created } = await create("ess", "ess-example-4.request.json");
    const res = await status(created.FlowGroupId);
    expect(res.body.Flows[0].Approvers[0]).toMatchObject({ Dynamic: true, ApproverRoleName: "甲方", ApproverType: "ORGANIZATION" });
    expect(res.body.Flows[0].Approvers[0].ApproverName).toBeUndefined();
  });

  it("another API key sees none of it: 404", async () => {
    const { created } = await create("ess", "ess-example-3.request.json");
    expect((await status(created.FlowGroupId, OTHER_KEY)).status).toBe(404);
  });
});

describe("a FlowId where a FlowGroupId belongs", () => {
  it("answers with the group it belongs to, saying which FlowId found it", async () => {
    const { created } = await create("ess", "ess-example-3.request.json");
    const byFlow = await status(created.FlowIds[1]!);
    expect(byFlow.status).toBe(200);
    expect(byFlow.body.FlowGroupId).toBe(created.FlowGroupId);
    expect(byFlow.body.FoundByFlowId).toBe(created.FlowIds[1]);
    expect((await status(created.FlowGroupId)).body.FoundByFlowId).toBeUndefined();

    const events = await status(created.FlowIds[0]!, API_KEY, "/events");
    expect(events.status).toBe(200);
    expect(events.body.FlowGroupId).toBe(created.FlowGroupId);

    const links = await fetch(`${stack.gateway.url}/flow-groups/${created.FlowIds[0]}/sign-urls`, {
      method: "POST",
      headers: headers(),
      body: "{}",
    });
    expect(links.status).toBe(200);
    expect(((await links.json()) as any).FlowGroupId).toBe(created.FlowGroupId);
  });

  it("is 404 for another key, and for an id that is neither", async () => {
    const { created } = await create("ess", "ess-example-3.request.json");
    expect((await status(created.FlowIds[0]!, OTHER_KEY)).status).toBe(404);
    expect((await status("yDwhsUUckpshdr2qUx7cXkIcLLb0wsbZ")).status).toBe(404);
  });
});

describe("GET /flow-groups: the caller's groups, newest first", () => {
  it("pages with a cursor, filters by status, shows one key its own groups only", async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await create("ess", "ess-example-3.request.json")).created.FlowGroupId);
    const list = (query: string, key = API_KEY) =>
      fetch(`${stack.gateway.url}/flow-groups${query}`, { headers: headers(key) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as any,
      }));

    const page1 = await list("?limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.FlowGroups.map((g: any) => g.FlowGroupId)).toEqual([mine[2], mine[1]]);
    const page2 = await list(`?limit=2&cursor=${page1.body.NextCursor}`);
    expect(page2.body.FlowGroups[0].FlowGroupId).toBe(mine[0]);
    // RequestId (a random UUID) and the opaque cursor can hold digit runs: leave them out of the scan.
    expect(JSON.stringify({ ...page1.body, RequestId: "", NextCursor: "" })).not.toMatch(/(?<![0-9A-Za-z])1[3-9]\d{9}(?!\d)/);

    const onlyInit = await list("?status=INIT,PART&limit=100");
    expect(onlyInit.body.FlowGroups.every((g: any) => g.Status === "INIT" || g.Status === "PART")).toBe(true);
    expect((await list("?status=REJECT")).body.FlowGroups).toEqual([]);

    const other = await list("?limit=100", OTHER_KEY);
    expect(other.body.FlowGroups.map((g: any) => g.FlowGroupId)).not.toContain(mine[0]);
    expect((await list("?limit=0")).status).toBe(400);
    expect((await list("?sort=asc")).body.Error.Code).toBe("UnknownParameter");
    expect((await fetch(`${stack.gateway.url}/flow-groups`)).status).toBe(401);
  });
});
