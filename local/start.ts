/**
 * `npm start`: the whole stack on the embedded defaults — the ESS emulator, each function of
 * serverless.yml on its own port exactly as its function URL would serve it, one port routing every
 * path to its function (as a TSE gateway in front of them would), and the local folder store — and
 * what is where. Deploy settings exported in the shell are not used (and named). Stops on Ctrl-C, on
 * SIGTERM or SIGHUP, and when the npm that started it is gone (local/process-lifetime.ts).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { stopWithParent } from "./process-lifetime";
import { announceRunningStack, emulatorStateFileOf, startLocalStack } from "./stack";
import { deliveryLine } from "./webhooks/delivery-line";

/** Identities the emulator's fixture knows (local/ess-emulator/fixtures/default.json): who may upload and create. */
const ESS_OPERATOR = "yDRCLUUgygq2xun5UuO4zjEwg0vjoimj";
const ESSBASIC_AGENT = { appId: "394fc83e7a1cc97ba27c3342f425c836", org: "zk_online_org", operator: "kevin" };

async function main() {
  const { values: args } = parseArgs({
    options: { "notify-url": { type: "string" }, "notify-secret": { type: "string" }, "no-deliveries": { type: "boolean" } },
  });
  if ((args["notify-url"] === undefined) !== (args["notify-secret"] === undefined)) {
    throw new Error("--notify-url and --notify-secret go together (the secret signs every notification)");
  }
  const storeDir = process.env.STORE_DIR ?? ".data";
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 9000);
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 8080),
    emulatorPort,
    storeDir,
    // A fixed file host next to the API port, so an SDK script can be pointed at it (ESS: file.ess.tencent.cn).
    emulator: { filePort: emulatorPort === 0 ? 0 : emulatorPort + 1 },
    // The emulator's state lives beside the store: a restart resumes both, `npm run reset` clears both.
    keepEmulatorState: true,
    notify: args["notify-url"] ? { url: args["notify-url"], secret: args["notify-secret"]! } : { print: (line) => console.log(line) },
  });
  const unmark = announceRunningStack(storeDir, { gateway: stack.gateway.port, emulator: stack.emulator.port });
  if (!args["no-deliveries"]) stack.emulator.onDelivery((entry) => console.log(`callback ${deliveryLine(entry)}`));
  const { gateway, emulator } = stack;
  const auth =
    process.env.AUTH_DISABLED === "true"
      ? "disabled for local use (AUTH_DISABLED=true); deployed functions require API_KEY_HASHES"
      : "API keys required";
  const width = Math.max(...stack.functions.map((f) => f.name.length));
  console.log(`ESS flow groups — local stack

Function URLs (each function on its own port, as its function URL serves it: every path goes to the function)
${stack.functions.map((f) => `  ${f.name.padEnd(width)}  ${f.url}   ${f.routes.map((r) => `${r.method} ${r.path}`).join(", ")}`).join("\n")}

One domain           ${gateway.url}   (every route above, routed by path, as a TSE gateway in front would)

ESS emulator         ${emulator.url}   (the official SDK: endpoint ${emulator.endpoint}, protocol http://; UploadFiles on ${emulator.fileEndpoint})
  credentials        SecretId ${emulator.credentials.secretId}  SecretKey ${emulator.credentials.secretKey}   (development pair: they guard nothing real)
  signing pages      ${emulator.url}/_emulator/
  admin API          ${emulator.url}/_emulator/state, /sign, /reject, /cancel, /expire, /fill, /faults
  callbacks to       ${stack.callbackUrl}   (the callback function's URL; key and token: the emulator's development pair)
Status store         ${path.resolve(stack.storeDir)}   (local folder; STORE_DIR to change)
Emulator state       ${path.resolve(emulatorStateFileOf(stack.storeDir))}   (beside the store: a restart resumes both; npm run reset clears both)
Notifications        ${stack.notify.url}   ${stack.notify.receiver ? "(a local receiver: checks each signature, prints)" : "(--notify-url)"}
Timers               ${stack.timers.timers.map((t) => `${t.fn} every ${t.periodMs / 1000} s (${t.cronExpression})`).join(", ")}
Printed below        each callback delivery of the emulator ("callback …"; --no-deliveries hides them)
                     and each notification received ("notify …")
Auth                 ${auth}${
    stack.ignoredEnv.length > 0
      ? `\nNot used here        ${stack.ignoredEnv.join(", ")} (deploy settings from your shell; the local stack runs on its own)`
      : ""
  }

Try: from contract PDFs to signatures (README, "Try it by hand"; shipped PDFs in local/sample-files/)
  1. PDFs → FileIds (as an operator of the emulator's organization; base64 parts, as a function URL needs)
     curl -s ${gateway.url}/ess/files -F Operator.UserId=${ESS_OPERATOR} \\
          -F 'file=@local/sample-files/purchase-contract.pdf;encoder=base64' -F 'file=@local/sample-files/nda.pdf;encoder=base64' | tee files.json
  2. FileIds → a group (the documentation's example 3, one FileId per flow)
     node -e 'const ids = require("./files.json").FileIds, r = require("./test/fixtures/seed/ess-example-3.request.json");
       r.FlowGroupInfos.forEach((f, i) => (f.FileIds = [ids[i]])); console.log(JSON.stringify(r))' > group.json
     curl -s ${gateway.url}/ess/flow-groups -H 'Content-Type: application/json' -d @group.json | tee created.json
  3. one sign link per person (each opens the emulator's sign page for that person)
     curl -s -X POST ${gateway.url}/flow-groups/$(node -p 'require("./created.json").FlowGroupId')/sign-urls
  4. where is it, who signed?
     curl -s ${gateway.url}/flow-groups/$(node -p 'require("./created.json").FlowGroupId')
  essbasic: POST ${gateway.url}/essbasic/files with -F Agent.AppId=${ESSBASIC_AGENT.appId} -F Agent.ProxyOrganizationOpenId=${ESSBASIC_AGENT.org} -F Agent.ProxyOperator.OpenId=${ESSBASIC_AGENT.operator}
  npm run demo   (the whole story from these PDFs, in a separate stack)
`);
  stopWithParent(() => {
    unmark();
    void stack.stop().then(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
