/**
 * `npm start`: the whole stack on the embedded defaults — the ESS emulator, the local API Gateway
 * serving the three functions as routed in serverless.yml, and the local folder store — and what
 * is where. Stop with Ctrl-C.
 */
import path from "node:path";
import { startLocalStack } from "./stack";

async function main() {
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 8080),
    emulatorPort: Number(process.env.EMULATOR_PORT ?? 9000),
  });
  const { gateway, emulator } = stack;
  console.log(`ESS flow groups — local stack

API Gateway (local)  ${gateway.url}
${stack.routes.map((r) => `  ${r.method.padEnd(5)} ${r.path.padEnd(36)} → ${r.functionKey}`).join("\n")}

ESS emulator         ${emulator.url}   (SecretId ${emulator.credentials.secretId}; official SDK endpoint ${emulator.endpoint})
  signing pages      ${emulator.url}/_emulator/
  admin API          ${emulator.url}/_emulator/state, /sign, /reject, /cancel, /expire, /fill, /faults
  callbacks to       ${stack.callbackUrl}   (key and token: the emulator's development pair)
Status store         ${path.resolve(stack.storeDir)}   (local folder; STORE_DIR to change)
Auth                 ${process.env.AUTH_DISABLED === "true" ? "disabled for local use (AUTH_DISABLED=true); deployed functions require API_KEY_HASHES" : "API keys required"}

Try:
  curl -s -X POST ${gateway.url}/ess/flow-groups -H 'Content-Type: application/json' -d @test/fixtures/seed/ess-example-3.request.json
  curl -s ${gateway.url}/flow-groups/<FlowGroupId>
  npm run demo   (the whole story, in a separate stack)
`);
  const stop = () => {
    void stack.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
