import { createLogger } from "../../shared/log/logger";
import { readEmulatorEnv } from "./env-config";
import { startEmulator } from "./index";
import { stopWithParent } from "../process-lifetime";

/**
 * `npm run emulator`: the ESS emulator on EMULATOR_PORT (default 9000). Prints what a client needs:
 * endpoint, development credentials, callback key/token and URLs, admin URL.
 */
async function main(): Promise<void> {
  const options = readEmulatorEnv(process.env);
  const logger = createLogger({ bindings: { component: "ess-emulator" } });
  const emulator = await startEmulator({
    ...options,
    log: (record) => {
      const failed =
        (record.kind === "api" && record.code !== undefined) ||
        record.kind === "error" ||
        (record.kind === "callback" && record.result !== "delivered");
      if (failed) logger.warn(String(record.kind), record);
      else logger.debug(String(record.kind), record);
    },
  });
  const urls = options.callback?.urls ?? {};
  const lines = [
    `ESS emulator listening on ${emulator.url}`,
    `  SDK endpoint     : ${emulator.endpoint} (httpProfile.protocol "http://"), both editions`,
    `  File endpoint    : ${emulator.fileEndpoint} (UploadFiles, as file.ess.tencent.cn), both editions`,
    `  SecretId         : ${emulator.credentials.secretId}`,
    `  SecretKey        : ${emulator.credentials.secretKey}`,
    `  Callback key     : ${emulator.callback.key}`,
    `  Callback token   : ${emulator.callback.token ?? "(none: no Content-Signature)"}`,
    `  Callback URL ess : ${urls.ess ?? "(none: set EMULATOR_CALLBACK_URL or EMULATOR_CALLBACK_URL_ESS)"}`,
    `  Callback URL essbasic: ${urls.essbasic ?? "(none: set EMULATOR_CALLBACK_URL or EMULATOR_CALLBACK_URL_ESSBASIC)"}`,
    `  Admin            : ${emulator.url}/_emulator/ (state, stats, sign, reject, cancel, expire, fill, faults, reset)`,
    ...(options.stateFile ? [`  State file       : ${options.stateFile}`] : []),
    ...(Object.keys(options.faults ?? {}).length > 0 ? [`  Faults           : ${JSON.stringify(options.faults)}`] : []),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  stopWithParent(() => void emulator.stop().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
