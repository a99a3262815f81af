import { describe, expect, it } from "vitest";
import { createLogger, tapLogs } from "../../../shared/log/logger";
import { checkSync } from "recheck";
import {
  FREE_TEXT_OMITTED,
  maskDeep,
  maskEmails,
  maskIdNumber,
  maskMessageData,
  maskMobile,
  maskName,
  maskText,
  TEXT_MASK_PATTERNS,
} from "../../../shared/log/mask";

describe("masking", () => {
  it.each([
    [maskMobile, "18251952320", "182****2320"],
    [maskName, "典子谦", "典**"],
    [maskName, "A", "*"],
    [maskIdNumber, "11010519491231002X", "11************002X"],
  ])("%o masks %s", (fn, input, expected) => {
    expect(fn(input)).toBe(expected);
  });

  it("masks mobiles and ID numbers inside free text", () => {
    const text = maskText("mobile 13200000000, id 11010519491231002X, pass H1234567890, order 123456789012345678901");
    expect(text).not.toContain("13200000000");
    expect(text).not.toContain("11010519491231002X");
    expect(text).not.toContain("H1234567890");
    expect(text).toContain("123456789012345678901");
  });

  it("masks personal fields and hides secrets at any depth", () => {
    const masked = maskDeep({
      FlowGroupInfos: [
        { Approvers: [{ ApproverName: "张三", ApproverMobile: "18888888888", ApproverIdCardNumber: "11010519491231002X" }] },
      ],
      credentials: { secretId: "AKIDxxx", secretKey: "abc" },
      headers: { authorization: "Bearer k", "x-api-key": "k2" },
      FlowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP",
      MsgData: { OperatorName: "王五", ApproveName: "赵六", FlowName: "采购合同", OrganizationName: "典子谦示例企业" },
    }) as Record<string, any>;
    const text = JSON.stringify(masked);
    for (const secret of ["张三", "王五", "赵六", "18888888888", "11010519491231002X", "AKIDxxx", '"abc"', "Bearer k", "k2"]) {
      expect(text).not.toContain(secret);
    }
    expect(masked.FlowId).toBe("yDwJ7UUckpk84prkUyPWcjIufyhLeqjP");
    expect(masked.MsgData.FlowName).toBe("采购合同");
    expect(masked.MsgData.OrganizationName).toBe("典子谦示例企业");
  });

  it("logger lines are masked JSON and reach taps", () => {
    const lines: string[] = [];
    const seen: string[] = [];
    const untap = tapLogs((line) => seen.push(line));
    createLogger({ sink: (l) => lines.push(l) })
      .child({ scfRequestId: "r1" })
      .info("signer 18251952320", { Name: "李四" });
    untap();
    expect(lines).toHaveLength(1);
    expect(seen).toEqual(lines);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: "info", scfRequestId: "r1", msg: "signer 182****2320", Name: "李*" });
  });
});

describe("personal data in free text (audit finding 7)", () => {
  it.each([
    ["+8613800138000", "13800138000"],
    ["+86 138 0013 8000", "0013 8000"],
    ["0086-13800138000", "13800138000"],
    ["0086 138-0013-8000", "0013-8000"],
    ["138-0013-8000", "0013-8000"],
    ["138.0013.8000", "0013.8000"],
    ["电话13800138000，谢谢", "13800138000"],
    ["old id 110105194912310 here", "110105194912310"],
    ["id 11010519491231002x", "11010519491231002x"],
    ["passport E12345678", "E12345678"],
    ["passport EA1234567", "EA1234567"],
    ["passport G12345678", "G12345678"],
    ["official P1234567", "P1234567"],
    ["mail zhang.san@example.com.cn", "zhang.san@"],
    ["mail a_b+c@mail.example.org", "a_b+c@"],
  ])("masks %s", (text, secret) => {
    expect(maskText(text)).not.toContain(secret);
  });

  it.each([
    ["a FlowId", "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP"],
    ["a 21-digit order number", "order 123456789012345678901"],
    ["a unix time", "1750000000"],
    ["an ISO time", "2025-06-15T12:00:00.000Z"],
    ["a 10-digit number", "0123456789"],
    ["a handle without a local part", "@example.com"],
    ["an @ without a domain", "a@b and @@"],
  ])("leaves %s alone", (_case, text) => {
    expect(maskText(text)).toBe(text);
  });

  // Lookarounds of one character add no backtracking; recheck's automaton analysis (deterministic,
  // unlike its fuzzer) does not take them, so it checks each pattern without them, as a search.
  it.each(TEXT_MASK_PATTERNS.map((p) => [p.source, p] as const))(
    "the pattern %s is linear (recheck automaton), as a search",
    (_source, pattern) => {
      const core = pattern.source.replace(/\(\?<?[!=](?:\\.|[^()\\])*\)/g, "");
      const result = checkSync(core, pattern.flags.replace("g", ""), { checker: "automaton", timeout: 20_000 });
      expect({ status: result.status, checker: result.checker }).toEqual({ status: "safe", checker: "automaton" });
    },
  );

  it("the quadratic e-mail search it replaces is caught by the same analysis", () => {
    const result = checkSync("([\\w.%+-])[\\w.%+-]*@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)", "", { checker: "automaton" });
    expect(result.status).toBe("vulnerable");
  });

  it.each([
    ["a@ repeated", "a@".repeat(100_000)],
    ["one long local part", `${"a".repeat(200_000)}@`],
    ["one long domain", `a@${"a.".repeat(100_000)}`],
    ["only @", "@".repeat(200_000)],
    [".@ repeated", ".@".repeat(100_000)],
    ["long runs between @", `${"ab".repeat(50_000)}@`.repeat(4)],
  ])("the e-mail scan reads each character at most twice: %s", (_case, text) => {
    const steps = { count: 0 };
    maskEmails(text, steps);
    expect(steps.count).toBeLessThanOrEqual(2 * text.length + 2);
  });

  it("masks a long text in one pass: the output has the input's size, whatever it repeats", () => {
    for (const unit of ["1", "1-", "a@", "a.", "+86", "E1", "0086 1"]) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      expect(maskText(text).length).toBeLessThanOrEqual(text.length + 8);
    }
  });
});

describe("ESS messages shown by /events (audit finding 7)", () => {
  const raw = {
    FlowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP",
    FlowName: "采购合同",
    FlowMessage: "请张三尽快签署",
    Approvers: [
      {
        RecipientId: "yDRfixture",
        ApproverName: "张三",
        ApproverMobile: "13800138000",
        OrganizationName: "张三个体工商户",
        ApproveMessage: "我是李四，电话 +86 138 0013 8000，邮箱 lisi@example.com",
      },
    ],
  };

  it("leaves free text out, masks names, organisation names and every mobile form", () => {
    const shown = maskMessageData(raw) as Record<string, any>;
    const text = JSON.stringify(shown);
    for (const secret of ["张三", "李四", "13800138000", "0013 8000", "lisi@"]) expect(text).not.toContain(secret);
    expect(shown.Approvers[0].ApproveMessage).toBe(FREE_TEXT_OMITTED);
    expect(shown.FlowMessage).toBe(FREE_TEXT_OMITTED);
    expect(shown.FlowId).toBe(raw.FlowId);
    expect(shown.FlowName).toBe("采购合同");
  });

  it("an empty message stays empty", () => {
    expect((maskMessageData({ ApproveMessage: "" }) as Record<string, unknown>).ApproveMessage).toBe("");
  });

  it("does not recurse without bound", () => {
    let deep: unknown = "13800138000";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => maskMessageData(deep)).not.toThrow();
    expect(() => maskDeep(deep)).not.toThrow();
  });
});
