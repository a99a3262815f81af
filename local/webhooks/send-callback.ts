/**
 * `npm run callback:send -- --url <callback URL> --key <32-byte key> --token <token> [--status ALL]
 * [--edition ess|essbasic] [--type FlowStatusChange|FlowGroupStatusChange] [--flow-group-id <id>]
 * [--flow-id <id>] [--msg-id <id>] [--signature header|query]`
 *
 * Sends one callback encrypted and signed exactly as ESS does, to any URL (the local stack's, or a
 * deployed receiver's), and prints the answer: like `stripe trigger`, to try a receiver without
 * signing a contract. The key and token are never printed.
 */
import { parseArgs } from "node:util";
import { FLOW_STATES, GROUP_STATES, protectCallback, sampleEnvelope, sampleId } from "./sample-callback";

const USAGE =
  "usage: npm run callback:send -- --url <callback URL> --key <32-byte callback key> [--token <callback token>] [--status ALL]\n" +
  "       [--edition ess|essbasic] [--type FlowStatusChange|FlowGroupStatusChange] [--flow-group-id <id>] [--flow-id <id>]\n" +
  "       [--msg-id <id>] [--signature header|query]";

export interface SendResult {
  status: number;
  body: string;
  durationMs: number;
}

/** Posts a protected callback; answers the receiver's status and body. */
export async function sendCallback(url: string, callback: ReturnType<typeof protectCallback>, timeoutMs = 15_000): Promise<SendResult> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(callback.query)) target.searchParams.set(name, value);
  const started = Date.now();
  const res = await fetch(target, {
    method: "POST",
    headers: callback.headers,
    body: callback.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.text(), durationMs: Date.now() - started };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      key: { type: "string" },
      token: { type: "string" },
      status: { type: "string", default: "ALL" },
      edition: { type: "string", default: "ess" },
      type: { type: "string", default: "FlowStatusChange" },
      "flow-group-id": { type: "string" },
      "flow-id": { type: "string" },
      "msg-id": { type: "string" },
      signature: { type: "string", default: "header" },
    },
  });
  const problems: string[] = [];
  if (!values.url || !/^https?:\/\//.test(values.url)) problems.push("--url must be the callback URL (http(s)://…/ess/callbacks)");
  if (!values.key || Buffer.byteLength(values.key, "utf8") !== 32) problems.push("--key must be the 32-byte callback key");
  if (values.edition !== "ess" && values.edition !== "essbasic") problems.push("--edition must be ess or essbasic");
  if (values.type !== "FlowStatusChange" && values.type !== "FlowGroupStatusChange")
    problems.push("--type must be FlowStatusChange or FlowGroupStatusChange");
  const states: readonly string[] = values.type === "FlowGroupStatusChange" ? GROUP_STATES : FLOW_STATES;
  if (!states.includes(values.status!)) problems.push(`--status must be one of ${states.join(", ")}`);
  if (values.signature !== "header" && values.signature !== "query") problems.push("--signature must be header or query");
  if (values.signature === "query" && !values.token) problems.push("--signature query needs --token");
  if (problems.length > 0) {
    console.error(`${problems.join("\n")}\n${USAGE}`);
    return 2;
  }
  const envelope = sampleEnvelope({
    edition: values.edition as "ess" | "essbasic",
    msgType: values.type as "FlowStatusChange" | "FlowGroupStatusChange",
    status: values.status!,
    flowGroupId: values["flow-group-id"] ?? sampleId(),
    flowId: values["flow-id"] ?? sampleId(),
    msgId: values["msg-id"],
  });
  const callback = protectCallback(envelope, values.key!, values.token, values.signature as "header" | "query");
  const data = envelope.MsgData as { FlowGroupId?: string; FlowGroupMessage?: { FlowGroupId?: string }; FlowId?: string };
  console.log(
    `sending  ${values.edition} ${envelope.MsgType} ${values.status}  MsgId ${envelope.MsgId}` +
      `  group ${data.FlowGroupMessage?.FlowGroupId ?? data.FlowGroupId ?? "(none in the message)"}` +
      `${data.FlowId ? `  flow ${data.FlowId}` : ""}`,
  );
  console.log(
    `         ${values.token ? `signed (${values.signature} form)` : "UNSIGNED (no --token)"}, encrypted, ` +
      `${callback.body.length} bytes → ${values.url}`,
  );
  try {
    const answer = await sendCallback(values.url!, callback);
    console.log(`answer   HTTP ${answer.status} in ${answer.durationMs} ms`);
    console.log(`         ${answer.body.slice(0, 2000)}`);
    return answer.status >= 200 && answer.status < 300 ? 0 : 1;
  } catch (error) {
    console.log(
      `answer   none: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
    );
    return 1;
  }
}

if (process.argv[1] && /send-callback\.ts$/.test(process.argv[1])) {
  main().then((code) => process.exit(code));
}
