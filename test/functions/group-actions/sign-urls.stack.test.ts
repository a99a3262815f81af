import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { startLocalStack, type LocalStack } from "../../../local/stack";

/**
 * POST /flow-groups/{FlowGroupId}/sign-urls through the real handler on the local stack: the group
 * is created through create-group (official SDK → emulator), the links come from the emulator's
 * group-level actions through the official SDK, and a person signs through their link over HTTP,
 * as in a browser. ESS calls are counted on the emulator; bad requests reach neither ESS nor the store.
 */
const API_KEY = "sign-urls-test-api-key";
const OTHER_KEY = "sign-urls-test-other-key";
let stack: LocalStack;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), "sign-urls-"));
  stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: "error", STORE_FSYNC: "false", API_KEY_HASHES: `${hashApiKey(API_KEY)},${hashApiKey(OTHER_KEY)}` },
    emulator: { callback: { retry: { maxAttempts: 8, initialDelayMs: 20, factor: 1.5, maxDelayMs: 200, timeoutMs: 2_000 } } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

beforeEach(() => {
  stack.emulator.setFaults({});
});

const auth = (key = API_KEY) => ({ Authorization: `Bearer ${key}` });

async function create(edition: "ess" | "essbasic", file: string): Promise<{ FlowGroupId: string; FlowIds: string[]; Approvers: any[] }> {
  const res = await fetch(`${stack.gateway.url}/${edition}/flow-groups`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...auth() },
    body: await readFile(path.join("test", "fixtures", "seed", file), "utf8"),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { FlowGroupId: string; FlowIds: string[]; Approvers: any[] };
  await stack.emulator.waitForCallbacksIdle(10_000);
  return body;
}

async function signUrls(flowGroupId: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}/sign-urls`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...auth(), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const linkCalls = () => {
  const calls = stack.emulator.stats().calls;
  return ["CreateBatchQuickSignUrl", "CreateSchemeUrl", "ChannelCreateBatchQuickSignUrl", "CreateSignUrls"].reduce(
    (n, a) => n + (calls[a] ?? 0),
    0,
  );
};

/** Every file under the store with its size and modification time: equal before and after means nothing was written. */
async function storeFingerprint(): Promise<string> {
  const lines: string[] = [];
  // The outbox function writes outbox/ and archive/ on its own timer, whatever a request does.
  const outboxOwned = new Set([path.join(storeDir, "outbox"), path.join(storeDir, "archive")]);
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (outboxOwned.has(full)) continue;
      if (entry.isDirectory()) await walk(full);
      else lines.push(`${full} ${(await stat(full)).size} ${(await stat(full)).mtimeMs}`);
    }
  };
  await walk(storeDir);
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex");
}

/** Opens a link as a browser would and signs with the page's own form; the answer the page gives after. */
async function signThroughLink(url: string): Promise<string> {
  const page = await (await fetch(url)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  expect(token, "the sign page carries its form").toBeDefined();
  const signed = await fetch(new URL("/_emulator/sign", url), {
    method: "POST",
    // A browser sends its page's origin with every form post (the emulator refuses forms without it).
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(url).origin },
    body: new URLSearchParams({ token: token! }).toString(),
    redirect: "manual",
  });
  expect(signed.status).toBe(303);
  return (await fetch(new URL(signed.headers.get("location")!, url))).text();
}

describe("sign links for a whole group", () => {
  it("ess: one H5 link per person, none for the auto-signer, each covering that person's flows", async () => {
    const group = await create("ess", "ess-example-1.request.json");
    const before = linkCalls();
    const started = Date.now();
    const res = await signUrls(group.FlowGroupId);

    expect(res.status).toBe(200);
    expect(res.body.FlowGroupId).toBe(group.FlowGroupId);
    expect(res.body.Errors).toBeUndefined();
    // Flow 1: auto-signer + 张三示例企业; flow 2: 典子谦示例企业 (same person as the auto-signer, not auto here) + 李四示例企业;
    // flow 3: 王五示例企业 + a person. Five people, five links; the auto-signer none.
    expect(res.body.SignUrls).toHaveLength(5);
    expect(linkCalls() - before).toBe(5);
    for (const link of res.body.SignUrls) {
      expect(link).toMatchObject({ Kind: "SIGN", Opens: "H5", EssAction: "CreateBatchQuickSignUrl" });
      expect(link.EssRequestId).toMatch(/^s/);
      const expires = Date.parse(link.ExpiresAt);
      expect(expires).toBeGreaterThanOrEqual(started + 1800_000 - 2_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 1800_000);
      const page = await fetch(link.SignUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Sign all");
    }
    const kinds = res.body.SignUrls.map((l: any) => `${l.ApproverType}/${l.EssApproverType}`).sort();
    expect(kinds).toEqual(["ORGANIZATION/0", "ORGANIZATION/0", "ORGANIZATION/0", "ORGANIZATION/0", "PERSON/1"]);
    const covered = res.body.SignUrls.flatMap((l: any) => l.Approvals.map((a: any) => a.FlowId));
    expect(new Set(covered)).toEqual(new Set(group.FlowIds));
    const autoSigner = group.Approvers[0].Approvers[0].RecipientId;
    expect(res.body.SignUrls.flatMap((l: any) => l.Approvals.map((a: any) => a.RecipientId))).not.toContain(autoSigner);
  });

  it("essbasic: the person of every flow gets one link over the three flows, signs through it, and the group reaches ALL", async () => {
    const group = await create("essbasic", "essbasic-example-1.request.json");
    const res = await signUrls(group.FlowGroupId, { ExpiresIn: 86_400 });

    expect(res.status).toBe(200);
    expect(res.body.SignUrls).toHaveLength(1);
    const [link] = res.body.SignUrls;
    expect(link).toMatchObject({
      Kind: "SIGN",
      ApproverType: "PERSON",
      EssApproverType: "PERSON",
      EssAction: "ChannelCreateBatchQuickSignUrl",
    });
    expect(link.Approvals.map((a: any) => a.FlowId)).toEqual(group.FlowIds);
    expect(Date.parse(link.ExpiresAt) - Date.now()).toBeGreaterThan(86_400_000 - 10_000);

    const after = await signThroughLink(link.SignUrl);
    expect(after).toContain("Signed.");
    await stack.emulator.waitForCallbacksIdle(10_000);
    const status = await fetch(`${stack.gateway.url}/flow-groups/${group.FlowGroupId}`, { headers: auth() }).then(
      (r) => r.json() as Promise<any>,
    );
    expect(status.Status).toBe("ALL");

    // Nobody is left to sign: no link, no ESS call.
    const calls = linkCalls();
    const again = await signUrls(group.FlowGroupId);
    expect(again.status).toBe(200);
    expect(again.body.SignUrls).toEqual([]);
    expect(linkCalls()).toBe(calls);
  });

  it("ess: dynamic approvers of an organization get one claim link (mini program, 90 days) over their slots", async () => {
    const group = await create("ess", "ess-example-4.request.json");
    const res = await signUrls(group.FlowGroupId);

    expect(res.status).toBe(200);
    const fill = res.body.SignUrls.filter((l: any) => l.Kind === "FILL");
    expect(fill).toHaveLength(1);
    expect(fill[0]).toMatchObject({
      EssAction: "CreateSchemeUrl",
      Opens: "MINI_PROGRAM",
      ApproverType: "ORGANIZATION",
      ApproverRoleName: "甲方",
    });
    expect(fill[0].Approvals).toHaveLength(3);
    expect(Date.parse(fill[0].ExpiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const page = await (await fetch(fill[0].SignUrl)).text();
    expect(page).toContain("Claim and continue");
    expect(res.body.SignUrls.filter((l: any) => l.Kind === "SIGN")).toHaveLength(3);
  });

  it("one approver by RecipientId, or by mobile: only that person's link", async () => {
    const group = await create("ess", "ess-example-3.request.json");
    const zhang = group.Approvers[0].Approvers[1].RecipientId;
    const before = linkCalls();
    const byId = await signUrls(group.FlowGroupId, { RecipientId: zhang });
    expect(byId.status).toBe(200);
    expect(byId.body.SignUrls).toHaveLength(1);
    expect(byId.body.SignUrls[0].Approvals.map((a: any) => a.RecipientId)).toEqual([zhang]);

    const byMobile = await signUrls(group.FlowGroupId, { Mobile: "13200000000" });
    expect(byMobile.status).toBe(200);
    expect(byMobile.body.SignUrls).toHaveLength(1);
    expect(byMobile.body.SignUrls[0].ApproverType).toBe("PERSON");
    expect(linkCalls() - before).toBe(2);
  });

  it("a transient ESS failure is retried: every link still comes back", async () => {
    const group = await create("ess", "ess-example-3.request.json");
    stack.emulator.setFaults({ internalErrorNext: 1, actions: ["CreateBatchQuickSignUrl"] });
    const res = await signUrls(group.FlowGroupId);
    expect(res.status).toBe(200);
    expect(res.body.Errors).toBeUndefined();
    expect(res.body.SignUrls).toHaveLength(4);
  });

  it("when ESS refuses one link (its callbacks have not arrived yet), the others come back with the refusal beside them", async () => {
    const group = await create("ess", "ess-example-3.request.json");
    const zhang = group.Approvers[0].Approvers[1].RecipientId;
    // 张三 signs while the callbacks do not reach this service: the store still says PENDING.
    stack.emulator.setCallbackUrl("ess", undefined);
    stack.emulator.sign({ recipientId: zhang });
    stack.emulator.setCallbackUrl("ess", stack.callbackUrl);

    const res = await signUrls(group.FlowGroupId);
    expect(res.status).toBe(200);
    expect(res.body.SignUrls).toHaveLength(3);
    expect(res.body.Errors).toHaveLength(1);
    expect(res.body.Errors[0]).toMatchObject({ Kind: "SIGN", Error: { Code: "OperationDenied.FlowStatusForbid" } });
    expect(res.body.Errors[0].Approvals.map((a: any) => a.RecipientId)).toEqual([zhang]);
    expect(res.body.Errors[0].Error.EssRequestId).toMatch(/^s/);

    // Asked for alone, the refusal is the answer.
    const alone = await signUrls(group.FlowGroupId, { RecipientId: zhang });
    expect(alone.status).toBe(502);
    expect(alone.body.Error.Code).toBe("OperationDenied.FlowStatusForbid");
  });

  it("when ESS fails every link, the request fails with its error", async () => {
    const group = await create("ess", "ess-example-3.request.json");
    stack.emulator.setFaults({ internalErrorRate: 1, actions: ["CreateBatchQuickSignUrl"] });
    const none = await signUrls(group.FlowGroupId);
    expect(none.status).toBe(502);
    expect(none.body.Error.Code).toBe("InternalError.Ess");
  });
});

describe("bad requests reach neither ESS nor the store", () => {
  let flowGroupId: string;
  let autoSigner: string;
  beforeAll(async () => {
    const group = await create("ess", "ess-example-1.request.json");
    flowGroupId = group.FlowGroupId;
    autoSigner = group.Approvers[0].Approvers[0].RecipientId;
  });

  it.each([
    ["an unknown field", { RecipientID: "x" }, 400, "UnknownParameter"],
    ["a RecipientId that is not one", { RecipientId: "not an id!" }, 400, "InvalidParameter.RecipientId"],
    ["a mobile that is not one", { Mobile: "12345" }, 400, "InvalidParameter.Mobile"],
    ["both RecipientId and Mobile", { RecipientId: "abc", Mobile: "13200000000" }, 400, "InvalidParameter.Mobile"],
    ["a lifetime under 30 minutes", { ExpiresIn: 60 }, 400, "InvalidParameter.ExpiresIn"],
    ["a lifetime over 90 days", { ExpiresIn: 7_776_001 }, 400, "InvalidParameter.ExpiresIn"],
    ["a lifetime that is not whole seconds", { ExpiresIn: "3600" }, 400, "InvalidParameter.ExpiresIn"],
    ["a JumpUrl that is not http(s)", { JumpUrl: "javascript:alert(1)" }, 400, "InvalidParameter.JumpUrl"],
    ["a body that is not an object", [1, 2], 400, "InvalidParameter.Body"],
    ["a body that is not JSON", "{RecipientId:", 400, "InvalidParameter.Body"],
    ["a RecipientId not in the group", { RecipientId: "yDwhsUUckpshdr2qUx7cXkIcLLb0wsbX" }, 404, "ResourceNotFound.FlowApprover"],
    ["a mobile not in the group", { Mobile: "13900000000" }, 404, "ResourceNotFound.FlowApprover"],
  ])("%s", async (_what, body, status, code) => {
    const [calls, stored] = [linkCalls(), await storeFingerprint()];
    const res = await signUrls(flowGroupId, body);
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    // Our RequestId is a random UUID whose digits can look like a mobile: leave it out of the scan.
    expect(JSON.stringify({ ...res.body, RequestId: "" })).not.toMatch(/(?<![0-9A-Za-z])1[3-9]\d{9}(?!\d)/);
    expect(linkCalls()).toBe(calls);
    expect(await storeFingerprint()).toBe(stored);
  });

  it("the auto-signer by RecipientId → 409: it signs without a link", async () => {
    const calls = linkCalls();
    const res = await signUrls(flowGroupId, { RecipientId: autoSigner });
    expect(res.status).toBe(409);
    expect(res.body.Error.Code).toBe("OperationDenied.NothingToSign");
    expect(linkCalls()).toBe(calls);
  });

  it("another API key's group → 404, as if it did not exist", async () => {
    const [calls, stored] = [linkCalls(), await storeFingerprint()];
    const res = await signUrls(flowGroupId, undefined, auth(OTHER_KEY));
    expect(res.status).toBe(404);
    expect(res.body.Error.Code).toBe("ResourceNotFound.FlowGroup");
    expect(linkCalls()).toBe(calls);
    expect(await storeFingerprint()).toBe(stored);
  });

  it.each([
    ["a group nobody created here", "yDwhsUUckpshdr2qUx7cXkIcLLb0wsbe", {}, 404, "ResourceNotFound.FlowGroup"],
    ["an id that is not a FlowGroupId", "not-an-id", {}, 400, "InvalidParameter.FlowGroupId"],
    ["a body declared as a PDF", "", { "Content-Type": "application/pdf" }, 415, "InvalidParameter.ContentType"],
    ["no API key", "", { Authorization: "" }, 401, "AuthFailure.MissingApiKey"],
  ])("%s", async (_what, id, headers, status, code) => {
    const [calls, stored] = [linkCalls(), await storeFingerprint()];
    const res = await signUrls(id || flowGroupId, { RecipientId: autoSigner.slice(0, 10) }, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.Error.Code).toBe(code);
    expect(linkCalls()).toBe(calls);
    expect(await storeFingerprint()).toBe(stored);
  });
});
