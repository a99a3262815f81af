import { afterAll } from "vitest";
import { tapLogs } from "../../shared/log/logger";

/**
 * Runs in every test file (vitest `setupFiles`): records everything written while the file's tests
 * run — structured log lines, stdout, stderr, console — and fails the file if any of it contains a
 * mainland mobile number, an 18-character ID number, or a person's name from the fixtures. The
 * logs of the whole suite are thereby scanned for personal data.
 */
const PERSONAL = [
  { what: "a mobile number", pattern: /(?<![\dA-Za-z])1[3-9]\d{9}(?![\dA-Za-z])/ },
  { what: "an ID card number", pattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/ },
  // The fixtures' people; their names also begin company names (典子谦示例企业), which are not personal data.
  { what: "a fixture person's name", pattern: /(典子谦|张三|李四|王五)(?!示例)/ },
];

const written: string[] = [];
const record = (chunk: unknown) => {
  written.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk));
};

tapLogs(record);
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    record(chunk);
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    record(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    original(...args);
  };
}

afterAll(() => {
  const text = written.join("\n");
  for (const { what, pattern } of PERSONAL) {
    const match = pattern.exec(text);
    if (match) {
      // The excerpt locates the leak without repeating it: digits and CJK characters are blanked.
      const at = text
        .slice(Math.max(0, match.index - 80), match.index + 40)
        .replace(/\d/g, "#")
        .replace(/[\u4e00-\u9fff]/g, "*");
      throw new Error(`personal data (${what}) was written to the logs during this test file, near: …${at}…`);
    }
  }
});
