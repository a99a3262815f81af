import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../local/ess-emulator";
import { startCallbackReceiver, type CallbackReceiver } from "./support/callback-receiver";
import { essClient, sdkError } from "./support/sdk";
import { seed } from "./support/seeds";

/** The admin API under /_emulator/ over real HTTP, and the HTML sign page. */

let emulator: RunningEmulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
  emulator = await startEmulator({ callback: { retry: { initialDelayMs: 5, maxAttempts: 2 } } });
  receiver = await startCallbackReceiver({
    key: emulator.callback.key,
    ...(emulator.callback.token ? { token: emulator.callback.token } : {}),
  });
});
afterAll(async () => {
  await emulator.stop();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.setCallbackUrl("ess", undefined);
  receiver.reset();
});
afterEach(() => emulator.waitForCallbacksIdle(5000));

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
async function get(path: string): Promise<any> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`);
  expect(res.status).toBe(200);
  return res.json();
}
const create = (name = "ess-example-1") => essClient(emulator).CreateFlowGroupByFiles(seed(name) as any);

describe("JSON admin API", () => {
  it("GET state shows groups, flows and approvers with masked personal data and sign links", async () => {
    const res = await create();
    const state = await get(`state?flowGroupId=${res.FlowGroupId}`);
    expect(state.groups).toHaveLength(1);
    const group = state.groups[0];
    expect(group).toMatchObject({ flowGroupId: res.FlowGroupId, edition: "ess", status: "TOSIGN", organizationName: "典子谦示例企业" });
    const autoSigner = group.flows[0].approvers[0];
    expect(autoSigner).toMatchObject({ role: "autoSign", status: "ACCEPT", statusCode: 3, mobile: "182****2320", approverType: "3" });
    expect(autoSigner.name).not.toBe("典子谦");
    expect(autoSigner.signUrl).toBe(`${emulator.url}/_emulator/sign/${autoSigner.recipientId}`);
    expect(JSON.stringify(state)).not.toContain("18251952320");
  });

  it("POST sign / reject / cancel / expire / fill act like the in-process helpers", async () => {
    const a = await create();
    const out = await post("sign", { flowGroupId: a.FlowGroupId, mobile: "18888888888" });
    expect(out).toEqual({
      status: 200,
      body: { ok: true, flowGroupId: a.FlowGroupId, groupStatus: "TOSIGN", flows: [{ flowId: a.FlowIds![0], status: "ALL" }] },
    });
    expect((await post("reject", { recipientId: a.Approvers![1]!.Approvers![1]!.RecipientId, message: "no" })).body.flows).toEqual([
      { flowId: a.FlowIds![1], status: "REJECT" },
    ]);
    expect((await post("cancel", { flowId: a.FlowIds![2] })).body.groupStatus).toBe("PART");
    const b = await create();
    expect((await post("expire", { flowGroupId: b.FlowGroupId })).body.groupStatus).toBe("INVALID");
    const c = await create("ess-example-4");
    const filled = await post("fill", {
      recipientId: c.Approvers![0]!.Approvers![0]!.RecipientId,
      name: "赵六",
      mobile: "13600000000",
      organizationName: "赵六示例企业",
    });
    expect(filled.body.flows).toEqual([{ flowId: c.FlowIds![0], status: "INIT" }]);
  });

  it.each([
    ["sign", {}, 400, "InvalidParameter"],
    ["sign", { recipientId: "yDnobody" }, 404, "ResourceNotFound"],
    ["fill", { flowGroupId: "yDnobody" }, 404, "ResourceNotFound"],
    ["faults", { bogus: 1 }, 400, "InvalidParameter"],
    ["faults", { internalErrorRate: 2 }, 400, "InvalidParameter"],
    ["callback-url", { edition: "esss", url: "http://x" }, 400, "InvalidParameter"],
    ["callback-url", { edition: "ess", url: "file:///etc/passwd" }, 400, "InvalidParameter"],
    ["nowhere", {}, 404, "ResourceNotFound"],
  ])("POST %s %j → %i %s", async (path, body, status, code) => {
    const out = await post(path, body);
    expect(out.status).toBe(status);
    expect(out.body.error.code).toBe(code);
  });

  it("refuses to sign twice with 409", async () => {
    const a = await create();
    await post("sign", { flowGroupId: a.FlowGroupId, mobile: "18888888888" });
    const again = await post("sign", { flowGroupId: a.FlowGroupId, mobile: "18888888888" });
    expect(again.status).toBe(409);
  });

  it("POST faults switches faults on; GET faults shows them; reset restores the start configuration", async () => {
    expect((await post("faults", { internalErrorNext: 1 })).status).toBe(200);
    expect(await get("faults")).toEqual({ internalErrorNext: 1 });
    expect((await sdkError(create())).code).toBe("InternalError");
    await post("faults", { internalErrorNext: 1 });
    expect((await post("reset", {})).status).toBe(200);
    expect(await get("faults")).toEqual({});
    await create();
  });

  it("POST callback-url points an edition's callbacks somewhere; GET callbacks/idle waits for them", async () => {
    await post("callback-url", { edition: "ess", url: receiver.url });
    await create("ess-example-3");
    const idle = await get("callbacks/idle?timeoutMs=5000");
    expect(idle.callbacks.acknowledged).toBe(3);
    expect(receiver.received.map((c) => c.envelope.MsgType)).toEqual(["FlowStatusChange", "FlowStatusChange", "FlowGroupStatusChange"]);
    expect(receiver.received.every((c) => c.signatureValid)).toBe(true);
  });

  it("GET stats counts calls and created groups; POST reset clears everything", async () => {
    await create();
    await sdkError(essClient(emulator).CreateFlowGroupByFiles({} as any));
    const stats = await get("stats");
    expect(stats).toMatchObject({ calls: { CreateFlowGroupByFiles: 2 }, groupsCreated: 1, errors: { MissingParameter: 1 } });
    await post("reset", {});
    expect(await get("stats")).toMatchObject({ calls: {}, groupsCreated: 0, errors: {} });
    expect((await get("state")).groups).toEqual([]);
  });
});

describe("sign page", () => {
  it("escapes every text it shows", async () => {
    const request = seed("ess-example-3");
    request.FlowGroupName = `<script>alert("x")</script>`;
    request.FlowGroupInfos[0].FlowName = `<img src=x onerror=alert(1)>`;
    const res = await essClient(emulator).CreateFlowGroupByFiles(request as any);
    const page = await fetch(`${emulator.url}/_emulator/sign/${res.Approvers![0]!.Approvers![1]!.RecipientId}`);
    const html = await page.text();
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    const index = await (await fetch(`${emulator.url}/_emulator/`)).text();
    expect(index).not.toContain("<script>alert");
  });

  it("its form signs every flow of the person and comes back to the page", async () => {
    const res = await create();
    const recipientId = res.Approvers![1]!.Approvers![0]!.RecipientId!; // 典子谦, flow 2
    const before = await (await fetch(`${emulator.url}/_emulator/sign/${recipientId}`)).text();
    expect(before).toContain('action="/_emulator/sign"');
    const posted = await fetch(`${emulator.url}/_emulator/sign`, {
      method: "POST",
      // A browser sends its page's origin with every form post.
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: emulator.url },
      body: new URLSearchParams({ recipientId }).toString(),
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toMatch(new RegExp(`^/_emulator/sign/${recipientId}\\?notice=`));
    const after = await (await fetch(`${emulator.url}${posted.headers.get("location")}`)).text();
    expect(after).toContain("Nothing left for you to sign");
    expect(emulator.state(res.FlowGroupId!).groups[0]!.flows[1]!.approvers[0]!.status).toBe("ACCEPT");
  });

  it("a preview link shows the page without the forms; an unknown link is a 404 page", async () => {
    const res = await create();
    const preview = await (await fetch(`${emulator.url}/_emulator/sign/${res.Approvers![1]!.Approvers![0]!.RecipientId}?preview=1`)).text();
    expect(preview).not.toContain("<form");
    expect((await fetch(`${emulator.url}/_emulator/sign/yDnothing`)).status).toBe(404);
  });
});
