import { execFile } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { camPolicy, checkBucket } from "../../../scripts/deploy/bucket-check";
import { startCosServer, type CosServerOptions, type CosTestServer } from "../../support/cos-server";

/**
 * The deploy's COS bucket check against the COS test server in each of the bucket states it must
 * tell apart: a good bucket, versioning Enabled or Suspended, a store that ignores
 * x-cos-forbid-overwrite without saying so, and lifecycle rules of the right and the wrong length.
 */
const root = path.resolve(__dirname, "../../..");
let server: CosTestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function bucket(options: CosServerOptions = {}) {
  server = await startCosServer(options);
  return { server, config: server.storeConfig({ prefix: "ess-status/" }) };
}

describe("checkBucket", () => {
  it("passes a bucket that never had versioning and honours create-exclusive, and leaves nothing behind", async () => {
    const { server, config } = await bucket();
    server.lifecycle.push({ id: "claims", prefix: "ess-status/idempotency/", days: 2 });
    const result = await checkBucket(config, { idempotencyTtlSeconds: 86_400 });
    expect(result.failed).toBe(false);
    expect(result.lines.filter((l) => l.startsWith("✓"))).toHaveLength(3);
    const probes = server.requests.filter((r) => r.operation === "PutObject");
    expect(probes.map((r) => [r.status, r.errorCode])).toEqual([
      [200, undefined],
      [409, "FileAlreadyExists"],
    ]);
    expect(probes[0]!.key).toMatch(/^ess-status\/preflight\/[0-9a-f]{16}\.json$/);
    expect(server.objects.keys()).toEqual([]);
  });

  it.each(["Enabled", "Suspended"] as const)("refuses a bucket whose versioning is %s, before writing anything", async (versioning) => {
    const { server, config } = await bucket({ versioning });
    const result = await checkBucket(config, { idempotencyTtlSeconds: 86_400 });
    expect(result.failed).toBe(true);
    expect(result.lines.join("\n")).toContain(`versioning is ${versioning}`);
    expect(server.requests.filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("refuses a store that ignores x-cos-forbid-overwrite although it reports no versioning (the live probe)", async () => {
    const { server, config } = await bucket({ ignoreForbidOverwrite: true });
    const result = await checkBucket(config, { idempotencyTtlSeconds: 86_400 });
    expect(result.failed).toBe(true);
    expect(result.lines.join("\n")).toMatch(/does not honour x-cos-forbid-overwrite: a second write .* was accepted/);
    expect(server.objects.keys()).toEqual([]);
  });

  it.each([
    ["no rule: a warning", [], false, /^! no lifecycle rule expires ess-status\/idempotency\/.* 2 days/],
    ["a rule on the whole prefix, long enough", [{ id: "all", prefix: "ess-status/", days: 30 }], false, /^✓ lifecycle rule "all"/],
    [
      "a rule shorter than twice the TTL: refused",
      [{ id: "claims", prefix: "ess-status/idempotency/", days: 1 }],
      true,
      /^✗ lifecycle rule "claims" .* after 1 days/,
    ],
    [
      "a disabled short rule is not a rule",
      [{ id: "off", prefix: "ess-status/idempotency/", days: 1, enabled: false }],
      false,
      /^! no lifecycle rule/,
    ],
  ])("lifecycle of idempotency claims, %s", async (_, rules, failed, line) => {
    const { server, config } = await bucket();
    server.lifecycle.push(...rules);
    const result = await checkBucket(config, { idempotencyTtlSeconds: 86_400 });
    expect(result.failed).toBe(failed);
    expect(result.lines.some((l) => line.test(l))).toBe(true);
  });
});

describe("camPolicy", () => {
  it("grants objects under the prefix only, listing under the prefix, reading versioning, and denies PutBucketVersioning", () => {
    const policy = camPolicy({
      kind: "cos",
      bucket: "ess-1250000000",
      region: "ap-guangzhou",
      prefix: "ess-status/",
      credentials: { secretId: "x", secretKey: "y" },
    }) as {
      statement: Array<{ effect: string; action: string[]; resource: string[] }>;
    };
    const allowed = policy.statement.filter((s) => s.effect === "allow");
    expect(allowed.flatMap((s) => s.action).sort()).toEqual(
      [
        "name/cos:DeleteObject",
        "name/cos:GetBucket",
        "name/cos:GetBucketVersioning",
        "name/cos:GetObject",
        "name/cos:HeadObject",
        "name/cos:PutObject",
      ].sort(),
    );
    expect(allowed[0]!.resource).toEqual(["qcs::cos:ap-guangzhou:uid/1250000000:ess-1250000000/ess-status/*"]);
    expect(JSON.stringify(allowed)).not.toContain("PutBucketVersioning");
    expect(policy.statement.find((s) => s.effect === "deny")!.action).toEqual(["name/cos:PutBucketVersioning"]);
  });
});

describe("npm run deploy:check-bucket", () => {
  // Asynchronous: the COS test server answers from this process.
  const run = (env: Record<string, string>) =>
    new Promise<{ status: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", path.join(root, "scripts/deploy/check-bucket.ts")],
        { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, encoding: "utf8", timeout: 60_000 },
        (error, stdout) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });

  it("exits 0 and prints the role's policy for a good bucket; exits 1 naming the cause for a versioned one", async () => {
    const good = await startCosServer();
    const versioned = await startCosServer({ versioning: "Suspended" });
    try {
      const base = (s: CosTestServer) => ({
        COS_BUCKET: s.bucket,
        COS_REGION: s.region,
        COS_ENDPOINT: s.endpoint,
        TENCENT_SECRET_ID: s.credentials.secretId,
        TENCENT_SECRET_KEY: s.credentials.secretKey,
      });
      const ok = await run(base(good));
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain("✓ create-exclusive honoured");
      expect(ok.stdout).toContain('"name/cos:PutBucketVersioning"');
      expect(ok.stdout).not.toContain(good.credentials.secretKey);
      const refused = await run(base(versioned));
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain("versioning is Suspended");
      expect((await run({})).status).toBe(0);
    } finally {
      await good.stop();
      await versioned.stop();
    }
  });
});
