/**
 * Run in a child process preloaded with `intercept.ts`: the multi-scf component's deploy calls into
 * tencent-component-toolkit (src/index.ts 133-142 of the component: each function through
 * `Scf.deploy`, then every trigger through `TriggerManager.bulkCreateTriggers`), with the inputs the
 * component would pass (read from stdin, v8-serialized so `undefined` values survive). The toolkit's SCF API calls go to the stand-in, which
 * records them. Prints `{ "ok": true }` or the error, as JSON, on its last line.
 */
import { readFileSync } from "node:fs";
import { deserialize } from "node:v8";

interface Input {
  region: string;
  namespace?: string;
  faasInputsList: Array<Record<string, unknown>>;
  triggerInputsList: Array<Record<string, unknown>>;
  credentials: { SecretId: string; SecretKey: string; Token?: string };
}

async function main() {
  const input = deserialize(readFileSync(0)) as Input;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Scf, TriggerManager } = require("tencent-component-toolkit") as typeof import("tencent-component-toolkit");
  const faas = new Scf(input.credentials, input.region);
  for (const item of input.faasInputsList) await faas.deploy(item as never);
  await new TriggerManager(input.credentials, input.region).bulkCreateTriggers(input.triggerInputsList as never, input.namespace);
}

main().then(
  () => console.log(JSON.stringify({ ok: true })),
  (error: unknown) => {
    console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
  },
);
