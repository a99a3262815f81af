import type { ObjectStore } from "../../shared/status-store/port";

/** An in-memory ObjectStore for unit tests of code above the port (not a stand-in for the adapters). */
export function memoryObjectStore(): ObjectStore & { data: Map<string, string>; failNext(n: number): void } {
  const data = new Map<string, string>();
  let failures = 0;
  const maybeFail = async () => {
    await Promise.resolve();
    if (failures > 0) {
      failures--;
      throw new Error("injected store failure");
    }
  };
  return {
    data,
    failNext(n: number) {
      failures = n;
    },
    async createExclusive(key, body) {
      await maybeFail();
      if (data.has(key)) return false;
      data.set(key, body);
      return true;
    },
    async put(key, body) {
      await maybeFail();
      data.set(key, body);
    },
    async get(key) {
      await maybeFail();
      return data.get(key);
    },
    async list(prefix) {
      await maybeFail();
      return [...data.keys()].filter((k) => k.startsWith(prefix)).sort();
    },
    async delete(key) {
      await maybeFail();
      data.delete(key);
    },
  };
}
