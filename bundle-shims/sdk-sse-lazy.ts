/**
 * Stand-in, in the deployed bundles only, for the Tencent Cloud SDK's `./sse_response_model`, which
 * `abstract_client.js` loads at start and which loads Node's `readline`. The SDK builds an
 * SSEResponseModel only for an answer of type `text/event-stream`, which the ESS actions this kit
 * calls never send. The real class is still what handles one: it is loaded on that first answer.
 */
type RealModule = { SSEResponseModel: new (stream: unknown) => object };

export class SSEResponseModel {
  constructor(stream: unknown) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const real = require("tencentcloud-sdk-nodejs/tencentcloud/common/sse_response_model") as RealModule;
    // biome-ignore lint/correctness/noConstructorReturn: the stand-in hands back the real model, loaded only when a stream is read
    return new real.SSEResponseModel(stream);
  }
}
