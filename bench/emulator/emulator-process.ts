/**
 * Child process of the emulator benchmark: the emulator configured for load (no rate limit, no
 * quota, no callbacks), or a bare node:http server for scale. Prints `{"port": n}` once listening.
 *
 *   tsx bench/emulator/emulator-process.ts emulator|echo
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import defaultFixture from "../../local/ess-emulator/fixtures/default.json";
import { startEmulator } from "../../local/ess-emulator";

async function emulator(): Promise<number> {
  const fixture = structuredClone(defaultFixture) as any;
  for (const org of fixture.ess.organizations) org.quota = null;
  for (const app of fixture.essbasic.applications) for (const org of app.organizations) org.quota = null;
  const running = await startEmulator({ fixture, rateLimitPerSecond: 0 });
  return running.port;
}

/** Reads the whole body and answers a small JSON, like the emulator's cheapest answer. */
async function echo(): Promise<number> {
  const body = JSON.stringify({ Response: { RequestId: "s1694570527888078574" } });
  const server = http.createServer((req, res) => {
    req.on("data", () => undefined);
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const kind = process.argv[2];
(kind === "echo" ? echo() : emulator()).then(
  (port) => process.stdout.write(JSON.stringify({ port }) + "\n"),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
