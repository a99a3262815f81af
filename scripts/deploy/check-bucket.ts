/**
 * `npm run deploy:check-bucket [-- --stage prod]` (and step of `npm run deploy`): the COS bucket
 * the functions will use, checked with the deployer's key before anything is uploaded — versioning
 * never enabled, create-exclusive honoured (a live probe), the lifecycle of idempotency claims —
 * and the least-privilege CAM policy for the functions' role printed (see bucket-check.ts).
 * Reads the settings the Components CLI reads (your shell, then `.env`). Exits 1 on a refusal.
 * Without COS_BUCKET (the local folder store) there is nothing to check.
 */
import path from "node:path";
import { readIdempotencyConfig } from "../../shared/config/config";
import { camPolicy, checkBucket } from "./bucket-check";
import { deployerEnvironment } from "./deployer-env";

async function main() {
  const argv = process.argv.slice(2);
  const stageAt = argv.indexOf("--stage");
  const stage = (stageAt >= 0 ? argv[stageAt + 1] : undefined) ?? process.env.STAGE ?? "dev";
  const { env } = deployerEnvironment(path.resolve(__dirname, "../.."), stage);
  const bucket = env.COS_BUCKET?.trim();
  const region = env.COS_REGION?.trim();
  if (!bucket) {
    console.log("COS bucket: COS_BUCKET is not set, nothing to check (the functions would use a local folder)");
    return;
  }
  const secretId = env.TENCENT_SECRET_ID?.trim() || env.COS_SECRET_ID?.trim();
  const secretKey = env.TENCENT_SECRET_KEY?.trim() || env.COS_SECRET_KEY?.trim();
  if (!region || !secretId || !secretKey) {
    console.error("✗ COS bucket check: COS_REGION and the deployer's TENCENT_SECRET_ID / TENCENT_SECRET_KEY are needed");
    process.exit(1);
  }
  const rawPrefix = (env.COS_PREFIX?.trim() || "ess-status/").replace(/^\/+/, "");
  const prefix = rawPrefix === "" || rawPrefix.endsWith("/") ? rawPrefix : `${rawPrefix}/`;
  const token = env.TENCENT_TOKEN?.trim();
  const config = {
    kind: "cos" as const,
    bucket,
    region,
    prefix,
    credentials: { secretId, secretKey, ...(token ? { token } : {}) },
    ...(env.COS_ENDPOINT?.trim() ? { endpoint: env.COS_ENDPOINT.trim() } : {}),
  };
  const ttlSeconds = readIdempotencyConfig(env).ttlMs / 1000;
  const result = await checkBucket(config, { idempotencyTtlSeconds: ttlSeconds });
  for (const line of result.lines) console.log(line);
  console.log(`\nCAM policy for the functions' role (SCF_ROLE): objects under ${prefix || "the bucket"} only, never PutBucketVersioning`);
  console.log(JSON.stringify(camPolicy(config), null, 2));
  if (result.failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`✗ COS bucket check failed: ${(error as Error).message}`);
  process.exit(1);
});
