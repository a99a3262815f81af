import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseTc3Authorization, tc3Signature } from "./tc3";

/** One request as the stand-in received it, with the verdict of the test-side signature check. */
export interface ReceivedCall {
  action: string | undefined;
  version: string | undefined;
  region: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

/**
 * A loopback HTTP server standing in for ESS in create-group's integration tests: it records what
 * the official SDK really sent, checks the TC3 signature independently, and answers with an
 * ESS-shaped response (or the scripted error).
 */
export async function startEssStandIn(options: { secretId: string; secretKey: string }) {
  const calls: ReceivedCall[] = [];
  const errorQueue: Array<{ Code: string; Message: string }> = [];
  let delayMs = 0;
  const id = () =>
    randomBytes(24)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 32)
      .padEnd(32, "x");

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const auth = parseTc3Authorization(req.headers.authorization);
      const timestamp = Number(req.headers["x-tc-timestamp"]);
      const host = (req.headers.host ?? "").replace(/:\d+$/, "");
      const signatureValid =
        auth !== undefined &&
        auth.secretId === options.secretId &&
        auth.signature ===
          tc3Signature({
            secretKey: options.secretKey,
            method: req.method ?? "POST",
            path: "/",
            query: "",
            contentType: String(req.headers["content-type"]),
            host,
            payload: raw,
            timestamp,
            service: auth.service,
          });
      const body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
      const action = req.headers["x-tc-action"] as string | undefined;
      calls.push({
        action,
        version: req.headers["x-tc-version"] as string | undefined,
        region: req.headers["x-tc-region"] as string | undefined,
        headers: req.headers,
        body,
        signatureValid,
      });
      const requestId = `s${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      let response: Record<string, unknown>;
      const scripted = errorQueue.shift();
      if (scripted) {
        response = { Error: scripted, RequestId: requestId };
      } else if (action === "DescribeFlowInfo" || action === "DescribeFlowDetailInfo") {
        response = {
          FlowGroupId: body.FlowGroupId,
          RequestId: requestId,
          [action === "DescribeFlowInfo" ? "FlowDetailInfos" : "FlowInfo"]: [],
        };
      } else {
        const flows = (
          (body.FlowGroupInfos ?? body.FlowFileInfos ?? []) as Array<{ Approvers?: unknown[]; FlowApprovers?: unknown[] }>
        ).map((flow) => ({
          FlowId: id(),
          Approvers: (flow.Approvers ?? flow.FlowApprovers ?? []).map(() => ({ RecipientId: id(), SignId: id(), ApproverRoleName: "" })),
        }));
        response = { FlowGroupId: id(), FlowIds: flows.map((f) => f.FlowId), Approvers: flows, RequestId: requestId };
      }
      setTimeout(() => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ Response: response }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    /** Forgets scripted errors, delays and recorded calls (between tests). */
    reset() {
      errorQueue.length = 0;
      delayMs = 0;
      calls.length = 0;
    },
    /** The next `times` calls answer with this ESS error. */
    failNextWith(error: { Code: string; Message: string }, times = 1) {
      for (let i = 0; i < times; i++) errorQueue.push(error);
    },
    setDelay(ms: number) {
      delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
