/**
 * `npm run callbacks:listen [-- --emulator http://127.0.0.1:9000] [--all]`
 *
 * Prints each callback delivery attempt the emulator makes, failed ones included, as it happens
 * (like `stripe listen`): time, result, edition, message type, group, flow, attempt, HTTP status or
 * why there was none, next retry. Follows the emulator's delivery log by long polling
 * (`GET /_emulator/deliveries`), and waits for an emulator that is not up yet.
 */
import { parseArgs } from "node:util";
import type { DeliveryEntry } from "../ess-emulator/callbacks/delivery-feed";
import { deliveryLine } from "./delivery-line";
import { stopWithParent } from "../process-lifetime";

export interface ListenOptions {
  emulatorUrl: string;
  /** Start after this sequence number (0: everything the emulator still keeps). */
  after?: number;
  onEntry(entry: DeliveryEntry): void;
  /** Told when the emulator cannot be reached (then retried every `retryMs`). */
  onUnreachable?(reason: string): void;
  signal?: AbortSignal;
  waitMs?: number;
  retryMs?: number;
}

/** Follows the delivery log until `signal` aborts. */
export async function listenDeliveries(options: ListenOptions): Promise<void> {
  let after = options.after ?? 0;
  const waitMs = options.waitMs ?? 25_000;
  while (!options.signal?.aborted) {
    try {
      const url = `${options.emulatorUrl}/_emulator/deliveries?after=${after}&waitMs=${waitMs}&limit=1000`;
      const res = await fetch(url, { signal: options.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page = (await res.json()) as { deliveries: DeliveryEntry[]; next: number; last: number };
      // A restarted emulator numbers from 1 again: follow it from its start.
      if (page.last < after) after = 0;
      for (const entry of page.deliveries) options.onEntry(entry);
      after = Math.max(after, page.next);
    } catch (error) {
      if (options.signal?.aborted) return;
      options.onUnreachable?.(
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error),
      );
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 2_000));
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { emulator: { type: "string" }, all: { type: "boolean", default: false } },
  });
  const emulatorUrl = (values.emulator ?? `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9000}`).replace(/\/$/, "");
  let after = 0;
  if (!values.all) {
    // From now on, unless --all: what the emulator still keeps from before is skipped.
    const res = await fetch(`${emulatorUrl}/_emulator/deliveries?after=0&limit=1`).catch(() => undefined);
    if (res?.ok) after = ((await res.json()) as { last: number }).last;
  }
  console.log(`listening to callback deliveries of the emulator at ${emulatorUrl} (Ctrl-C to stop)`);
  let unreachable = false;
  const controller = new AbortController();
  stopWithParent(() => controller.abort());
  await listenDeliveries({
    emulatorUrl,
    after,
    signal: controller.signal,
    onEntry: (entry) => {
      unreachable = false;
      console.log(deliveryLine(entry));
    },
    onUnreachable: (reason) => {
      if (!unreachable) console.log(`waiting for the emulator at ${emulatorUrl} (${reason})`);
      unreachable = true;
    },
  });
}

if (process.argv[1] && /listen\.ts$/.test(process.argv[1])) {
  void main();
}
