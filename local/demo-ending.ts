import type { LocalStack } from "./stack";

/**
 * How `npm run demo` ends, after every group was signed: one more group is created and cancelled
 * (POST …/cancel: each flow's outcome, then CANCEL from ESS's callbacks), the signed groups' PDFs
 * are found archived by the outbox function (GET …/files), and the notifications the local
 * receiver got are counted. Answers whether all of it happened.
 */
export async function cancelAndArchive(
  stack: LocalStack,
  signed: readonly string[],
  createExtra: () => Promise<string | undefined>,
): Promise<boolean> {
  const { gateway, emulator } = stack;
  const getJson = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
  };
  let ok = true;

  // 1. One more group, cancelled as a whole.
  const extra = await createExtra();
  if (extra === undefined) return false;
  const cancel = await getJson(`${gateway.url}/flow-groups/${extra}/cancel`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ Reason: "演示：合同发错，撤销 (demo: sent by mistake)" }),
  });
  console.log(`cancelled group ${extra}: HTTP ${cancel.status}${cancel.body.TaskId ? `, ESS task ${cancel.body.TaskId}` : ""}`);
  for (const flow of cancel.body.Flows ?? [])
    console.log(`    flow ${flow.FlowId} ${flow.StatusBefore} → ${flow.Result}${flow.Code ? ` (${flow.Code})` : ""}`);
  await fetch(`${emulator.url}/_emulator/callbacks/idle?timeoutMs=10000`);
  const after = await until(async () => {
    const view = (await getJson(`${gateway.url}/flow-groups/${extra}`)).body;
    return view.Status === "CANCEL" ? view : undefined;
  }, 15_000);
  console.log(`  group ${extra}: ${after?.Status ?? "not CANCEL"} after ESS's callbacks\n`);
  ok &&= cancel.status === 200 && after !== undefined;

  // 2. The signed groups' PDFs, archived by the outbox function on its timer.
  for (const flowGroupId of signed) {
    const files = await until(async () => {
      const answer = (await getJson(`${gateway.url}/flow-groups/${flowGroupId}/files`)).body;
      return answer.Files?.every((f: any) => f.Archive.State === "DONE") ? answer.Files : undefined;
    }, 30_000);
    if (files === undefined) {
      console.log(`✗ group ${flowGroupId}: signed PDFs not archived in time`);
      ok = false;
      continue;
    }
    console.log(`signed PDFs of group ${flowGroupId}, archived in ${stack.storeDir}:`);
    for (const file of files)
      console.log(`    ${file.Archive.Keys.join(", ")}  ${file.Archive.Bytes} bytes  sha256 ${file.Archive.Sha256.slice(0, 16)}…`);
  }

  // 3. What the backend was told: each group's last notification shows its status now.
  const received = stack.notify.receiver?.received ?? [];
  const expected = new Map<string, string>([...signed.map((id): [string, string] => [id, "ALL"]), [extra, "CANCEL"]]);
  const lastOf = (id: string) => received.filter((r) => r.event.data.FlowGroupId === id).at(-1)?.event;
  await until(async () => ([...expected].every(([id, status]) => lastOf(id)?.data.Status === status) ? true : undefined), 15_000);
  console.log(`\nnotifications received by the local receiver (each signature checked): ${received.length}`);
  for (const [id, status] of expected) {
    const last = lastOf(id);
    const expectedNote = last?.data.Status === status ? "" : ` (expected ${status})`;
    console.log(`    group ${id}: last #${last?.sequence ?? "-"} ${last?.data.Status ?? "none"}${expectedNote}`);
    ok &&= last?.data.Status === status;
  }
  return ok;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
