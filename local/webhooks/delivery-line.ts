import type { DeliveryEntry } from "../ess-emulator/callbacks/delivery-feed";

/**
 * One line per callback delivery attempt of the emulator, as `npm run callbacks:listen` and
 * `npm start` print them: time, result, message type, group, flow, attempt, HTTP status (or why
 * none), and the next retry. Only ids: never a body.
 */
export function deliveryLine(entry: DeliveryEntry): string {
  const time = new Date(entry.at).toISOString().slice(11, 23);
  const answer = entry.status !== undefined ? `HTTP ${entry.status}` : `no answer (${entry.error ?? entry.outcome})`;
  const retry = entry.retryInMs !== undefined ? `, retry in ${entry.retryInMs} ms` : "";
  const flow = entry.flowId ? ` flow ${entry.flowId}` : "";
  return (
    `${time}  ${entry.result.padEnd(9)} ${entry.edition.padEnd(8)} ${entry.msgType.padEnd(22)} ` +
    `group ${entry.flowGroupId}${flow}  attempt ${entry.attempt}  ${answer}${retry}  #${entry.seq} ${entry.msgId}`
  );
}
