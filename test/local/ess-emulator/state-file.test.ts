import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../../local/ess-emulator";
import { essClient } from "./support/sdk";
import { seed } from "./support/seeds";

/** State survives a restart through the state file. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("state file", () => {
  it("saves groups, uploads and quota use at stop and loads them at the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ess-emulator-"));
    dirs.push(dir);
    const file = join(dir, "state", "emulator.json");
    const first = await startEmulator({ stateFile: file });
    const res = await essClient(first).CreateFlowGroupByFiles(seed("ess-example-1") as any);
    first.sign({ flowGroupId: res.FlowGroupId!, mobile: "18888888888" });
    await first.stop();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(2);

    const second = await startEmulator({ stateFile: file });
    try {
      const group = second.state(res.FlowGroupId!).groups[0]!;
      expect(group.flows.map((f) => f.status)).toEqual(["ALL", "INIT", "INIT"]);
      expect(second.state().quotas.find((q) => q.owner === "ess:yDRSRUUgygj6qnwfUuO4zjEwc193c2hH")!.used).toBe(3);
      // Signing goes on where it stopped, through the SDK too.
      second.sign({ flowGroupId: res.FlowGroupId! });
      const detail = await essClient(second).DescribeFlowInfo({
        Operator: { UserId: "yDwf2UUckps3me1aUuRbyBJvD8CIgM4K" },
        FlowGroupId: res.FlowGroupId!,
      });
      expect(detail.FlowDetailInfos!.map((f) => f.FlowStatus)).toEqual([4, 4, 4]);
    } finally {
      await second.stop();
    }
  });

  it("starts empty when the file does not exist yet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ess-emulator-"));
    dirs.push(dir);
    const emulator = await startEmulator({ stateFile: join(dir, "none.json") });
    expect(emulator.state().groups).toEqual([]);
    await emulator.stop();
  });
});
