/**
 * `npm start`: the whole stack on the embedded defaults — the ESS emulator, each function of
 * serverless.yml on its own port exactly as its function URL would serve it, one port routing every
 * path to its function (as a TSE gateway in front of them would), and the local folder store — and
 * what is where. Deploy settings exported in the shell are not used (and named). Stop with Ctrl-C.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { startLocalStack } from "./stack";
import { deliveryLine } from "./webhooks/delivery-line";

async function main() {
  const { values: args } = parseArgs({
    options: { "notify-url": { type: "string" }, "notify-secret": { type: "string" }, "no-deliveries": { type: "boolean" } },
  });
  if ((args["notify-url"] === undefined) !== (args["notify-secret"] === undefined)) {
    throw new Error("--notify-url and --notify-secret go together (the secret signs every notification)");
  }
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 8080),
    emulatorPort: Number(process.env.EMULATOR_PORT ?? 9000),
    notify: args["notify-url"] ? { url: args["notify-url"], secret: args["notify-secret"]! } : { print: (line) => console.log(line) },
  });
  if (!args["no-deliveries"]) stack.emulator.onDelivery((entry) => console.log(`callback ${deliveryLine(entry)}`));
  const { gateway, emulator } = stack;
  const auth = process.env.AUTH_DISABLED === "true" ? "disabled for local use (AUTH_DISABLED=true); deployed functions require API_KEY_HASHES" : "API keys required";
  const width = Math.max(...stack.functions.map((f) => f.name.length));
  console.log(`ESS flow groups — local stack

Function URLs (each function on its own port, as its function URL serves it: every path goes to the function)
${stack.functions.map((f) => `  ${f.name.padEnd(width)}  ${f.url}   ${f.routes.map((r) => `${r.method} ${r.path}`).join(", ")}`).join("\n")}

One domain           ${gateway.url}   (every route above, routed by path, as a TSE gateway in front would)

ESS emulator         ${emulator.url}   (SecretId ${emulator.credentials.secretId}; official SDK endpoint ${emulator.endpoint})
  signing pages      ${emulator.url}/_emulator/
  admin API          ${emulator.url}/_emulator/state, /sign, /reject, /cancel, /expire, /fill, /faults
  callbacks to       ${stack.callbackUrl}   (the callback function's URL; key and token: the emulator's development pair)
Status store         ${path.resolve(stack.storeDir)}   (local folder; STORE_DIR to change)
Notifications        ${stack.notify.url}   ${stack.notify.receiver ? "(a local receiver: checks each signature, prints)" : "(--notify-url)"}
Timers               ${stack.timers.timers.map((t) => `${t.fn} every ${t.periodMs / 1000} s (${t.cronExpression})`).join(", ")}
Printed below        each callback delivery of the emulator ("callback …"; --no-deliveries hides them)
                     and each notification received ("notify …")
Auth                 ${auth}${
    stack.ignoredEnv.length > 0 ? `\nNot used here        ${stack.ignoredEnv.join(", ")} (deploy settings from your shell; the local stack runs on its own)` : ""
  }

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
