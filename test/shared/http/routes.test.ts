import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { matchPath, resolveRoute } from "../../../shared/http/routes";

const routes = [
  { method: "POST", path: "/ess/flow-groups" },
  { method: "GET", path: "/flow-groups/{FlowGroupId}" },
  { method: "GET", path: "/flow-groups/{FlowGroupId}/events" },
];

describe("matchPath", () => {
  it.each([
    ["/flow-groups/{FlowGroupId}", "/flow-groups/abc", { FlowGroupId: "abc" }],
    ["/flow-groups/{FlowGroupId}", "/flow-groups/abc/", { FlowGroupId: "abc" }],
    ["/flow-groups/{FlowGroupId}", "/flow-groups/a%20b", { FlowGroupId: "a b" }],
    ["/flow-groups/{FlowGroupId}", "/flow-groups", undefined],
    ["/flow-groups/{FlowGroupId}", "/flow-groups/a/b", undefined],
    ["/flow-groups/{FlowGroupId}", "/flow-groups/%E0%A4%A", undefined],
    ["/ess/flow-groups", "/ess/flow-groups?x=1", {}],
  ])("%s ~ %s", (pattern, path, expected) => {
    expect(matchPath(pattern, path)).toEqual(expected);
  });
});

describe("resolveRoute", () => {
  it("finds the route and its parameters", () => {
    expect(resolveRoute(routes, "get", "/flow-groups/x/events")).toEqual({ route: routes[2], params: { FlowGroupId: "x" } });
  });

  it("answers 404 for an unknown path", () => {
    expect(() => resolveRoute(routes, "GET", "/nope")).toThrowError(expect.objectContaining({ httpStatus: 404 }));
  });

  it("answers 405 with Allow for a known path and another method", () => {
    try {
      resolveRoute(routes, "DELETE", "/ess/flow-groups");
      throw new Error("expected 405");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).httpStatus).toBe(405);
      expect((error as AppError).headers.Allow).toBe("POST");
    }
  });
});
