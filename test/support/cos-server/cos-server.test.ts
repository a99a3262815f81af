import { request } from "node:http";
import COS from "cos-nodejs-sdk-v5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest, startCosServer, uriEncode, type CosTestServer } from ".";

/**
 * The test server is only worth something if its verifier is independent and strict: these tests
 * send hand-signed requests (correct, expired, tampered) and compare the signer with the SDK's.
 */

let server: CosTestServer;
const NOW_SECONDS = 1_750_000_000;

beforeAll(async () => {
  server = await startCosServer({ now: () => NOW_SECONDS * 1000 });
});
afterAll(async () => {
  await server.stop();
});

interface RawRequest {
  method: string;
  /** Decoded path. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const host = () => new URL(server.endpoint).host;

function encodePath(path: string): string {
  return path.split("/").map(uriEncode).join("/");
}

function queryString(query: Record<string, string>): string {
  const pairs = Object.entries(query).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`);
  return pairs.length > 0 ? `?${pairs.join("&")}` : "";
}

/** Headers a client sends and signs: Host, Content-Length for bodies, plus the given ones. */
function signedHeaders(req: RawRequest): Record<string, string> {
  return {
    host: host(),
    ...(req.body !== undefined ? { "content-length": String(Buffer.byteLength(req.body)) } : {}),
    ...(req.headers ?? {}),
  };
}

function sign(req: RawRequest, keyTime = { start: NOW_SECONDS - 60, end: NOW_SECONDS + 600 }, credentials = server.credentials) {
  return signRequest({ method: req.method, path: req.path, query: req.query ?? {}, headers: signedHeaders(req) }, credentials, keyTime);
}

function send(req: RawRequest, authorization: string | undefined, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...signedHeaders(req), ...extraHeaders, ...(authorization !== undefined ? { authorization } : {}) };
    const outgoing = request(
      `${server.endpoint}${encodePath(req.path)}${queryString(req.query ?? {})}`,
      { method: req.method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(req.body);
  });
}

const errorCode = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

describe("COS test server: signature verification", () => {
  const put: RawRequest = {
    method: "PUT",
    path: "/sig/a.json",
    body: '{"a":1}',
    headers: { "x-cos-forbid-overwrite": "true", "content-type": "application/json" },
  };

  it("accepts a request signed by the spec (so the rejections below mean something)", async () => {
    const response = await send(put, sign(put));
    expect(response.status).toBe(200);
    expect(server.objects.text("sig/a.json")).toBe('{"a":1}');
  });

  it.each<[string, () => Promise<RawResponse>, number, string]>([
    ["no Authorization", () => send(get("/sig/a.json"), undefined), 403, "AccessDenied"],
    ["a malformed Authorization", () => send(get("/sig/a.json"), "q-sign-algorithm=sha1&q-ak=x"), 403, "AccessDenied"],
    [
      "a wrong secret key",
      () => send(get("/sig/a.json"), sign(get("/sig/a.json"), undefined, { ...server.credentials, secretKey: "wrong" })),
      403,
      "SignatureDoesNotMatch",
    ],
    [
      "an unknown SecretId",
      () => send(get("/sig/a.json"), sign(get("/sig/a.json"), undefined, { ...server.credentials, secretId: "AKIDother" })),
      403,
      "InvalidAccessKeyId",
    ],
    ["one flipped signature digit", () => send(get("/sig/a.json"), flipLastHex(sign(get("/sig/a.json")))), 403, "SignatureDoesNotMatch"],
    [
      "an expired key time",
      () => send(get("/sig/a.json"), sign(get("/sig/a.json"), { start: NOW_SECONDS - 1000, end: NOW_SECONDS - 1 })),
      403,
      "AccessDenied",
    ],
    [
      "a key time in the future",
      () => send(get("/sig/a.json"), sign(get("/sig/a.json"), { start: NOW_SECONDS + 100, end: NOW_SECONDS + 1000 })),
      403,
      "RequestTimeTooSkewed",
    ],
    ["a path other than the signed one", () => send(get("/sig/b.json"), sign(get("/sig/a.json"))), 403, "SignatureDoesNotMatch"],
    [
      "a signed header changed after signing",
      () => send(put, sign(put), { "x-cos-forbid-overwrite": "false" }),
      403,
      "SignatureDoesNotMatch",
    ],
    [
      "an x-cos header added after signing",
      () => send(get("/sig/a.json"), sign(get("/sig/a.json")), { "x-cos-acl": "public-read" }),
      403,
      "SignatureDoesNotMatch",
    ],
    [
      "a query parameter added after signing",
      () => send({ ...get("/"), query: { prefix: "sig/", "max-keys": "1" } }, sign({ ...get("/"), query: { prefix: "sig/" } })),
      403,
      "SignatureDoesNotMatch",
    ],
    [
      "a query value changed after signing",
      () => send({ ...get("/"), query: { prefix: "other/" } }, sign({ ...get("/"), query: { prefix: "sig/" } })),
      403,
      "SignatureDoesNotMatch",
    ],
  ])("refuses %s", async (_, run, status, code) => {
    const before = server.objects.text("sig/a.json");
    const response = await run();
    expect(response.status).toBe(status);
    expect(errorCode(response.body)).toBe(code);
    expect(server.objects.text("sig/a.json")).toBe(before);
  });

  it("refuses a tampered body length before storing anything", async () => {
    const original: RawRequest = { method: "PUT", path: "/sig/len.json", body: "12345" };
    const response = await send({ ...original, body: "123456" }, sign(original), { "content-length": "6" });
    expect(response.status).toBe(403);
    expect(server.objects.get("sig/len.json")).toBeUndefined();
  });

  it.each([
    ["a plain object", { method: "GET", path: "/a.json", query: {}, headers: { host: "127.0.0.1:9100" } }],
    [
      "a listing",
      { method: "GET", path: "/", query: { prefix: "ess/groups/", marker: "", "max-keys": "1000" }, headers: { host: "127.0.0.1:9100" } },
    ],
    [
      "a write with x-cos headers",
      {
        method: "PUT",
        path: "/ess/events/~ab 中.json",
        query: {},
        headers: { host: "h", "content-length": "12", "x-cos-forbid-overwrite": "true", "content-type": "application/json; charset=utf-8" },
      },
    ],
  ])("computes the same signature as the SDK for %s (two independent implementations agree)", (_, req) => {
    const keyTime = { start: 1_700_000_000, end: 1_700_000_900 };
    const credentials = { secretId: "AKIDexample", secretKey: "example-key" };
    const ours = signRequest(req, credentials, keyTime);
    const sdk = COS.getAuthorization({
      SecretId: credentials.secretId,
      SecretKey: credentials.secretKey,
      Method: req.method as "GET" | "PUT",
      Pathname: req.path,
      Query: req.query,
      Headers: req.headers,
      KeyTime: `${keyTime.start};${keyTime.end}`,
    });
    expect(ours).toBe(sdk);
  });
});

describe("COS test server: protocol", () => {
  it("answers NoSuchKey 404 in COS's XML form, with a request id", async () => {
    const req = get("/proto/missing.json");
    const response = await send(req, sign(req));
    expect(response.status).toBe(404);
    expect(errorCode(response.body)).toBe("NoSuchKey");
    expect(response.body).toMatch(/<RequestId>[^<]+<\/RequestId>/);
    expect(response.headers["x-cos-request-id"]).toBeTruthy();
  });

  it("honours x-cos-forbid-overwrite with 409 FileAlreadyExists, and overwrites without it", async () => {
    const first: RawRequest = { method: "PUT", path: "/proto/x.json", body: "one", headers: { "x-cos-forbid-overwrite": "true" } };
    const again: RawRequest = { ...first, body: "two" };
    const plain: RawRequest = { method: "PUT", path: "/proto/x.json", body: "three" };
    expect((await send(first, sign(first))).status).toBe(200);
    const refused = await send(again, sign(again));
    expect([refused.status, errorCode(refused.body)]).toEqual([409, "FileAlreadyExists"]);
    expect(server.objects.text("proto/x.json")).toBe("one");
    expect((await send(plain, sign(plain))).status).toBe(200);
    expect(server.objects.text("proto/x.json")).toBe("three");
  });

  it("serves HEAD and DELETE like COS (204 even for a missing key)", async () => {
    server.objects.put("proto/h.json", "hello", "application/json");
    const head = { method: "HEAD", path: "/proto/h.json" };
    const headResponse = await send(head, sign(head));
    expect([headResponse.status, headResponse.headers["content-length"], headResponse.body]).toEqual([200, "5", ""]);
    const del = { method: "DELETE", path: "/proto/h.json" };
    expect((await send(del, sign(del))).status).toBe(204);
    expect((await send(del, sign(del))).status).toBe(204);
    expect((await send(head, sign(head))).status).toBe(404);
  });

  it("lists with prefix, marker, max-keys and delimiter, marking truncated pages", async () => {
    for (const key of ["list/a.json", "list/b/1.json", "list/b/2.json", "list/c.json", "other/z.json"]) server.objects.put(key, "x");
    const page = async (query: Record<string, string>) => {
      const req = { ...get("/"), query };
      const response = await send(req, sign(req));
      expect(response.status).toBe(200);
      return response.body;
    };
    const first = await page({ prefix: "list/", "max-keys": "2" });
    expect(keysOf(first)).toEqual(["list/a.json", "list/b/1.json"]);
    expect(first).toContain("<IsTruncated>true</IsTruncated>");
    expect(first).toContain("<NextMarker>list/b/1.json</NextMarker>");
    const rest = await page({ prefix: "list/", marker: "list/b/1.json", "max-keys": "10" });
    expect(keysOf(rest)).toEqual(["list/b/2.json", "list/c.json"]);
    expect(rest).toContain("<IsTruncated>false</IsTruncated>");
    const grouped = await page({ prefix: "list/", delimiter: "/" });
    expect(keysOf(grouped)).toEqual(["list/a.json", "list/c.json"]);
    expect(grouped).toContain("<CommonPrefixes><Prefix>list/b/</Prefix></CommonPrefixes>");
  });

  it("refuses a max-keys COS would refuse", async () => {
    const req = { ...get("/"), query: { "max-keys": "5000" } };
    const response = await send(req, sign(req));
    expect([response.status, errorCode(response.body)]).toEqual([400, "InvalidArgument"]);
  });
});

describe("COS test server: faults and records", () => {
  it("fails the next N matching requests with 503, then serves normally", async () => {
    server.objects.put("fault/a.json", "ok");
    server.faults.failNext({ on: "read", count: 2, key: /^fault\// });
    const req = get("/fault/a.json");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(req, sign(req))).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(server.requests.slice(-3).map((r) => r.fault)).toEqual(["unavailable", "unavailable", undefined]);
  });

  it("drops the connection without an answer", async () => {
    server.faults.failNext({ on: "GetObject", mode: "drop" });
    const req = get("/fault/a.json");
    await expect(send(req, sign(req))).rejects.toThrow();
  });

  it("applies a write and then drops the connection (drop-after-apply)", async () => {
    server.faults.failNext({ on: "write", mode: "drop-after-apply" });
    const req: RawRequest = { method: "PUT", path: "/fault/applied.json", body: "kept" };
    await expect(send(req, sign(req))).rejects.toThrow();
    expect(server.objects.text("fault/applied.json")).toBe("kept");
  });

  it("does not spend faults on requests that fail authentication", async () => {
    server.faults.failNext({ on: "any" });
    const req = get("/fault/a.json");
    expect((await send(req, undefined)).status).toBe(403);
    expect(server.faults.pending()).toBe(1);
    expect((await send(req, sign(req))).status).toBe(503);
    expect(server.faults.pending()).toBe(0);
  });
});

function get(path: string): RawRequest {
  return { method: "GET", path };
}

function flipLastHex(authorization: string): string {
  const last = authorization.at(-1)!;
  return authorization.slice(0, -1) + (last === "0" ? "1" : "0");
}

function keysOf(xml: string): string[] {
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
}

describe("COS test server: COS's inconvenient behaviours", () => {
  let cos: CosTestServer;
  let client: InstanceType<typeof COS>;
  const call = <T>(run: (done: (error: unknown, data: T) => void) => void) =>
    new Promise<{ error?: { statusCode?: number; code?: string }; data?: T }>((resolve) =>
      run((error, data) => resolve(error ? { error: error as never } : { data })),
    );
  const put = (Key: string, Body: string, Headers: Record<string, string> = {}) =>
    call<COS.PutObjectResult>((done) => client.putObject({ Bucket: cos.bucket, Region: cos.region, Key, Body, Headers }, done));
  const listed = async (Prefix: string) => {
    const { data } = await call<COS.GetBucketResult>((done) => client.getBucket({ Bucket: cos.bucket, Region: cos.region, Prefix }, done));
    return (data?.Contents ?? []).map((c) => c.Key);
  };

  beforeAll(async () => {
    cos = await startCosServer();
    client = new COS({
      SecretId: cos.credentials.secretId,
      SecretKey: cos.credentials.secretKey,
      Protocol: "http:",
      Domain: new URL(cos.endpoint).host,
    });
  });
  afterAll(async () => {
    await cos.stop();
  });

  it("lags listings: a new key is missing and a deleted key still listed until the lag passes, while GET sees the truth", async () => {
    await put("lag/old.json", "1");
    cos.listing.lagMs = 60_000;
    try {
      await put("lag/new.json", "2");
      await call((done) => client.deleteObject({ Bucket: cos.bucket, Region: cos.region, Key: "lag/old.json" }, done));
      expect(await listed("lag/")).toEqual(["lag/old.json"]);
      const got = await call<COS.GetObjectResult>((done) =>
        client.getObject({ Bucket: cos.bucket, Region: cos.region, Key: "lag/new.json" }, done),
      );
      expect(String(got.data?.Body)).toBe("2");
      cos.listing.catchUp();
      expect(await listed("lag/")).toEqual(["lag/new.json"]);
    } finally {
      cos.listing.lagMs = 0;
    }
  });

  it("lags only for the configured time", async () => {
    cos.listing.lagMs = 150;
    try {
      await put("lag2/a.json", "1");
      expect(await listed("lag2/")).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await listed("lag2/")).toEqual(["lag2/a.json"]);
    } finally {
      cos.listing.lagMs = 0;
    }
  });

  it("versioning: never enabled answers no Status; once Enabled it can be Suspended but never turned off", async () => {
    const server = await startCosServer();
    const c = new COS({
      SecretId: server.credentials.secretId,
      SecretKey: server.credentials.secretKey,
      Protocol: "http:",
      Domain: new URL(server.endpoint).host,
    });
    const loc = { Bucket: server.bucket, Region: server.region };
    const get = () => call<COS.GetBucketVersioningResult>((done) => c.getBucketVersioning(loc, done));
    const set = (Status: string) =>
      call((done) => c.putBucketVersioning({ ...loc, VersioningConfiguration: { Status: Status as "Enabled" } }, done));
    try {
      expect((await get()).data?.VersioningConfiguration).toEqual({});
      expect((await set("Enabled")).error).toBeUndefined();
      expect((await get()).data?.VersioningConfiguration).toEqual({ Status: "Enabled" });
      expect((await set("Suspended")).error).toBeUndefined();
      expect((await set("Off")).error).toMatchObject({ statusCode: 400, code: "MalformedXML" });
      expect(server.versioning).toBe("Suspended");
    } finally {
      await server.stop();
    }
  });

  it.each(["Enabled", "Suspended"] as const)(
    "versioning %s: x-cos-forbid-overwrite is ignored, the second write replaces the first",
    async (status) => {
      const server = await startCosServer({ versioning: status });
      const c = new COS({
        SecretId: server.credentials.secretId,
        SecretKey: server.credentials.secretKey,
        Protocol: "http:",
        Domain: new URL(server.endpoint).host,
      });
      const write = (Body: string) =>
        call<COS.PutObjectResult>((done) =>
          c.putObject(
            { Bucket: server.bucket, Region: server.region, Key: "v/a.json", Body, Headers: { "x-cos-forbid-overwrite": "true" } },
            done,
          ),
        );
      try {
        expect((await write("first")).error).toBeUndefined();
        const second = await write("second");
        expect(second.error).toBeUndefined();
        expect(server.objects.text("v/a.json")).toBe("second");
        expect(Boolean(second.data?.headers?.["x-cos-version-id"])).toBe(status === "Enabled");
      } finally {
        await server.stop();
      }
    },
  );

  it("answers 503 SlowDown when asked to", async () => {
    cos.faults.failNext({ mode: "slowdown", on: "PutObject", count: 4 });
    const result = await put("slow/a.json", "x");
    expect(result.error).toMatchObject({ statusCode: 503, code: "SlowDown" });
    cos.faults.clear();
  });

  it("keeps x-cos-meta-* headers and returns them on HEAD and GET", async () => {
    await put("meta/a.json", "x", { "x-cos-meta-writer": "w-123" });
    const head = await call<COS.HeadObjectResult>((done) =>
      client.headObject({ Bucket: cos.bucket, Region: cos.region, Key: "meta/a.json" }, done),
    );
    expect(head.data?.headers?.["x-cos-meta-writer"]).toBe("w-123");
  });

  it("adds a fixed round trip to every answer", async () => {
    cos.latencyMs = 80;
    const started = performance.now();
    try {
      await put("rt/a.json", "x");
    } finally {
      cos.latencyMs = 0;
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});
