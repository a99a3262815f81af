import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ancestors } from "../../local/process-lifetime";

/**
 * `kill <npm pid>` stops `npm start`'s servers: npm → sh → tsx → node, and sh passes no signal
 * on, so the stack notices its launcher has gone (local/process-lifetime.ts). Real processes, on
 * port 0, in a process group of their own that the test removes whatever happens.
 */
const root = path.resolve(__dirname, "../..");
const storeDir = mkdtempSync(path.join(tmpdir(), "process-lifetime-"));
const groups: number[] = [];

afterAll(() => {
  for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
  rmSync(storeDir, { recursive: true, force: true });
});

/** Whether any process of the group still runs (an exited one that no one reaped yet does not count). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let states: string[];
  try {
    states = execFileSync("ps", ["-o", "stat=", "-g", String(pgid)], { encoding: "utf8" }).split("\n");
  } catch {
    return false; // ps exits 1 when the group has no process left
  }
  return states.some((stat) => stat.trim() !== "" && !stat.trim().startsWith("Z"));
}

/** npm running `script`, once it served; `drained` settles when every process writing to its output has closed it. */
function startNpm(script: string): Promise<ChildProcess & { output: () => string; drained: Promise<unknown> }> {
  const env = { ...process.env, PORT: "0", EMULATOR_PORT: "0", STORE_DIR: storeDir, STORE_FSYNC: "false", NO_COLOR: "1" };
  const child = spawn("npm", ["run", "-s", script], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.push(child.pid!);
  let out = "";
  return new Promise((resolve, reject) => {
    const drained = Promise.all([child.stdout!, child.stderr!].map((stream) => new Promise((done) => stream.on("close", done))));
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/\nTry:/.test(out)) resolve(Object.assign(child, { output: () => out, drained }));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("close", (code) => reject(new Error(`npm ${script} ended (${code}) before it served: ${out.slice(-500)}`)));
  });
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 100))) if (condition()) return true;
  return condition();
}

describe("servers started by npm scripts stop with npm", () => {
  it("kill <npm pid> (SIGTERM to npm alone) stops every process of npm start", async () => {
    const npm = await startNpm("start");
    process.kill(npm.pid!, "SIGTERM");
    // Noticed within a second, ended within the 3 s grace: 20 s leaves room for a loaded machine.
    const stopped = await until(() => !groupAlive(npm.pid!), 20_000);
    // What is left, for the failure report (shown only when this test fails).
    if (!stopped)
      console.log(
        npm.output().slice(-300),
        execFileSync("sh", ["-c", `ps -o pid,ppid,stat,etime,cmd -g ${npm.pid} | cut -c1-150; true`], { encoding: "utf8" }),
      );
    expect(stopped).toBe(true);
    await npm.drained;
    // It says why it stopped: npm's own SIGTERM to sh ends sh, not the server, which notices its launchers have gone.
    expect(npm.output()).toMatch(/stopping: (SIGTERM|process \d+, which started this one, has gone)/);
  }, 60_000);

  it("knows its launchers: the parent first", () => {
    const chain = ancestors(4);
    expect(chain[0]).toBe(process.ppid);
    expect(chain).not.toContain(1);
    expect(chain.length).toBeLessThanOrEqual(4);
  });
});
