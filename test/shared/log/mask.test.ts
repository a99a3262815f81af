import { describe, expect, it } from "vitest";
import { createLogger, tapLogs } from "../../../shared/log/logger";
import { maskDeep, maskIdNumber, maskMobile, maskName, maskText } from "../../../shared/log/mask";

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
      FlowGroupInfos: [{ Approvers: [{ ApproverName: "张三", ApproverMobile: "18888888888", ApproverIdCardNumber: "11010519491231002X" }] }],
      credentials: { secretId: "AKIDxxx", secretKey: "abc" },
      headers: { authorization: "Bearer k", "x-api-key": "k2" },
      FlowId: "yDwJ7UUckpk84prkUyPWcjIufyhLeqjP",
      MsgData: { OperatorName: "王五", ApproveName: "赵六", FlowName: "采购合同", OrganizationName: "典子谦示例企业" },
    }) as Record<string, any>;
    const text = JSON.stringify(masked);
    for (const secret of ["张三", "王五", "赵六", "18888888888", "11010519491231002X", "AKIDxxx", "\"abc\"", "Bearer k", "k2"]) {
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
    createLogger({ sink: (l) => lines.push(l) }).child({ scfRequestId: "r1" }).info("signer 18251952320", { Name: "李四" });
    untap();
    expect(lines).toHaveLength(1);
    expect(seen).toEqual(lines);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: "info", scfRequestId: "r1", msg: "signer 182****2320", Name: "李*" });
  });
});
