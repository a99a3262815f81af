/**
 * The server side of bench/callbacks, run in its own process so the load generator does not share
 * its CPU: the local gateway with the real callback handler (file store) and a bare echo handler
 * on the same server. Prints its URL on stdout once listening.
 */
import { startGateway } from "../../local/gateway/server";

async function main() {
  const { main_handler } = await import("../../functions/callback/handler");
  const { routes } = await import("../../functions/callback/routes");
  const gateway = await startGateway({
    port: 0,
    functions: [
      { name: "callback", routes, timeoutMs: 15_000, memoryMb: 128, invoke: main_handler },
      {
        name: "echo",
        routes: [{ method: "POST", path: "/echo" }],
        timeoutMs: 15_000,
        memoryMb: 128,
        invoke: async () => ({ isBase64Encoded: false, statusCode: 200, headers: { "Content-Type": "application/json" }, body: "{}" }),
      },
    ],
  });
  process.stdout.write(`READY ${gateway.url}\n`);
  process.on("SIGTERM", () => void gateway.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
