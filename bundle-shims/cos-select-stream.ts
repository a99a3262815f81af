/**
 * Stand-in, in the deployed bundles only, for the COS SDK's `sdk/select-stream.js`, the decoder of
 * `selectObjectContent` answers (SQL over a stored CSV or JSON object), which the SDK requires only
 * inside that call. The status store never runs a select, so constructing it is an error rather
 * than a silent change of behaviour.
 */
export default class SelectStream {
  constructor() {
    throw new Error("selectObjectContent is not available in this bundle");
  }
}
