import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  editionOf,
  EnvelopeError,
  isEnvelope,
  legacyMsgId,
  mapApproverStatus,
  mapFlowStatus,
  parseEnvelope,
  parseLegacyV1,
} from "../../../shared/callback/envelope";
import type { StatusEvent } from "../../../shared/status-store/model";
import { loadFixture } from "./callback-fixtures";

const RECEIVED_AT = new Date("2024-06-10T06:00:00.000Z");

function envelope(msgData: unknown, over: Record<string, unknown> = {}) {
  return { MsgId: "msg-1", MsgType: "FlowStatusChange", MsgVersion: "CustomApp", MsgData: msgData, ...over };
}

function only(events: StatusEvent[]): StatusEvent {
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe("flow status mapping", () => {
  it.each([
    [1, "INIT"],
    [2, "PART"],
    [3, "REJECT"],
    [4, "ALL"],
    [5, "DEADLINE"],
    [6, "CANCEL"],
    [8, "INIT"],
    [16, "INVALID"],
    [21, "RELIEVED"],
  ])("FlowCallbackStatus %i → %s (number and numeric string)", (code, status) => {
    expect(mapFlowStatus(code)).toBe(status);
    expect(mapFlowStatus(String(code))).toBe(status);
    expect(only(parseEnvelope(envelope({ FlowId: "f", FlowCallbackStatus: code }), RECEIVED_AT)).flowStatus).toBe(status);
  });

  it.each(["INIT", "PART", "REJECT", "ALL", "DEADLINE", "CANCEL", "INVALID", "RELIEVED"])(
    "string %s is read from FlowCallbackShowStatus (ess) and FlowStatus (essbasic)",
    (status) => {
      expect(mapFlowStatus(status.toLowerCase())).toBe(status);
      expect(only(parseEnvelope(envelope({ FlowId: "f", FlowCallbackShowStatus: status }), RECEIVED_AT)).flowStatus).toBe(status);
      const basic = envelope({ FlowId: "f", FlowStatus: status }, { MsgVersion: "ThirdPartyApp" });
      expect(only(parseEnvelope(basic, RECEIVED_AT)).flowStatus).toBe(status);
    },
  );

  it.each([0, 7, 9, 99, -1, 2.5, "", " ", "SIGNING", "ALLX", null, true, {}, [4]])("unknown value %j leaves the status unset", (value) => {
    expect(mapFlowStatus(value)).toBeUndefined();
    const msgData = { FlowId: "f", FlowCallbackStatus: value };
    const event = only(parseEnvelope(envelope(msgData), RECEIVED_AT));
    expect(event.flowStatus).toBeUndefined();
    expect(event.flowId).toBe("f");
    expect(event.raw).toEqual(msgData);
  });

  it("prefers the V2 show status when it is known, else falls back to the number", () => {
    expect(only(parseEnvelope(envelope({ FlowCallbackStatus: 2, FlowCallbackShowStatus: "ALL" }), RECEIVED_AT)).flowStatus).toBe("ALL");
    expect(only(parseEnvelope(envelope({ FlowCallbackStatus: 4, FlowCallbackShowStatus: "NEWTHING" }), RECEIVED_AT)).flowStatus).toBe(
      "ALL",
    );
  });
});

describe("approver status mapping", () => {
  it.each([
    [2, "PENDING"],
    [7, "PENDING"],
    [3, "ACCEPT"],
    [4, "REJECT"],
    [5, "DEADLINE"],
    [6, "CANCEL"],
    [8, "FILLPENDING"],
    [9, "STOP"],
    [10, "FILLACCEPT"],
    [15, "RELIEVED"],
    [19, "FORWARD"],
  ])("ApproveCallbackStatus %i → %s (number and numeric string)", (code, status) => {
    expect(mapApproverStatus(code)).toBe(status);
    expect(mapApproverStatus(String(code))).toBe(status);
    const event = only(
      parseEnvelope(envelope({ FlowId: "f", Approvers: [{ RecipientId: "r", ApproveCallbackStatus: code }] }), RECEIVED_AT),
    );
    expect(event.approvers).toEqual([{ recipientId: "r", status }]);
  });

  it.each(["PENDING", "FILLPENDING", "FILLACCEPT", "ACCEPT", "REJECT", "DEADLINE", "CANCEL", "STOP", "RELIEVED", "FORWARD"])(
    "string %s is read from ApproveCallbackShowStatus (ess) and ApproveStatus (essbasic)",
    (status) => {
      const ess = envelope({ Approvers: [{ RecipientId: "r", ApproveCallbackShowStatus: status }] });
      expect(only(parseEnvelope(ess, RECEIVED_AT)).approvers?.[0]?.status).toBe(status);
      const basic = envelope({ Approvers: [{ RecipientId: "r", ApproveStatus: status.toLowerCase() }] }, { MsgVersion: "ThirdPartyApp" });
      expect(only(parseEnvelope(basic, RECEIVED_AT)).approvers?.[0]?.status).toBe(status);
    },
  );

  it.each([
    [0, "PENDING"],
    [1, "PENDING"],
    ["WAITPICKUP", "PENDING"],
    ["FILLREJECT", "REJECT"],
  ])("reads the Describe vocabulary too (%j → %s), as the SDK model documents it", (value, status) => {
    expect(mapApproverStatus(value)).toBe(status);
  });

  it.each([11, 99, "SOMETHING", "", null])("unknown approver status %j leaves it unset and keeps the approver", (value) => {
    const event = only(parseEnvelope(envelope({ Approvers: [{ RecipientId: "r", ApproveStatus: value, ApproverType: 1 }] }), RECEIVED_AT));
    expect(event.approvers).toEqual([{ recipientId: "r", approverType: "1" }]);
  });
});

describe("the openssl fixtures' plaintexts", () => {
  it("ess FlowStatusChange", () => {
    const plain = JSON.parse(loadFixture("ess-flow-status-change").plaintext!.toString("utf8"));
    expect(parseEnvelope(plain, RECEIVED_AT)).toEqual([
      {
        msgId: "yDSLfixtureEssFlow0001",
        msgType: "FlowStatusChange",
        edition: "ess",
        source: "callback",
        receivedAt: "2024-06-10T06:00:00.000Z",
        occurTime: 1718000100,
        flowGroupId: "yDGfixtureGroup1",
        flowId: "yDRfixtureFlowA",
        flowStatus: "PART",
        operate: "sign",
        recipientId: "yDRSrecipientA1",
        userData: "order-2024-0001",
        approvers: [
          { recipientId: "yDRSrecipientA1", approverType: "1", status: "ACCEPT", approveTime: 1718000100 },
          { recipientId: "yDRSrecipientA2", approverType: "0", status: "PENDING" },
        ],
        raw: plain.MsgData,
      },
    ]);
  });

  it("essbasic FlowStatusChange (string statuses, numeric-looking string, CustomerData, OpenIds kept raw)", () => {
    const plain = JSON.parse(loadFixture("essbasic-flow-status-change").plaintext!.toString("utf8"));
    const event = only(parseEnvelope(plain, RECEIVED_AT));
    expect(event).toMatchObject({
      msgId: "yDSLfixtureBasicFlow0001",
      edition: "essbasic",
      flowGroupId: "yDGfixtureGroup2",
      flowId: "yDRfixtureFlowB",
      flowStatus: "ALL",
      operate: "finish",
      recipientId: "yDRSrecipientB2",
      userData: '{"ticket":"T-77"}',
      occurTime: 1718000200,
      approvers: [
        { recipientId: "yDRSrecipientB1", approverType: "ORGANIZATION", status: "ACCEPT", approveTime: 1718000150 },
        { recipientId: "yDRSrecipientB2", approverType: "PERSON", status: "ACCEPT", approveTime: 1718000200 },
      ],
    });
    expect(event.raw).toEqual(plain.MsgData);
    expect((event.raw as { Approvers: Array<{ OpenId: string }> }).Approvers[0]!.OpenId).toBe("open-user-1");
  });

  it("FlowGroupStatusChange", () => {
    const plain = JSON.parse(loadFixture("ess-flow-group-status-change").plaintext!.toString("utf8"));
    const event = only(parseEnvelope(plain, RECEIVED_AT));
    expect(event).toMatchObject({
      msgType: "FlowGroupStatusChange",
      flowGroupId: "yDGfixtureGroup1",
      essGroupStatus: "ALL",
      occurTime: 1718000300,
    });
    expect(event.flowId).toBeUndefined();
    expect(event.flowStatus).toBeUndefined();
  });

  it("an unknown MsgType is kept, with its FlowId", () => {
    const plain = JSON.parse(loadFixture("ess-unknown-msg-type").plaintext!.toString("utf8"));
    const event = only(parseEnvelope(plain, RECEIVED_AT));
    expect(event).toMatchObject({ msgType: "SealUsageAudit", flowId: "yDRfixtureFlowA", edition: "ess" });
    expect(event.raw).toEqual(plain.MsgData);
  });
});

describe("message types", () => {
  it.each([
    "FlowCost",
    "ForwardFLow",
    "CreateFlowReview",
    "OperateSeal",
    "SealUse",
    "QuiteJob",
    "BillingUse",
    "TemplateAdd",
    "NeverSeenBefore",
  ])("%s is stored as it is, FlowId and group extracted when present", (msgType) => {
    const msgData = { FlowId: "flow-9", FlowGroupId: "group-9", Anything: { nested: [1, 2] } };
    expect(only(parseEnvelope(envelope(msgData, { MsgType: msgType }), RECEIVED_AT))).toEqual({
      msgId: "msg-1",
      msgType,
      edition: "ess",
      source: "callback",
      receivedAt: RECEIVED_AT.toISOString(),
      flowId: "flow-9",
      flowGroupId: "group-9",
      raw: msgData,
    });
    const bare = only(parseEnvelope(envelope({ SealId: "s" }, { MsgType: msgType }), RECEIVED_AT));
    expect(bare.flowId).toBeUndefined();
    expect(bare.flowGroupId).toBeUndefined();
  });

  it("ApproverDeadlineExpired marks the named approver DEADLINE", () => {
    const event = only(parseEnvelope(envelope({ FlowId: "f", RecipientId: "r1" }, { MsgType: "ApproverDeadlineExpired" }), RECEIVED_AT));
    expect(event.approvers).toEqual([{ recipientId: "r1", status: "DEADLINE" }]);
    expect(event.flowStatus).toBeUndefined();
  });

  it("ApproverDeadlineExpired keeps an explicit status and leaves other approvers alone", () => {
    const msgData = {
      FlowId: "f",
      RecipientId: "r1",
      Approvers: [{ RecipientId: "r1", ApproveCallbackStatus: 3 }, { RecipientId: "r2" }],
    };
    const event = only(parseEnvelope(envelope(msgData, { MsgType: "ApproverDeadlineExpired" }), RECEIVED_AT));
    expect(event.approvers).toEqual([{ recipientId: "r1", status: "ACCEPT" }, { recipientId: "r2" }]);
  });

  it("CancelFlows with several FlowIds becomes one event per flow, with derived MsgIds", () => {
    const msgData = { FlowIds: ["fa", "fb", "fa"], FlowGroupMessage: { FlowGroupId: "g" } };
    const events = parseEnvelope(envelope(msgData, { MsgType: "CancelFlows", MsgId: "m7" }), RECEIVED_AT);
    expect(events.map((e) => [e.msgId, e.flowId, e.flowGroupId, e.msgType])).toEqual([
      ["m7-fa", "fa", "g", "CancelFlows"],
      ["m7-fb", "fb", "g", "CancelFlows"],
    ]);
    for (const event of events) {
      expect(event.raw).toEqual(msgData);
      // No status is inferred: each flow's own FlowStatusChange carries it.
      expect(event.flowStatus).toBeUndefined();
    }
  });

  it.each([
    ["one FlowId in FlowIds", { FlowIds: ["fa"] }, [["m7", "fa"]]],
    ["a FlowId beside FlowIds", { FlowId: "f0", FlowIds: ["fa", "fb"] }, [["m7", "f0"]]],
    ["an empty FlowIds", { FlowIds: [] }, [["m7", undefined]]],
    ["FlowIds that is not a list", { FlowIds: "fa,fb" }, [["m7", undefined]]],
  ])("CancelFlows with %s stays one event", (_case, msgData, expected) => {
    const events = parseEnvelope(envelope(msgData, { MsgType: "CancelFlows", MsgId: "m7" }), RECEIVED_AT);
    expect(events.map((e) => [e.msgId, e.flowId])).toEqual(expected);
  });
});

describe("envelope shape", () => {
  it.each([
    ["no MsgId", { MsgType: "FlowStatusChange", MsgData: {} }, "MsgId"],
    ["an empty MsgId", { MsgId: " ", MsgType: "FlowStatusChange", MsgData: {} }, "MsgId"],
    ["a MsgId that is an object", { MsgId: {}, MsgType: "FlowStatusChange" }, "MsgId"],
    ["no MsgType", { MsgId: "m", MsgData: { ApproverMobile: "13912345678" } }, "MsgType"],
    ["a numeric MsgType", { MsgId: "m", MsgType: 3 }, "MsgType"],
    ["an array", [1, 2], "object"],
    ["null", null, "object"],
  ])("%s → EnvelopeError naming the field, never a value", (_case, value, field) => {
    let error: unknown;
    try {
      parseEnvelope(value, RECEIVED_AT);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvelopeError);
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).not.toContain("13912345678");
  });

  it.each([
    ["CustomApp", "ess"],
    ["ThirdPartyApp", "essbasic"],
    ["SomethingElse", "unknown"],
    [undefined, "unknown"],
  ])("MsgVersion %s → edition %s", (version, edition) => {
    expect(editionOf(version)).toBe(edition);
    expect(only(parseEnvelope(envelope({}, { MsgVersion: version }), RECEIVED_AT)).edition).toBe(edition);
  });

  it("a numeric MsgId becomes text", () => {
    expect(only(parseEnvelope(envelope({}, { MsgId: 12345 }), RECEIVED_AT)).msgId).toBe("12345");
  });

  it("MsgData sent as a JSON string is read through and stored verbatim", () => {
    const msgData = JSON.stringify({ FlowId: "f", FlowCallbackStatus: 4 });
    const event = only(parseEnvelope(envelope(msgData), RECEIVED_AT));
    expect(event).toMatchObject({ flowId: "f", flowStatus: "ALL" });
    expect(event.raw).toBe(msgData);
  });

  it("a missing MsgData is stored as null", () => {
    expect(only(parseEnvelope({ MsgId: "m", MsgType: "X" }, RECEIVED_AT)).raw).toBeNull();
  });

  it.each([
    [1718000000, 1718000000],
    ["1718000000", 1718000000],
    [1718000000123, 1718000000],
    [-5, undefined],
    ["yesterday", undefined],
  ])("OccurTime %j → %j", (value, expected) => {
    expect(only(parseEnvelope(envelope({ OccurTime: value }), RECEIVED_AT)).occurTime).toBe(expected);
  });

  it.each([
    [{ MsgId: "m" }, true],
    [{ MsgType: "t" }, true],
    [{ MsgData: {} }, true],
    [{ MsgVersion: "CustomApp" }, true],
    [{ FlowId: "f", FlowCallbackStatus: 4 }, false],
    [{}, false],
    ["text", false],
    [null, false],
  ])("isEnvelope(%j) = %s", (value, expected) => {
    expect(isEnvelope(value)).toBe(expected);
  });
});

describe("legacy v1 (bare MsgData)", () => {
  const fixture = loadFixture("ess-legacy-v1");
  const msgData = JSON.parse(fixture.plaintext!.toString("utf8"));

  it("gets the MsgId v1-<sha256 of the bytes>, stable for the same bytes", () => {
    const expectedId = `v1-${createHash("sha256").update(fixture.plaintext!).digest("hex")}`;
    expect(legacyMsgId(fixture.plaintext!)).toBe(expectedId);
    const event = only(parseLegacyV1(msgData, fixture.plaintext!, RECEIVED_AT));
    expect(event).toMatchObject({
      msgId: expectedId,
      msgType: "FlowStatusChange",
      edition: "unknown",
      flowId: "yDRfixtureFlowC",
      flowStatus: "ALL",
      userData: "legacy-1",
      approvers: [{ recipientId: "yDRSrecipientC1", approverType: "1", status: "ACCEPT" }],
    });
    expect(event.raw).toEqual(msgData);
    expect(only(parseLegacyV1(msgData, Buffer.from(fixture.plaintext!), RECEIVED_AT)).msgId).toBe(expectedId);
  });

  it("different bytes give a different MsgId", () => {
    expect(legacyMsgId(Buffer.from('{"FlowId":"a"}'))).not.toBe(legacyMsgId(Buffer.from('{"FlowId":"b"}')));
  });

  it.each([
    [{ SealId: "s" }, "LegacyV1"],
    [{ MsgType: "OperateSeal", SealId: "s" }, "OperateSeal"],
    [{ FlowId: "f", FlowStatus: "ALL" }, "FlowStatusChange"],
  ])("MsgType of %j is %s", (data, msgType) => {
    expect(only(parseLegacyV1(data, Buffer.from(JSON.stringify(data)), RECEIVED_AT)).msgType).toBe(msgType);
  });

  it("refuses a value that is not an object", () => {
    expect(() => parseLegacyV1([1], Buffer.from("[1]"), RECEIVED_AT)).toThrow(EnvelopeError);
  });
});
