import { readFileSync } from "node:fs";

/**
 * Local servers stop when whoever started them does. `npm start` runs `npm → sh → tsx → node`:
 * a `kill <npm pid>` (or a closed terminal) reaches npm, but `sh` does not pass signals on, so the
 * servers would outlive it. Here a server process stops on SIGINT, SIGTERM and SIGHUP, and also
 * when any of the processes that launched it (up to four ancestors) has gone: checked once a
 * second on an unref'd timer, so it never keeps the process alive by itself. A stop that has not
 * ended the process within `graceMs` (a server waiting on an open connection) ends it.
 *
 * The launchers are read when this module loads, before the server prints anything: read later,
 * a launcher killed the moment the server's banner showed could already be gone, and its
 * orphaned children no longer lead to it.
 */
const LAUNCHED_BY = { parent: process.ppid, chain: ancestors(4) };

export function stopWithParent(stop: () => void, options: { intervalMs?: number; graceMs?: number } = {}): void {
  let stopping = false;
  const once = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`stopping: ${why}\n`);
    clearInterval(timer);
    setTimeout(() => process.exit(0), options.graceMs ?? 3_000).unref();
    stop();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => once(signal));
  const { parent, chain } = LAUNCHED_BY;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : chain.find((pid) => !alive(pid));
    if (gone !== undefined) once(`process ${gone}, which started this one, has gone`);
  }, options.intervalMs ?? 1_000);
  timer.unref();
}

/**
 * The pids of the processes that launched this one, nearest first, up to `depth` and never init:
 * read from /proc on Linux; elsewhere only the parent (its death shows as a changed `process.ppid`).
 */
export function ancestors(depth: number): number[] {
  const out: number[] = [];
  let pid = process.ppid;
  while (out.length < depth && pid > 1) {
    out.push(pid);
    const parent = parentOf(pid);
    if (parent === undefined) break;
    pid = parent;
  }
  return out;
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, … (undefined off Linux or when gone). */
function statOf(pid: number): string[] | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const ppid = Number(statOf(pid)?.[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/**
 * Whether `pid` still runs. A process that has exited but was not yet reaped (a zombie: state Z,
 * as a shell orphaned under a container's init may stay for good) has gone.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const state = statOf(pid)?.[0];
  return state !== "Z" && state !== "X";
}
