import { describe, expect, it } from "vitest";
import * as z from "../../../shared/config/env-schema";

/** The zod subset config.ts is written in behaves as zod does for what config.ts relies on. */
const issuesOf = (result: ReturnType<typeof z.safeParse>) =>
  result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.code, i.message]);

describe("env-schema", () => {
  const flag = z.pipe(
    z.optional(z.string()),
    z.transform((v: string | undefined, ctx) => {
      if (v === undefined) return false;
      if (v === "true") return true;
      ctx.issues.push({ code: "custom", message: "must be true or false", input: v });
      return z.NEVER;
    }),
  );
  const section = z
    .object({
      KEY: z.pipe(
        z.optional(z.string()),
        z.string({ error: "is required" }).check(z.refine((v) => v.length === 3, "must be 3 characters")),
      ),
      FLAG: flag,
      MODE: z.optional(z.enum(["a", "b"], { error: "must be a or b" })),
    })
    .check(
      z.superRefine((env, ctx) => {
        if (env.FLAG && env.MODE === undefined) ctx.addIssue({ code: "custom", path: ["MODE"], message: "is needed with FLAG" });
      }),
    );

  it("parses each property at its path, with transforms and defaults", () => {
    expect(z.safeParse(section, { KEY: "abc", FLAG: "true", MODE: "b", OTHER: "x" })).toEqual({
      success: true,
      data: { KEY: "abc", FLAG: true, MODE: "b" },
    });
    expect(z.safeParse(section, { KEY: "abc" })).toEqual({ success: true, data: { KEY: "abc", FLAG: false, MODE: undefined } });
  });

  it.each([
    [{}, [["KEY", "invalid_type", "is required"]]],
    [{ KEY: "ab" }, [["KEY", "custom", "must be 3 characters"]]],
    [
      { KEY: "abc", FLAG: "maybe", MODE: "c" },
      [
        ["FLAG", "custom", "must be true or false"],
        ["MODE", "invalid_value", "must be a or b"],
      ],
    ],
    [{ KEY: "abc", FLAG: "true" }, [["MODE", "custom", "is needed with FLAG"]]],
    // the object's check does not run while a property is invalid (it would read an undefined KEY)
    [{ FLAG: "true" }, [["KEY", "invalid_type", "is required"]]],
  ])("%o → every issue, by path", (input, expected) => {
    expect(issuesOf(z.safeParse(section, input))).toEqual(expected);
  });

  it("stops a pipe at its first failing step", () => {
    let reached = false;
    const s = z.pipe(
      z.string(),
      z.transform((v: string) => ((reached = true), v)),
    );
    expect(issuesOf(z.safeParse(s, 42))).toEqual([["", "invalid_type", "Invalid input: expected string"]]);
    expect(reached).toBe(false);
  });

  it("refuses what is not an object", () => {
    expect(issuesOf(z.safeParse(section, null))).toEqual([["", "invalid_type", "Invalid input: expected object"]]);
  });
});
