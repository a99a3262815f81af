/**
 * Before a real deploy: loads each built bundle in a fresh Node process with the environment
 * serverless.yml will give it, resolved from YOUR environment (plus the role credentials SCF adds
 * when SCF_ROLE is set), so a missing or malformed setting fails here, naming the variable, instead
 * of on the first request in the cloud. Values are never printed.
 */
import path from "node:path";
import { checkSchema, functionEnvironment, invokeBundle, readServerlessYml, sampleEvent, SCF_RUNTIME_ENV } from "./deploy-check/checks";

async function main() {
  const { doc } = readServerlessYml();
  const { config, problems } = checkSchema(doc);
  if (!config) throw new Error(problems.join("\n"));
  let failed = false;
  for (const [key, fn] of Object.entries(config.inputs.functions)) {
    const env = { ...functionEnvironment(config, key, process.env), ...(process.env.SCF_ROLE ? SCF_RUNTIME_ENV : {}) };
    const [folder, exportName] = fn.handler.split("/index.") as [string, string];
    const answer = await invokeBundle(path.join(config.inputs.src.src, folder, "index.js"), exportName, env, sampleEvent("GET", "/", "/__preflight"));
    const ok = answer.response?.statusCode === 404 && !answer.error;
    failed ||= !ok;
    console.log(`${ok ? "✓" : "✗"} ${key}: ${ok ? "configuration loads" : (answer.error ?? `answered ${answer.response?.statusCode}`)}`);
  }
  if (!process.env.SCF_ROLE) console.log("  note: SCF_ROLE is not set, so the functions get no role credentials: ESS_SECRET_ID/KEY and COS_SECRET_ID/KEY must be set");
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
