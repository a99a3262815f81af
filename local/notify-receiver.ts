import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { constructNotifyEvent, NotifySignatureError, type NotifyEvent } from "../shared/notify/receiver";

/**
 * The local stack's notification receiver: what a user's backend does with a push, in a few lines.
 * Each POST is checked with the receiver helper (`shared/notify/receiver.ts`) on its raw body, then
 * printed in one line (ids, sequence, statuses: never names or mobiles) and acknowledged with 200.
 * A bad signature gets 400 and a line saying why.
 */
export interface ReceivedNotification {
  event: NotifyEvent<GroupData>;
  receivedAt: number;
}

/** The parts of the group a printed line uses (the whole group is in `event.data`). */
export interface GroupData {
  FlowGroupId?: string;
  Status?: string;
  Flows?: Array<{ FlowId?: string; Status?: string; Approvers?: Array<{ Status?: string }> }>;
}

export interface RunningReceiver {
  url: string;
  received: ReceivedNotification[];
  /** Requests refused (bad or missing signature). */
  refused: number;
  stop(): Promise<void>;
}

export interface ReceiverOptions {
  secret: string;
  port?: number;
  /** Where lines go (default: nowhere). */
  print?: (line: string) => void;
  /** Tests: the status to answer instead of 200 (e.g. 503 while "down"). */
  answer?: () => number;
  now?: () => number;
}

export async function startNotifyReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const received: ReceivedNotification[] = [];
  const state = { refused: 0 };
  const print = options.print ?? (() => undefined);
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const forced = options.answer?.();
      if (forced !== undefined && forced !== 200) {
        res.writeHead(forced).end();
        return;
      }
      try {
        const event = constructNotifyEvent<GroupData>(body, req.headers["ess-notify-signature"], options.secret, { now: options.now });
        received.push({ event, receivedAt: Date.now() });
        print(describe(event));
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"received":true}');
      } catch (error) {
        if (!(error instanceof NotifySignatureError)) {
          res.writeHead(500).end();
          return;
        }
        state.refused++;
        print(`notify  refused: ${error.reason} (${error.message})`);
        res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ error: error.reason }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ess-events`,
    received,
    get refused() {
      return state.refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** `notify  #3 evt_…  group <id> PART  flows ALL 1/2  approvers signed 3/4`. */
export function describe(event: NotifyEvent<GroupData>): string {
  const flows = event.data.Flows ?? [];
  const approvers = flows.flatMap((f) => f.Approvers ?? []);
  const signed = approvers.filter((a) => a.Status === "ACCEPT").length;
  const allFlows = flows.filter((f) => f.Status === "ALL").length;
  return (
    `notify  #${event.sequence} ${event.id}  group ${event.data.FlowGroupId} ${event.data.Status}` +
    `  flows ALL ${allFlows}/${flows.length}  approvers signed ${signed}/${approvers.length}`
  );
}
