import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm start` keeps the emulator's state beside the store, so a restart finds both as they were:
 * a group created and half signed before the restart is still known to the store AND to ESS (the
 * emulator), its remaining people get links and sign, and the callbacks of the restarted emulator
 * complete it. `npm run reset` then empties both — and refuses while a stack runs on the folder, or
 * when the folder holds something the stack did not write. Real processes, as a user runs them.
 */
const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const storeDir = mkdtempSync(path.join(tmpdir(), "restart-reset-"));
const env = { ...process.env, STORE_DIR: storeDir, STORE_FSYNC: "false", PORT: "0", EMULATOR_PORT: "0", NO_COLOR: "1", LOG_LEVEL: "warn" };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  rmSync(storeDir, { recursive: true, force: true });
});

function run(
  args: string[],
  until?: RegExp,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (until?.test(out)) resolve({ code: null, out, child });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("close", (code) => resolve({ code, out, child }));
  });
}

async function start() {
  const { out, child } = await run([tsx, "local/start.ts", "--no-deliveries"], /\nTry:/);
  const url = (label: RegExp) => label.exec(out)?.[1] ?? "";
  return {
    child,
    out,
    gateway: url(/One domain +(http:\/\/127\.0\.0\.1:\d+)/),
    emulator: url(/ESS emulator +(http:\/\/127\.0\.0\.1:\d+)/),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  const closed = new Promise((resolve) => child.on("close", resolve));
  process.kill(-child.pid!, "SIGTERM");
  await closed;
}

/** Opens a sign link and signs with the page's form, as a browser does. */
async function signThrough(link: string): Promise<void> {
  const page = await (await fetch(link)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
  const res = await fetch(new URL("/_emulator/sign", link), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(link).origin },
    body: new URLSearchParams({ token }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}

const json = (url: string, init?: RequestInit) => fetch(url, init).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const post = (url: string, body: unknown) =>
  json(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("npm start across a restart, then npm run reset", () => {
  it("resumes store and emulator together, and reset clears both", async () => {
    // Before the restart: upload, create, one person signs.
    let stack = await start();
    expect(stack.out).toContain(path.join(storeDir, "_emulator", "state.json"));
    expect(stack.out).toMatch(
      /\/ess\/files -F Operator\.UserId=\S+ \\\n\s+-F 'file=@local\/sample-files\/purchase-contract\.pdf;encoder=base64'/,
    );
    const pdf = readFileSync(path.join(root, "local/sample-files/nda.pdf")).toString("base64");
    const operator = "yDRCLUUgygq2xun5UuO4zjEwg0vjoimj";
    const files = await post(`${stack.gateway}/ess/files`, {
      Operator: { UserId: operator },
      Files: [
        { FileName: "a.pdf", FileBody: pdf },
        { FileName: "b.pdf", FileBody: pdf },
      ],
    });
    expect(files.status).toBe(200);
    const request = JSON.parse(readFileSync(path.join(root, "test/fixtures/seed/ess-example-3.request.json"), "utf8"));
    request.FlowGroupInfos.forEach((flow: any, i: number) => (flow.FileIds = [files.body.FileIds[i]]));
    const created = await post(`${stack.gateway}/ess/flow-groups`, request);
    expect(created.status).toBe(200);
    const id = created.body.FlowGroupId as string;
    const links = await post(`${stack.gateway}/flow-groups/${id}/sign-urls`, {});
    expect(links.body.SignUrls).toHaveLength(4);
    await signThrough(links.body.SignUrls[0].SignUrl);
    const signedOne = await until(
      () => json(`${stack.gateway}/flow-groups/${id}`),
      (r) => r.body.Flows?.some((f: any) => f.Approvers.some((a: any) => a.Status === "ACCEPT")),
    );
    expect(signedOne.body.Status).toBe("PART");

    // A reset while it runs is refused, and deletes nothing.
    const refused = await run([tsx, "local/reset.ts"]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/stop npm start first/);
    expect(existsSync(path.join(storeDir, "groups", id))).toBe(true);
    await stop(stack.child);

    // After the restart (new ports): the store still has the group, ESS (the emulator) still has it too.
    stack = await start();
    const after = await json(`${stack.gateway}/flow-groups/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.Status).toBe("PART");
    const remaining = await post(`${stack.gateway}/flow-groups/${id}/sign-urls`, {});
    expect(remaining.status).toBe(200);
    expect(remaining.body.SignUrls).toHaveLength(3);
    for (const link of remaining.body.SignUrls) await signThrough(link.SignUrl);
    const done = await until(
      () => json(`${stack.gateway}/flow-groups/${id}`),
      (r) => r.body.Status === "ALL",
    );
    expect(done.body.Status).toBe("ALL");
    await stop(stack.child);

    // Reset: both sides empty; the next start knows neither the group nor the upload.
    const reset = await run([tsx, "local/reset.ts"]);
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/the status store \(1 group\) and the emulator's state beside it removed/);
    stack = await start();
    expect((await json(`${stack.gateway}/flow-groups/${id}`)).status).toBe(404);
    const emulatorState = await json(`${stack.emulator}/_emulator/state`);
    expect(emulatorState.body.groups).toEqual([]);
    expect(emulatorState.body.files).toEqual([]);
    await stop(stack.child);
  }, 90_000);

  it("reset refuses a folder holding what the stack did not write, and deletes nothing", async () => {
    const other = mkdtempSync(path.join(tmpdir(), "reset-foreign-"));
    try {
      mkdirSync(path.join(other, "groups", "g"), { recursive: true });
      writeFileSync(path.join(other, "my-notes.txt"), "keep me");
      const refused = await run([tsx, "local/reset.ts"], undefined, { STORE_DIR: other });
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/my-notes\.txt, which the local stack did not write/);
      expect(readFileSync(path.join(other, "my-notes.txt"), "utf8")).toBe("keep me");
      expect(existsSync(path.join(other, "groups", "g"))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 30_000);
});
