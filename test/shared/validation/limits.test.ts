import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import {
  largestEssbasicRequest,
  largestEssRequest,
  maximalEssbasicRequest,
  maximalEssRequest,
} from "../../../bench/validate/maximal-requests";
import type { Edition } from "../../../shared/ess/edition";
import { REQUEST_BODY_LIMIT } from "../../../shared/http/request";
import * as common from "../../../shared/validation/common";
import * as componentExtra from "../../../shared/validation/component-extra";
import { MAX_CREATE_BODY_BYTES } from "../../../shared/validation/limits";
import { type Body, errorsOf, NOW, show, validate } from "./fixtures";

/**
 * Bounded work per request (audit finding 4), measured in sizes and counts, never in time: how many
 * elements validation reads, how many issues it keeps, how many bytes its cache holds, and the body
 * limits against the largest valid requests.
 */

const FLOWS_KEY: Record<Edition, string> = { ess: "FlowGroupInfos", essbasic: "FlowFileInfos" };
const APPROVERS_KEY: Record<Edition, string> = { ess: "Approvers", essbasic: "FlowApprovers" };
const maximal = (edition: Edition): Body => (edition === "ess" ? maximalEssRequest(NOW) : maximalEssbasicRequest(NOW));
const bytes = (body: unknown) => Buffer.byteLength(JSON.stringify(body));

/** `items` behind a proxy that counts reads of its elements. */
function counted<T>(items: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

describe.each<Edition>(["ess", "essbasic"])("%s: the flow limit (finding 9)", (edition) => {
  it("50 flows pass", () => {
    expect(errorsOf(validate(edition, maximal(edition)))).toEqual([]);
  });

  it("51 flows are refused at the flow list", () => {
    const body = maximal(edition);
    body[FLOWS_KEY[edition]].push(structuredClone(body[FLOWS_KEY[edition]][0]));
    expect(errorsOf(validate(edition, body)).map(show)).toEqual([`InvalidParameter.${FLOWS_KEY[edition]} @ ${FLOWS_KEY[edition]}`]);
  });
});

describe.each<Edition>(["ess", "essbasic"])("%s: counts first, then elements (finding 4)", (edition) => {
  it("100,000 empty flows: one issue, and no flow is read", () => {
    const flows = counted(Array.from({ length: 100_000 }, () => ({})));
    const body = { ...maximal(edition), [FLOWS_KEY[edition]]: flows.array };
    const outcome = validate(edition, body);
    expect(errorsOf(outcome).map(show)).toEqual([`InvalidParameter.${FLOWS_KEY[edition]} @ ${FLOWS_KEY[edition]}`]);
    expect(flows.reads()).toBe(0);
  });

  it("an approver list over its limit is refused without reading an approver", () => {
    const body = maximal(edition);
    const approvers = counted(Array.from({ length: 10_000 }, () => ({ Unknown: 1 })));
    body[FLOWS_KEY[edition]][0][APPROVERS_KEY[edition]] = approvers.array;
    expect(errorsOf(validate(edition, body)).map(show)).toEqual([
      `InvalidParameter.${APPROVERS_KEY[edition]} @ ${FLOWS_KEY[edition]}[0].${APPROVERS_KEY[edition]}`,
    ]);
    expect(approvers.reads()).toBe(0);
  });

  it("issues are collected up to the cap, then walking stops", () => {
    const body = maximal(edition);
    const components = counted(Array.from({ length: 100_000 }, () => ({ ComponentType: "TEXT", Unknown: 1 })));
    body[FLOWS_KEY[edition]][0].Components = components.array;
    const outcome = validate(edition, body);
    expect(outcome.ok).toBe(false);
    expect(errorsOf(outcome).length).toBeLessThanOrEqual(100);
    expect(outcome.ok === false && outcome.truncated).toBe(true);
    // Each component yields an unknown field and missing geometry; the walk stops within a few hundred.
    expect(components.reads()).toBeLessThan(1_000);
  });
});

describe.each<Edition>(["ess", "essbasic"])("%s: findings past the cap (finding 4)", (edition) => {
  it("cross-field findings stop at 100 errors, and so does the walk", () => {
    const body = maximal(edition);
    // Valid for the schema, each wrong for a cross-field rule (a CHECK_BOX value must be true/false).
    const make = () => ({ ...body[FLOWS_KEY[edition]][0].Components[0], ComponentType: "CHECK_BOX", ComponentValue: "maybe" });
    const components = counted(Array.from({ length: 20_000 }, make));
    body[FLOWS_KEY[edition]][0].Components = components.array;
    const outcome = validate(edition, body);
    expect(errorsOf(outcome)).toHaveLength(100);
    expect(outcome.ok === false && outcome.truncated).toBe(true);
    // The schema pass and the cross-field pass's ComponentExtra scan read every element once (neither
    // finds anything); the per-component checks stop at the cap.
    expect(components.reads()).toBeGreaterThanOrEqual(40_000);
    expect(components.reads()).toBeLessThan(40_000 + 1_000);
  });
});

describe("the e-mail check (finding 4: quadratic regex, no length cap)", () => {
  const pattern = common.EMAIL as unknown as { regex?: RegExp; source: string; flags: string; match?: (v: string) => boolean | undefined };
  const regex = pattern.regex ?? (pattern as unknown as RegExp);

  it("is linear (recheck)", () => {
    expect(checkSync(regex.source, regex.flags, { checker: "automaton" }).status).toBe("safe");
  });

  it("never runs on a 40,000-character address", () => {
    expect(typeof pattern.match).toBe("function");
    const runs = (common.EMAIL as unknown as { runs: number }).runs;
    expect(pattern.match!(`a@${".".repeat(40_000)}@`)).toBeUndefined();
    expect((common.EMAIL as unknown as { runs: number }).runs).toBe(runs);
    const body = maximal("ess");
    body.FlowGroupInfos[0].Approvers[1].ApproverEmail = `a@${".".repeat(40_000)}@`;
    expect(errorsOf(validate("ess", body)).map(show)).toEqual([
      "InvalidParameter.ApproverEmail @ FlowGroupInfos[0].Approvers[1].ApproverEmail",
    ]);
  });
});

describe("the ComponentExtra cache is bounded by bytes (finding 4)", () => {
  it("keeps at most EXTRA_CACHE_MAX_BYTES whatever it is fed, and never a 2 MB string", () => {
    expect(typeof componentExtra.componentExtraCacheSize).toBe("function");
    const huge = (i: number) => `{"FontSize":12,"Pad":"${String(i).padEnd(2 * 1024 * 1024, "x")}"}`;
    componentExtra.parseExtra({ report: () => undefined } as never, '{"FontSize":13}', "x");
    const before = componentExtra.componentExtraCacheSize();
    expect(before.entries).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      const body = maximal("ess");
      body.FlowGroupInfos[0].Approvers[1].SignComponents[0].ComponentExtra = huge(i);
      validate("ess", body);
    }
    // The 20 × 2 MB strings were parsed and checked, none was kept, and none pushed a small one out.
    expect(componentExtra.componentExtraCacheSize()).toEqual(before);
    for (let i = 0; i < 5_000; i++) {
      const body = maximal("essbasic");
      body.FlowFileInfos[0].FlowApprovers[1].SignComponents[0].ComponentExtra = `{"Opacity":0.8,"Id":"${i}${"y".repeat(1_000)}"}`;
      componentExtra.parseExtra(
        { report: () => undefined } as never,
        body.FlowFileInfos[0].FlowApprovers[1].SignComponents[0].ComponentExtra,
        "x",
      );
    }
    const size = componentExtra.componentExtraCacheSize();
    expect(size.bytes).toBeLessThanOrEqual(componentExtra.EXTRA_CACHE_MAX_BYTES);
    expect(size.entries).toBeGreaterThan(0);
  });
});

describe("body limits set from the largest valid requests (finding 4)", () => {
  const largest = { ess: largestEssRequest(NOW), essbasic: largestEssbasicRequest(NOW) };

  it.each<Edition>(["ess", "essbasic"])("%s: the largest request the documents allow is valid", (edition) => {
    const outcome = validate(edition, largest[edition]);
    expect(errorsOf(outcome).map(show)).toEqual([]);
    expect(largest[edition][FLOWS_KEY[edition]]).toHaveLength(50);
  });

  it("essbasic: the limit holds the largest valid body with at least 20 % to spare, and is well under the platform's", () => {
    const size = bytes(largest.essbasic);
    expect(MAX_CREATE_BODY_BYTES.essbasic).toBeGreaterThanOrEqual(size * 1.2);
    expect(MAX_CREATE_BODY_BYTES.essbasic).toBeLessThan(size * 1.5);
    expect(MAX_CREATE_BODY_BYTES.essbasic).toBeLessThan(REQUEST_BODY_LIMIT / 2);
  });

  it("ess: the largest valid body is larger than SCF carries, so the limit is SCF's; ordinary maximal groups fit ten times over", () => {
    expect(bytes(largest.ess)).toBeGreaterThan(REQUEST_BODY_LIMIT);
    expect(MAX_CREATE_BODY_BYTES.ess).toBe(REQUEST_BODY_LIMIT);
    expect(MAX_CREATE_BODY_BYTES.ess).toBeGreaterThan(10 * bytes(maximal("ess")));
  });
});
