import { randomBytes } from "node:crypto";
import type COS from "cos-nodejs-sdk-v5";
import type { CosStoreConfig } from "../../shared/object-store/cos-object-store";
import { StoreRefusedError } from "../../shared/errors/store-errors";
import { claimLifecycleDays } from "../../shared/idempotency/idempotency";
import { createCosObjectStore } from "../../shared/object-store/cos-object-store";

/**
 * The COS bucket checks a deploy runs before anything is uploaded (`npm run deploy:check-bucket`,
 * part of `npm run deploy`), with the deployer's own key:
 *
 * 1. **Versioning never enabled.** GET Bucket versioning answers a `Status` once versioning was ever
 *    turned on, and then COS ignores `x-cos-forbid-overwrite` (PUT Bucket versioning, 436/19889:
 *    it can only be suspended afterwards, never turned off). The functions would refuse such a
 *    bucket at their first request; the deploy refuses it first.
 * 2. **Create-exclusive honoured, live.** One key under `<COS_PREFIX>preflight/` is written twice
 *    with `x-cos-forbid-overwrite: true`: the second write must answer 409 FileAlreadyExists. Then
 *    the key is deleted. (A COS-compatible gateway that ignores the header fails here.)
 * 3. **Lifecycle of idempotency claims.** A rule expiring `<COS_PREFIX>idempotency/` is recommended,
 *    after at least 2 × IDEMPOTENCY_TTL_SECONDS in whole days (shared/idempotency: a claim is read
 *    until the end of the window after its own). A shorter rule could delete a claim still in use
 *    and let a retried create reach ESS twice: refused. No rule: a warning (claims then stay).
 *
 * It also prints the least-privilege CAM policy for the functions' role (`camPolicy`).
 */
export interface BucketCheckResult {
  lines: string[];
  failed: boolean;
}

export async function checkBucket(config: CosStoreConfig, options: { idempotencyTtlSeconds: number }): Promise<BucketCheckResult> {
  const lines: string[] = [`COS bucket ${config.bucket} (${config.region}), prefix ${config.prefix === "" ? "(none)" : config.prefix}`];
  let failed = false;
  const objects = createCosObjectStore(config, { maxAttempts: 3 });

  try {
    await objects.check();
    lines.push("✓ versioning was never enabled (GET Bucket versioning answers no Status)");
  } catch (error) {
    failed = true;
    lines.push(`✗ ${error instanceof StoreRefusedError ? error.message : `the bucket could not be checked: ${(error as Error).message}`}`);
    return { lines, failed };
  }

  const probe = `preflight/${randomBytes(8).toString("hex")}.json`;
  try {
    const first = await objects.createExclusive(probe, JSON.stringify({ probe: 1 }));
    const second = await objects.createExclusive(probe, JSON.stringify({ probe: 2 }));
    const stored = await objects.get(probe);
    await objects.delete(probe);
    if (first && !second && stored === JSON.stringify({ probe: 1 })) {
      lines.push(
        `✓ create-exclusive honoured: ${config.prefix}${probe} written, a second write refused (409 FileAlreadyExists), then deleted`,
      );
    } else {
      failed = true;
      lines.push(
        `✗ this bucket does not honour x-cos-forbid-overwrite: a second write of ${config.prefix}${probe} was ${second ? "accepted" : "refused"} ` +
          "and the first body " +
          (stored === JSON.stringify({ probe: 1 }) ? "kept" : "replaced") +
          ". Redelivered callbacks would be stored twice: use a COS bucket that never had versioning.",
      );
    }
  } catch (error) {
    failed = true;
    lines.push(`✗ the create-exclusive probe under ${config.prefix}preflight/ failed: ${(error as Error).message}`);
  }

  const lifecycle = await lifecycleRules(config).catch((error: unknown) => error as Error);
  const needed = claimLifecycleDays(options.idempotencyTtlSeconds * 1000);
  const claims = `${config.prefix}idempotency/`;
  if (lifecycle instanceof Error) {
    lines.push(
      `! the bucket's lifecycle could not be read (${lifecycle.message}); check by hand: ${claims} should expire after ≥ ${needed} days`,
    );
  } else {
    const rule = lifecycle.find((r) => r.enabled && r.days !== undefined && claims.startsWith(r.prefix));
    if (rule === undefined) {
      lines.push(
        `! no lifecycle rule expires ${claims}: Idempotency-Key claims are kept for ever (add one: prefix ${claims}, expire after ${needed} days)`,
      );
    } else if (rule.days! < needed) {
      failed = true;
      lines.push(
        `✗ lifecycle rule ${JSON.stringify(rule.id)} expires ${rule.prefix || "(the whole bucket)"} after ${rule.days} days, before the ${needed} days ` +
          `Idempotency-Key claims must be kept (2 × IDEMPOTENCY_TTL_SECONDS): a retried create could reach ESS twice. Raise it to ${needed} days.`,
      );
    } else {
      lines.push(
        `✓ lifecycle rule ${JSON.stringify(rule.id)} expires ${claims} after ${rule.days} days (≥ ${needed}: 2 × IDEMPOTENCY_TTL_SECONDS)`,
      );
    }
  }
  return { lines, failed };
}

/**
 * The least-privilege CAM policy for the functions' role: objects under the prefix (write, read,
 * delete), listing restricted to the prefix, reading the bucket's versioning — and an explicit deny
 * of PutBucketVersioning, so no other policy on the role can ever switch versioning on.
 * `appId` is the bucket name's suffix (`<name>-<appid>`).
 */
export function camPolicy(config: CosStoreConfig): object {
  const appId = /-(\d+)$/.exec(config.bucket)?.[1] ?? "<APPID>";
  const bucket = `qcs::cos:${config.region}:uid/${appId}:${config.bucket}/`;
  return {
    version: "2.0",
    statement: [
      {
        effect: "allow",
        action: ["name/cos:PutObject", "name/cos:GetObject", "name/cos:HeadObject", "name/cos:DeleteObject"],
        resource: [`${bucket}${config.prefix}*`],
      },
      {
        effect: "allow",
        action: ["name/cos:GetBucket"],
        resource: [bucket],
        condition: { string_like: { "cos:prefix": `${config.prefix}*` } },
      },
      { effect: "allow", action: ["name/cos:GetBucketVersioning"], resource: [bucket] },
      { effect: "deny", action: ["name/cos:PutBucketVersioning"], resource: [bucket, `${bucket}*`] },
    ],
  };
}

interface Rule {
  id: string;
  prefix: string;
  enabled: boolean;
  days?: number;
}

/** The bucket's lifecycle rules through the official SDK ([] when it has none). */
async function lifecycleRules(config: CosStoreConfig): Promise<Rule[]> {
  const sdk = await import("cos-nodejs-sdk-v5");
  const Cos = (sdk as unknown as { default?: typeof COS }).default ?? (sdk as unknown as typeof COS);
  const endpoint = config.endpoint === undefined ? undefined : /^(https?):\/\/([^/]+)\/?$/.exec(config.endpoint);
  const cos = new Cos({
    SecretId: config.credentials.secretId,
    SecretKey: config.credentials.secretKey,
    ...(config.credentials.token !== undefined ? { SecurityToken: config.credentials.token } : {}),
    ...(endpoint ? { Protocol: endpoint[1] === "http" ? ("http:" as const) : ("https:" as const), Domain: endpoint[2]! } : {}),
  });
  const answer = await new Promise<COS.GetBucketLifecycleResult | undefined>((resolve, reject) =>
    cos.getBucketLifecycle({ Bucket: config.bucket, Region: config.region }, (error, data) => {
      if (!error) return resolve(data);
      const e = error as { statusCode?: number; code?: string };
      if (e.statusCode === 404) return resolve(undefined);
      reject(new Error(`${e.code ?? "error"}${e.statusCode ? `, HTTP ${e.statusCode}` : ""}`));
    }),
  );
  return (answer?.Rules ?? []).map((rule) => {
    const r = rule as {
      ID?: string;
      Status?: string;
      Filter?: { Prefix?: string };
      Prefix?: string;
      Expiration?: { Days?: number | string };
    };
    const days = r.Expiration?.Days === undefined ? undefined : Number(r.Expiration.Days);
    return {
      id: r.ID ?? "",
      prefix: r.Filter?.Prefix ?? r.Prefix ?? "",
      enabled: r.Status === "Enabled",
      ...(days !== undefined ? { days } : {}),
    };
  });
}
