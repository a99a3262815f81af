/**
 * `npm run demo`: the whole story on the embedded defaults, then exit.
 *
 * For each edition it creates contract groups from the documentation's own examples through the
 * local one-domain gateway (the official SDK calls the emulator), fills the dynamic approvers, signs as
 * every approver through the emulator (one signature per person covers every flow of the group
 * that names them), waits for the encrypted callbacks to be stored, and prints each group's
 * per-flow, per-approver status as the group-status function reports it. Exits 0 only if every
 * group reached ALL.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { startLocalStack } from "./stack";

const EXAMPLES = [
  { file: "ess-example-1.request.json", edition: "ess", story: "B2B with auto-sign, B2B, B2C" },
  { file: "ess-example-4.request.json", edition: "ess", story: "dynamic first approver in each flow" },
  { file: "essbasic-example-1.request.json", edition: "essbasic", story: "auto-sign company and a person" },
  { file: "essbasic-example-2.request.json", edition: "essbasic", story: "dynamic auto-signing company" },
] as const;

/** Who fills the dynamic approvers: the fixture's own verified employees (ids, no personal data). */
const FILL_AS = {
  ess: { userId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" },
  essbasic: { openId: "zk", organizationOpenId: "zk_online_org" },
} as const;

interface EmulatorApprover {
  recipientId: string;
  status: string;
  dynamic?: boolean;
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

async function main(): Promise<number> {
  // The functions' JSON request logs would drown the story; LOG_LEVEL=info shows them.
  const stack = await startLocalStack({ port: 0, emulatorPort: 0, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
  const { gateway, emulator } = stack;
  const admin = (route: string, body: unknown) =>
    fetch(`${emulator.url}/_emulator/${route}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(json);
  const approversOf = async (flowGroupId: string): Promise<EmulatorApprover[]> => {
    const state = await fetch(`${emulator.url}/_emulator/state?flowGroupId=${flowGroupId}`).then(json);
    return state.groups.flatMap((g: any) => g.flows.flatMap((f: any) => f.approvers));
  };

  console.log(`local stack: one domain ${gateway.url}, ${stack.functions.map((f) => `${f.name} ${f.url}`).join(", ")}`);
  console.log(`ESS emulator ${emulator.url} (callbacks to ${stack.callbackUrl}), store ${path.resolve(stack.storeDir)}`);
  if (stack.ignoredEnv.length > 0) console.log(`not used here: ${stack.ignoredEnv.join(", ")} (deploy settings from your shell; the local stack runs on its own)`);
  console.log("");
  const results: Array<{ example: string; flowGroupId?: string; status: string }> = [];
  try {
    for (const example of EXAMPLES) {
      const body = await readFile(path.join("test", "fixtures", "seed", example.file), "utf8");
      const created = await fetch(`${gateway.url}/${example.edition}/flow-groups`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      const answer = await json(created);
      if (created.status !== 200) {
        console.log(`✗ ${example.file}: create answered ${created.status} ${JSON.stringify(answer.Error ?? answer)}`);
        results.push({ example: example.file, status: `HTTP ${created.status}` });
        continue;
      }
      const flowGroupId: string = answer.FlowGroupId;
      console.log(`created ${example.edition} group ${flowGroupId} (${example.story}) from ${example.file}: ${answer.FlowIds.length} flows, ESS RequestId ${answer.RequestId}`);

      // Dynamic approvers are filled first, then every pending person signs once for the group.
      for (const approver of await approversOf(flowGroupId)) {
        if (approver.status === "FILLPENDING") await admin("fill", { recipientId: approver.recipientId, ...FILL_AS[example.edition] });
      }
      for (let round = 0; round < 10; round++) {
        const pending = (await approversOf(flowGroupId)).filter((a) => a.status === "PENDING");
        if (pending.length === 0) break;
        const outcome = await admin("sign", { recipientId: pending[0]!.recipientId });
        if (outcome.error) console.log(`  sign refused: ${outcome.error.code} ${outcome.error.message}`);
      }

      // The status comes from the store, fed only by the callbacks the emulator sent.
      await fetch(`${emulator.url}/_emulator/callbacks/idle?timeoutMs=10000`);
      let status = "";
      let view: any;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        view = await fetch(`${gateway.url}/flow-groups/${flowGroupId}`).then(json);
        status = view.Status;
        if (status === "ALL") break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      printGroup(view);
      results.push({ example: example.file, flowGroupId, status });
    }
  } finally {
    await emulator.waitForCallbacksIdle(5_000).catch(() => undefined);
    const callbacks = emulator.stats().callbacks;
    console.log(`callbacks: ${callbacks.messages} messages sent by the emulator, ${callbacks.acknowledged} acknowledged, ${callbacks.failed} failed`);
    await stack.stop();
  }
  const allSigned = results.every((r) => r.status === "ALL");
  console.log(allSigned ? `\nevery group reached ALL (${results.length} groups)` : `\nnot every group reached ALL: ${JSON.stringify(results)}`);
  return allSigned ? 0 : 1;
}

function printGroup(view: any) {
  console.log(`  group ${view.FlowGroupId} "${view.FlowGroupName}": ${view.Status} (ESS: ${view.EssGroupStatus ?? "-"}), ${view.EventCount} events`);
  for (const flow of view.Flows ?? []) {
    console.log(`    flow ${flow.FlowId} ${String(flow.FlowName ?? "").padEnd(24)} ${flow.Status.padEnd(6)} ${flow.EventCount} events`);
    for (const a of flow.Approvers ?? []) {
      console.log(`      approver ${a.RecipientId} ${String(a.ApproverRoleName || "").padEnd(4)} ${a.Status.padEnd(8)} ${a.EventCount} events, last ${a.LastEventAt ?? "-"}`);
    }
  }
  console.log("");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`demo failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
