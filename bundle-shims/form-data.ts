/**
 * Stand-in, in the deployed bundles only, for `form-data`, which the Tencent Cloud SDK loads at
 * start for multipart uploads (and which loads mime-db's large JSON). No call this kit makes is
 * multipart, so constructing it is an error rather than a silent change of behaviour.
 */
export default class FormData {
  constructor() {
    throw new Error("multipart requests are not supported in this bundle");
  }
}
