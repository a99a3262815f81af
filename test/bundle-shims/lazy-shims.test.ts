import { PassThrough } from "node:stream";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { XMLBuilder, XMLParser } from "../../bundle-shims/cos-xml-lazy";
import { SSEResponseModel } from "../../bundle-shims/sdk-sse-lazy";

/**
 * The two lazy shims hand every call to the real module, loaded on first use: what the COS SDK and
 * the Tencent Cloud SDK get is what the real classes answer.
 */
const requireReal = createRequire(require.resolve("cos-nodejs-sdk-v5"));
const real = requireReal("cos-fast-xml-parser") as {
  XMLParser: new (o?: unknown) => { parse(x: string): unknown };
  XMLBuilder: new (o?: unknown) => { build(j: unknown): string };
};
const OPTIONS = { ignoreDeclaration: true, ignoreAttributes: true, parseTagValue: false, trimValues: false };

describe("cos-xml-lazy", () => {
  it.each([
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Contents><Key>a/1.json</Key><Size>3</Size></Contents><Contents><Key>a/2.json</Key></Contents><IsTruncated>false</IsTruncated></ListBucketResult>',
    "<Error><Code>PreconditionFailed</Code><Message>x &amp; y</Message></Error>",
  ])("parses as the real parser, with the same options: %s", (xml) => {
    expect(new XMLParser(OPTIONS).parse(xml)).toEqual(new real.XMLParser(OPTIONS).parse(xml));
  });

  it("builds as the real builder", () => {
    const json = { Delete: { Quiet: true, Object: [{ Key: "a" }, { Key: "b&c" }] } };
    expect(new XMLBuilder().build(json)).toBe(new real.XMLBuilder().build(json));
  });
});

describe("sdk-sse-lazy", () => {
  it("builds the SDK's own SSEResponseModel, which reads events from the stream", async () => {
    const stream = new PassThrough();
    const model = new SSEResponseModel(stream) as { constructor: { name: string }; eventSource: NodeJS.EventEmitter };
    expect(model.constructor.name).toBe("SSEResponseModel");
    const message = new Promise((resolve) => model.eventSource.once("message", resolve));
    stream.end("data: hello\n\n");
    expect(await message).toMatchObject({ data: "hello" });
  });
});
