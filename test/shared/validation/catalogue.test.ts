import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EDITIONS } from "../../../shared/ess/edition";
import { RULES, type RuleEntry } from "../../../shared/validation/rules";
import { RULE_CASES } from "./rule-cases";

/** Every rule in the code has a documented row, and every row has a test row per edition. */

const DOC = readFileSync(fileURLToPath(new URL("../../../docs/validation.md", import.meta.url)), "utf8");

interface DocRow {
  id: string;
  ess: string;
  essbasic: string;
  level: string;
}

const RULES_SECTION = DOC.slice(DOC.indexOf("\n## Rules"), DOC.indexOf("\n## ", DOC.indexOf("\n## Rules") + 1));

const docRows: DocRow[] = RULES_SECTION.split("\n")
  .filter((line) => line.startsWith("| `"))
  .map((line) => {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const ess = cells[3]!;
    return { id: cells[0]!.replace(/`/g, ""), ess, essbasic: cells[4] === "same" ? ess : cells[4]!, level: cells[5]! };
  });

const entries = Object.entries(RULES) as [string, RuleEntry][];
const pairs = entries.flatMap(([id, entry]) => EDITIONS.filter((e) => entry[e]).map((e) => `${id} (${e})`));

describe("rule catalogue, docs and tests agree", () => {
  it("documents each rule exactly once", () => {
    expect(docRows.map((r) => r.id).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(entries)("the row of %s gives its code per edition and its level", (id, entry) => {
    const row = docRows.find((r) => r.id === id)!;
    for (const edition of EDITIONS) {
      const spec = entry[edition];
      const cell = row[edition];
      if (!spec) {
        expect(cell, `${id} ${edition}`).toBe("—");
        continue;
      }
      const literal = spec.code.endsWith(".*") ? spec.code.slice(0, -2) : spec.code;
      expect(cell, `${id} ${edition}`).toContain(literal);
      expect(row.level, `${id} ${edition}`).toContain(spec.level);
    }
  });

  it("has a test row for each rule in each edition it applies to, and none for others", () => {
    const tested = [...new Set(RULE_CASES.map((c) => `${c.rule} (${c.edition})`))].sort();
    expect(tested).toEqual([...pairs].sort());
  });
});
