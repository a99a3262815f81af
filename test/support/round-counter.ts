import type { ObjectStore } from "../../shared/object-store/port";

/**
 * Counts sequential store round trips, not time: every store call waits for the next "round", and
 * a round releases every call waiting at once, so the number of rounds a piece of work takes is its
 * number of sequential round trips. (Used by the status store's and the outbox's round-trip tests.)
 */
export function roundCounter(inner: ObjectStore) {
  const waiting: Array<() => void> = [];
  const later = <T>(run: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => waiting.push(() => void run().then(resolve, reject)));
  const store: ObjectStore = {
    createExclusive: (...a) => later(() => inner.createExclusive(...a)),
    put: (...a) => later(() => inner.put(...a)),
    get: (...a) => later(() => inner.get(...a)),
    getBytes: (...a) => later(() => inner.getBytes(...a)),
    list: (...a) => later(() => inner.list(...a)),
    listPage: (...a) => later(() => inner.listPage(...a)),
    delete: (...a) => later(() => inner.delete(...a)),
    check: (...a) => inner.check(...a),
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    store,
    async rounds(work: () => Promise<unknown>): Promise<number> {
      let done = false;
      const running = work().finally(() => (done = true));
      let rounds = 0;
      for (let guard = 0; !done && guard < 100; guard++) {
        await settle();
        if (waiting.length === 0) continue;
        rounds++;
        for (const release of waiting.splice(0)) release();
        await settle();
      }
      await running;
      return rounds;
    },
  };
}
