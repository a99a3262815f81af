/**
 * `npm run demo`: the whole story from real files, on the embedded defaults, then exit.
 *
 * 1. uploads the contract PDFs the repo ships (local/sample-files) through `POST /ess/files`
 *    (multipart, base64 parts, as `curl -F 'file=@…;encoder=base64'`) and `POST /essbasic/files`
 *    (JSON), and gets FileIds back;
 * 2. creates groups from the documentation's examples with those FileIds in place of theirs;
 * 3. asks `POST /flow-groups/{id}/sign-urls` for each person's link and signs through it as a person
 *    would: over HTTP, opening the emulator's sign page and posting its form (a dynamic party first
 *    says who it is on the same page), round after round until nobody is left;
 * 4. waits for the encrypted callbacks to be stored and prints, from `GET /flow-groups/{id}`, who
 *    signed each flow (names and mobiles masked: this is a log).
 * 5. cancels one more group (`POST /flow-groups/{id}/cancel`), shows each signed group's PDFs as the
 *    outbox function archived them (`GET /flow-groups/{id}/files`), and the last push notification
 *    the local receiver got for each group (`demo-ending.ts`).
 *
 * Exits 0 only if every group reached ALL, the extra group CANCEL and every signed PDF was archived.
 * Runs in its own stack and store folder (a temporary one, removed at the end), so it never touches
 * what `npm start` keeps in `.data/`.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { maskMobile, maskName } from "../shared/log/mask";
import { cancelAndArchive } from "./demo-ending";
import { startLocalStack, type LocalStack } from "./stack";

const SAMPLES = ["purchase-contract.pdf", "nda.pdf", "service-agreement.pdf"];

interface Story {
  example: string;
  edition: "ess" | "essbasic";
  story: string;
}

const STORIES: Story[] = [
  { example: "ess-example-1.request.json", edition: "ess", story: "B2B with an auto-signing company, B2B, B2C" },
  { example: "ess-example-4.request.json", edition: "ess", story: "a dynamic first party in each flow, who says who it is on its link" },
  { example: "essbasic-example-1.request.json", edition: "essbasic", story: "auto-signing companies and one person across three flows" },
  { example: "essbasic-example-2.request.json", edition: "essbasic", story: "a dynamic auto-signing company, and one person" },
];

/** Who claims a dynamic party's link (invented; printed masked). */
const CLAIMANT = { organizationName: "示例采购有限公司", name: "赵六", mobile: "13900001234" };

/**
 * A dynamic auto-signing company (essbasic example 2) gets no link: it is filled in by the company
 * in the platform's console. The emulator's admin API stands in for that console, once per group.
 */
const CONSOLE_FILL = { essbasic: { openId: "zk", organizationOpenId: "zk_online_org" } } as const;

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text.slice(0, 200) };
  }
}

/** A multipart body as `curl -F 'file=@x.pdf;encoder=base64' -F name=value` sends it. */
function multipart(fields: Record<string, string>, files: Array<{ name: string; bytes: Buffer }>): { body: Buffer; type: string } {
  const boundary = `----demo${Date.now().toString(36)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const file of files) {
    const headers = [
      `Content-Disposition: form-data; name="file"; filename="${file.name}"`,
      "Content-Type: application/pdf",
      "Content-Transfer-Encoding: base64",
    ].join("\r\n");
    parts.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n${file.bytes.toString("base64")}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads the samples for `edition` as `identity` (multipart for ess, JSON for essbasic, to show both). */
async function upload(stack: LocalStack, edition: "ess" | "essbasic", request: Record<string, any>): Promise<string[]> {
  const files = await Promise.all(SAMPLES.map(async (name) => ({ name, bytes: await readFile(path.join("local", "sample-files", name)) })));
  let res: Response;
  if (edition === "ess") {
    const { body, type } = multipart({ "Operator.UserId": request.Operator.UserId }, files);
    res = await fetch(`${stack.gateway.url}/ess/files`, { method: "POST", headers: { "Content-Type": type }, body });
  } else {
    const body = JSON.stringify({
      Agent: request.Agent,
      Files: files.map((f) => ({ FileName: f.name, FileBody: f.bytes.toString("base64") })),
    });
    res = await fetch(`${stack.gateway.url}/essbasic/files`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  }
  const answer = await json(res);
  if (res.status !== 200) throw new Error(`upload answered ${res.status} ${JSON.stringify(answer.Error ?? answer)}`);
  const shown = answer.Files.map((f: any) => `${f.FileName} (${f.Pages} pages)`).join(", ");
  console.log(`uploaded ${shown} through POST /${edition}/files: FileIds ${answer.FileIds.join(", ")}, valid until ${answer.ExpiresAt}`);
  return answer.FileIds;
}

const OUTCOME_TEXT = { signed: "signed", "not-your-turn": "waits: not their turn yet", nothing: "had nothing to sign" } as const;

/** Opens a sign link as a browser does and acts on its page: claims first if it asks, then signs. */
async function actThroughLink(link: { SignUrl: string; Kind: string }): Promise<"signed" | "not-your-turn" | "nothing"> {
  let page = await (await fetch(link.SignUrl)).text();
  const post = async (action: string, fields: Record<string, string>) => {
    const res = await fetch(new URL(`/_emulator/${action}`, link.SignUrl), {
      method: "POST",
      // A browser sends its page's origin with every form post.
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(link.SignUrl).origin },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
    if (res.status !== 303)
      throw new Error(
        `the sign page's ${action} form answered ${res.status}: ${(await res.text()).replace(/<[^>]+>/g, " ").slice(0, 200)}`,
      );
    page = await (await fetch(new URL(res.headers.get("location")!, link.SignUrl))).text();
  };
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  if (page.includes('action="/_emulator/fill"') && token) {
    const fields: Record<string, string> = { token, name: CLAIMANT.name, mobile: CLAIMANT.mobile };
    if (page.includes('name="organizationName"')) fields.organizationName = CLAIMANT.organizationName;
    await post("fill", fields);
  }
  if (page.includes("Not your turn yet")) return "not-your-turn";
  if (!page.includes('action="/_emulator/sign"') || !token) return "nothing";
  await post("sign", { token });
  return "signed";
}

async function signGroup(stack: LocalStack, flowGroupId: string, edition: "ess" | "essbasic"): Promise<void> {
  for (let round = 1; round <= 6; round++) {
    const res = await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}/sign-urls`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    const answer = await json(res);
    if (res.status !== 200) throw new Error(`sign-urls answered ${res.status} ${JSON.stringify(answer.Error ?? answer)}`);
    const links: any[] = answer.SignUrls;
    const waitingCompany = round === 1 && edition === "essbasic" && (await hasDynamicAutoSigner(stack, flowGroupId));
    if (links.length === 0 && !waitingCompany) return;
    for (const link of links) {
      const who = link.Kind === "FILL" ? `the dynamic ${link.ApproverRoleName ?? "party"}` : holder(link);
      const outcome = await actThroughLink(link);
      console.log(
        `  round ${round}: ${who} (${link.ApproverType}, ${link.Approvals.length} flow${link.Approvals.length === 1 ? "" : "s"}) ${
          link.Kind === "FILL" ? "claimed and " : ""
        }${OUTCOME_TEXT[outcome]} via ${link.EssAction} (${link.Opens})`,
      );
    }
    if (waitingCompany) {
      const filled = await fetch(`${stack.emulator.url}/_emulator/fill`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ flowGroupId, ...CONSOLE_FILL.essbasic }),
      });
      console.log(
        `  round ${round}: the dynamic auto-signing company was filled in its console ` +
          `(emulator admin API: ${filled.status}); it signs with its seal`,
      );
    }
    // Callbacks bring the new states into the store before the next round asks who is left.
    await stack.emulator.waitForCallbacksIdle(10_000);
  }
}

async function hasDynamicAutoSigner(stack: LocalStack, flowGroupId: string): Promise<boolean> {
  const view = await json(await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}`));
  return (view.Flows ?? []).some((f: any) =>
    f.Approvers.some((a: any) => a.Dynamic && a.ApproverType === "ENTERPRISESERVER" && a.Status !== "ACCEPT"),
  );
}

/** A link's holder, masked: name (or the id the request named them by), mobile, organization. */
function holder(a: {
  ApproverName?: string;
  ApproverMobile?: string;
  OrganizationName?: string;
  OpenId?: string;
  UserId?: string;
}): string {
  const name = a.ApproverName ? maskName(a.ApproverName) : a.OpenId ? `OpenId ${a.OpenId}` : a.UserId ? `UserId ${a.UserId}` : "?";
  const mobile = a.ApproverMobile ? ` ${maskMobile(a.ApproverMobile)}` : "";
  return `${name}${mobile}${a.OrganizationName ? ` of ${a.OrganizationName}` : ""}`;
}

async function waitForAll(stack: LocalStack, flowGroupId: string): Promise<any> {
  await stack.emulator.waitForCallbacksIdle(10_000).catch(() => undefined);
  let view: any;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    view = await json(await fetch(`${stack.gateway.url}/flow-groups/${flowGroupId}`));
    if (view.Status === "ALL") break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return view;
}

function printWhoSigned(view: any) {
  console.log(`  group "${view.FlowGroupName}": ${view.Status} (ESS: ${view.EssGroupStatus ?? "-"}), ${view.EventCount} events`);
  for (const flow of view.Flows ?? []) {
    console.log(`    flow "${flow.FlowName}": ${flow.Status}`);
    for (const a of flow.Approvers ?? []) {
      const who = a.Dynamic ? `dynamic ${a.ApproverRoleName ?? "party"}` : holder(a);
      const when = a.Status === "ACCEPT" ? `signed, last event ${a.LastEventAt ?? "-"}` : a.Status;
      console.log(`      ${a.ApproverType.padEnd(16)} ${who.padEnd(40)} ${when}`);
    }
  }
}

async function main(): Promise<number> {
  const storeDir = await mkdtemp(path.join(tmpdir(), "ess-demo-"));
  // The functions' JSON request logs would drown the story; LOG_LEVEL=info shows them.
  // The outbox function runs every second here (every 5 s when deployed), so the ending need not wait long.
  const stack = await startLocalStack({
    port: 0,
    emulatorPort: 0,
    storeDir,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
    timerPeriodMs: 1_000,
  });
  console.log(`local stack: one domain ${stack.gateway.url}, ${stack.functions.map((f) => `${f.name} ${f.url}`).join(", ")}`);
  console.log(`ESS emulator ${stack.emulator.url} (callbacks to ${stack.callbackUrl}), store ${storeDir} (removed at the end)`);
  if (stack.ignoredEnv.length > 0)
    console.log(`not used here: ${stack.ignoredEnv.join(", ")} (deploy settings from your shell; the local stack runs on its own)`);
  const results: Array<{ example: string; status: string; flowGroupId?: string }> = [];
  const fileIds: Partial<Record<"ess" | "essbasic", string[]>> = {};
  let ending = false;
  try {
    for (const story of STORIES) {
      console.log("");
      const request = JSON.parse(await readFile(path.join("test", "fixtures", "seed", story.example), "utf8"));
      // FileIds work for an hour and may be used again: one upload per edition serves its groups.
      fileIds[story.edition] ??= await upload(stack, story.edition, request);
      const flows: any[] = story.edition === "ess" ? request.FlowGroupInfos : request.FlowFileInfos;
      flows.forEach((flow, i) => (flow.FileIds = [fileIds[story.edition]![i % SAMPLES.length]]));
      const created = await fetch(`${stack.gateway.url}/${story.edition}/flow-groups`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
      });
      const answer = await json(created);
      if (created.status !== 200) {
        console.log(`✗ ${story.example}: create answered ${created.status} ${JSON.stringify(answer.Error ?? answer)}`);
        results.push({ example: story.example, status: `HTTP ${created.status}` });
        continue;
      }
      console.log(
        `created ${story.edition} group ${answer.FlowGroupId} from ${story.example} with the uploaded FileIds ` +
          `(${story.story}): ${answer.FlowIds.length} flows`,
      );
      await stack.emulator.waitForCallbacksIdle(10_000);
      await signGroup(stack, answer.FlowGroupId, story.edition);
      const view = await waitForAll(stack, answer.FlowGroupId);
      printWhoSigned(view);
      results.push({ example: story.example, status: view.Status, flowGroupId: answer.FlowGroupId });
    }
    // The ending: one more group (from the same uploaded PDFs) cancelled, the signed ones' PDFs archived.
    const signed = results.flatMap((r) => (r.status === "ALL" && r.flowGroupId ? [r.flowGroupId] : []));
    ending = await cancelAndArchive(stack, signed, async () => {
      const request = JSON.parse(await readFile(path.join("test", "fixtures", "seed", "ess-example-3.request.json"), "utf8"));
      fileIds.ess ??= await upload(stack, "ess", request);
      request.FlowGroupInfos.forEach((flow: any, i: number) => (flow.FileIds = [fileIds.ess![i % SAMPLES.length]]));
      const created = await fetch(`${stack.gateway.url}/ess/flow-groups`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
      });
      const answer = await json(created);
      console.log(`\ncreated one more group ${answer.FlowGroupId ?? `(HTTP ${created.status})`}, to cancel it`);
      return created.status === 200 ? (answer.FlowGroupId as string) : undefined;
    });
  } finally {
    await stack.emulator.waitForCallbacksIdle(5_000).catch(() => undefined);
    const callbacks = stack.emulator.stats().callbacks;
    console.log(
      `\ncallbacks: ${callbacks.messages} messages sent by the emulator, ` +
        `${callbacks.acknowledged} acknowledged, ${callbacks.failed} failed`,
    );
    await stack.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
  const allSigned = results.length === STORIES.length && results.every((r) => r.status === "ALL");
  console.log(
    allSigned ? `\nevery group reached ALL (${results.length} groups)` : `\nnot every group reached ALL: ${JSON.stringify(results)}`,
  );
  console.log(ending ? "the extra group was cancelled, every signed PDF archived" : "the cancel or the archive did not complete");
  return allSigned && ending ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`demo failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
