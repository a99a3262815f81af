import { createHash, randomBytes } from "node:crypto";
import { APPROVER_STATUS_CODE, FLOW_STATUS_CODE, type ApproverState, type FlowState } from "../ess-emulator/core/model";
import { callbackBody, contentSignature } from "../ess-emulator/callbacks/crypto";
import { MSG_VERSION } from "../ess-emulator/callbacks/messages";

/**
 * One sample ESS callback, built and protected the way ESS (and the emulator) does it: the envelope
 * of the chosen edition, AES-256-CBC under the callback key, signed with the token in the
 * `Content-Signature` header or in the query form. Built from the emulator's own crypto and message
 * vocabulary, never from the product's, so a bug in the product's receiver cannot hide behind the
 * same bug here.
 */
export interface SampleCallbackOptions {
  edition: "ess" | "essbasic";
  /** `FlowStatusChange` (a flow's status) or `FlowGroupStatusChange`. */
  msgType: "FlowStatusChange" | "FlowGroupStatusChange";
  /** The flow's status word (FlowStatusChange), or the group's `FlowGroupStatus` (FlowGroupStatusChange). */
  status: string;
  flowGroupId: string;
  flowId: string;
  msgId?: string;
  /** Unix seconds of `OccurTime` (default now). */
  occurTime?: number;
}

export interface SampleCallback {
  msgId: string;
  envelope: { MsgId: string; MsgType: string; MsgVersion: string; MsgData: Record<string, unknown> };
  body: Buffer;
  headers: Record<string, string>;
  /** Query parameters to append to the URL (query signature form). */
  query: Record<string, string>;
}

export const FLOW_STATES = Object.keys(FLOW_STATUS_CODE).filter((s) => s !== "FILLING") as FlowState[];
export const GROUP_STATES = ["TOSIGN", "WAITSIGN", "PART", "ALL", "INVALID"] as const;

/** A 32-character id like the ones ESS hands out. */
export function sampleId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join("");
}

/** Approver states that go with a flow state: two approvers, the first one acting first. */
function approverStates(flow: FlowState): [ApproverState, ApproverState] {
  switch (flow) {
    case "ALL":
      return ["ACCEPT", "ACCEPT"];
    case "PART":
      return ["ACCEPT", "PENDING"];
    case "REJECT":
      return ["REJECT", "STOP"];
    case "CANCEL":
      return ["CANCEL", "CANCEL"];
    case "DEADLINE":
      return ["DEADLINE", "DEADLINE"];
    default:
      return ["PENDING", "PENDING"];
  }
}

const OPERATE: Partial<Record<FlowState, string>> = {
  ALL: "finish",
  PART: "sign",
  REJECT: "reject",
  CANCEL: "cancel",
  DEADLINE: "deadline",
};

/** The envelope ESS would send for `options`. */
export function sampleEnvelope(options: SampleCallbackOptions): SampleCallback["envelope"] {
  const msgId = options.msgId ?? sampleId();
  const occurTime = options.occurTime ?? Math.floor(Date.now() / 1000);
  if (options.msgType === "FlowGroupStatusChange") {
    return {
      MsgId: msgId,
      MsgType: "FlowGroupStatusChange",
      MsgVersion: MSG_VERSION[options.edition],
      MsgData: {
        FlowGroupId: options.flowGroupId,
        FlowGroupName: "callback-send sample",
        FlowGroupStatus: options.status,
        OccurTime: occurTime,
      },
    };
  }
  const flow = options.status as FlowState;
  const states = approverStates(flow);
  const approvers = states.map((state, i) => ({
    RecipientId: `${options.flowId.slice(0, 24)}Recip00${i + 1}`,
    SignId: `${options.flowId.slice(0, 25)}Sign00${i + 1}`,
    ApproverRoleName: i === 0 ? "甲方" : "乙方",
    ApproveTime: state === "ACCEPT" ? occurTime : 0,
    ApproveMessage: "",
    ...(options.edition === "ess"
      ? { ApproverType: 1, ApproveCallbackStatus: APPROVER_STATUS_CODE[state], ApproveCallbackShowStatus: state }
      : { ApproverType: "PERSON", ApproveStatus: state, OpenId: "", OrganizationOpenId: "" }),
  }));
  const common = {
    FlowId: options.flowId,
    FlowName: "callback-send sample",
    FlowType: "sample",
    Operate: OPERATE[flow] ?? "start",
    RecipientId: flow === "INIT" ? "" : approvers[0]!.RecipientId,
    OccurTime: occurTime,
    Approvers: approvers,
  };
  const data =
    options.edition === "ess"
      ? {
          ...common,
          CallbackType: "sign",
          FlowCallbackStatus: FLOW_STATUS_CODE[flow],
          FlowCallbackShowStatus: flow,
          UserData: "",
          FlowGroupMessage: { FlowGroupId: options.flowGroupId, FlowGroupName: "callback-send sample" },
        }
      : // The platform edition's message names no group (the emulator's reading of an unconfirmed detail).
        { ...common, ApplicationId: "", ProxyOrganizationOpenId: "", FlowStatus: flow, CustomerData: "" };
  return { MsgId: msgId, MsgType: "FlowStatusChange", MsgVersion: MSG_VERSION[options.edition], MsgData: data };
}

/** The envelope encrypted under `key` and signed with `token` (header form, or query form). */
export function protectCallback(
  envelope: SampleCallback["envelope"],
  key: string,
  token: string | undefined,
  form: "header" | "query" = "header",
  now = Date.now(),
): SampleCallback {
  const body = callbackBody(envelope, key);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const query: Record<string, string> = {};
  if (token !== undefined && form === "header") headers["Content-Signature"] = contentSignature(body, token);
  if (token !== undefined && form === "query") {
    const timestamp = String(Math.floor(now / 1000));
    const nonce = randomBytes(8).toString("hex");
    const encrypt = (JSON.parse(body.toString("utf8")) as { encrypt: string }).encrypt;
    const signature = createHash("sha1").update([token, timestamp, nonce, encrypt].sort().join("")).digest("hex");
    Object.assign(query, { timestamp, nonce, msg_signature: signature });
  }
  return { msgId: envelope.MsgId, envelope, body, headers, query };
}
