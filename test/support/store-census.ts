import { readdir } from "node:fs/promises";
import path from "node:path";

/**
 * What a status store holds, counted from its keys with the layout written out here (not imported
 * from the store), so a test that counts "0 lost, 0 duplicated, 0 stranded" does not share a bug
 * with the code it checks. Works on a folder store or on any list of keys (COS server, test fake).
 */
export interface StoreCensus {
  /** Events stored under a group, one per MsgId and group. */
  events: number;
  /** Stored events per group key segment. */
  eventsByGroup: Map<string, number>;
  /** MsgId segments of the events stored under groups, each once per group. */
  msgSegments: string[];
  /** Events with neither group nor flow. */
  loose: number;
  /** Deliveries waiting in a flow's slots for its group to be recorded (a redelivery takes a slot too). */
  parked: number;
  /** Distinct messages waiting for their flow's group. */
  waiting: number;
  /** Group records create-group wrote. */
  records: number;
}

const GROUP_EVENT = /^groups\/([^/]+)\/[0-9]\/[^/]+\/events\/([^/]+)\.json$/;
const LOOSE_EVENT = /^events\/[^/]+\.json$/;
const PARKED = /^parked\/[^/]+\/\d{8}\.json$/;
const RECORD = /^groups\/[^/]+\/record\.json$/;
const WAITING = /^waiting\/[^/]+\/[^/]+\.json$/;

export function censusOfKeys(keys: readonly string[]): StoreCensus {
  const census: StoreCensus = { events: 0, eventsByGroup: new Map(), msgSegments: [], loose: 0, parked: 0, waiting: 0, records: 0 };
  for (const key of keys) {
    const grouped = GROUP_EVENT.exec(key);
    if (grouped) {
      census.events += 1;
      census.eventsByGroup.set(grouped[1]!, (census.eventsByGroup.get(grouped[1]!) ?? 0) + 1);
      census.msgSegments.push(grouped[2]!);
    } else if (LOOSE_EVENT.test(key)) census.loose += 1;
    else if (PARKED.test(key)) census.parked += 1;
    else if (RECORD.test(key)) census.records += 1;
    else if (WAITING.test(key)) census.waiting += 1;
  }
  return census;
}

/** The census of a folder store (`STORE_DIR`); temporary dot-files are not keys. */
export async function censusOfFolder(dir: string): Promise<StoreCensus> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const keys = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) =>
      path
        .relative(dir, path.join(entry.parentPath ?? entry.path, entry.name))
        .split(path.sep)
        .join("/"),
    );
  return censusOfKeys(keys);
}
