import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { header, parseJsonBody, rawBody } from "../../../shared/http/request";
import type { ApiGatewayEvent } from "../../../shared/http/scf-types";

function event(body: string | undefined, isBase64Encoded = false, headers: Record<string, string> = {}): ApiGatewayEvent {
  return {
    requestContext: { serviceId: "s", path: "/p", httpMethod: "POST", requestId: "r", sourceIp: "127.0.0.1", stage: "release" },
    headers,
    body,
    isBase64Encoded,
    path: "/p",
    httpMethod: "POST",
  };
}

function codeOf(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return [error.httpStatus, error.code];
    throw error;
  }
  throw new Error("expected an error");
}

describe("rawBody", () => {
  it("decodes base64 when API Gateway says so", () => {
    expect(rawBody(event(Buffer.from('{"a":1}').toString("base64"), true)).toString()).toBe('{"a":1}');
  });
  it("keeps text as UTF-8 bytes", () => {
    expect(rawBody(event("合同")).length).toBe(6);
  });
  it("treats an absent body as empty", () => {
    expect(rawBody(event(undefined)).length).toBe(0);
  });
});

describe("parseJsonBody", () => {
  it("parses JSON, including a base64-encoded body and a UTF-8 BOM", () => {
    expect(parseJsonBody(event('{"FlowGroupName":"组"}'))).toEqual({ FlowGroupName: "组" });
    expect(parseJsonBody(event(Buffer.from("\ufeff[1]").toString("base64"), true))).toEqual([1]);
  });

  it.each([
    ["an empty body", event("")],
    ["an absent body", event(undefined)],
    ["whitespace", event("  \n")],
    ["text that is not JSON", event("FlowGroupName=x")],
    ["truncated JSON", event('{"a":')],
    ["bytes that are not UTF-8", event(Buffer.from([0xff, 0xfe, 0x7b]).toString("base64"), true)],
  ])("answers 400 InvalidParameter.Body for %s", (_name, e) => {
    expect(codeOf(() => parseJsonBody(e))).toEqual([400, "InvalidParameter.Body"]);
  });

  it("answers 400 (not a stack overflow later) for JSON nested 10,000 deep, before parsing it", () => {
    expect(codeOf(() => parseJsonBody(event(`${"[".repeat(10_000)}${"]".repeat(10_000)}`)))).toEqual([400, "InvalidParameter.Body"]);
    expect(codeOf(() => parseJsonBody(event(`${'{"a":'.repeat(33)}1${"}".repeat(33)}`)))).toEqual([400, "InvalidParameter.Body"]);
  });

  it("accepts 32 levels, and brackets inside strings do not count", () => {
    expect(parseJsonBody(event(`${"[".repeat(32)}${"]".repeat(32)}`))).toBeDefined();
    expect(parseJsonBody(event(JSON.stringify({ a: "[[[[".repeat(100), b: '"{{{' })))).toMatchObject({ b: '"{{{' });
    // A string ending in an escaped backslash does end there: the nesting after it counts.
    expect(codeOf(() => parseJsonBody(event(`{"a":"x\\\\","b":${"[".repeat(40)}${"]".repeat(40)}}`)))).toEqual([
      400,
      "InvalidParameter.Body",
    ]);
    // An escaped quote does not end the string: the brackets after it are text.
    expect(parseJsonBody(event(JSON.stringify({ a: `"${"[[[[".repeat(100)}` })))).toMatchObject({ a: expect.stringMatching(/^"\[/) });
  });

  it("answers 413 above the limit", () => {
    expect(codeOf(() => parseJsonBody(event('{"a":"' + "x".repeat(100) + '"}'), 50))).toEqual([413, "LimitExceeded.BodySize"]);
  });

  it("does not echo the body's content in the error", () => {
    try {
      parseJsonBody(event('{"ApproverMobile": 18251952320x}'));
    } catch (error) {
      expect((error as Error).message).not.toContain("18251952320");
    }
  });
});

describe("header", () => {
  it("finds lower-cased and mixed-case names", () => {
    expect(header(event("", false, { "content-type": "a" }), "Content-Type")).toBe("a");
    expect(header(event("", false, { "X-Api-Key": "k" }), "x-api-key")).toBe("k");
    expect(header(event("", false, {}), "x")).toBeUndefined();
  });
});
