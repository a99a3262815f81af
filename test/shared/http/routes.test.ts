import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/errors/app-error";
import { bindRoutes } from "../../../shared/http/http-handler";
import { declareRoutes, matchPath, resolveRoute } from "../../../shared/http/routes";

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

describe("declareRoutes / bindRoutes", () => {
  it("refuses a route declared twice, or a path that is not a URL path", () => {
    expect(() =>
      declareRoutes([
        { name: "a", method: "GET", path: "/x" },
        { name: "b", method: "get", path: "/x" },
      ]),
    ).toThrow(/GET \/x is declared twice/);
    expect(() => declareRoutes([{ name: "a", method: "GET", path: "x y" }])).toThrow(/must start with \//);
  });

  it("binds each declared route to its implementation, and refuses a missing one", async () => {
    const declared = declareRoutes([
      { name: "one", method: "GET", path: "/one" },
      { name: "two", method: "POST", path: "/two" },
    ]);
    const handle = async () => ({ statusCode: 200, body: {} });
    expect(bindRoutes(declared, { one: handle, two: handle }).map((r) => [r.name, r.method, r.path, r.handle === handle])).toEqual([
      ["one", "GET", "/one", true],
      ["two", "POST", "/two", true],
    ]);
    // @ts-expect-error -- "two" has no implementation: this does not compile, and throws if forced
    expect(() => bindRoutes(declared, { one: handle })).toThrow(/route two has no implementation/);
  });

  it("each function declares routes named after it", async () => {
    for (const fn of ["create-group", "callback", "group-status"]) {
      const { routes } = (await import(`../../../functions/${fn}/routes.ts`)) as { routes: readonly { name: string }[] };
      expect(routes.length).toBeGreaterThan(0);
      expect(routes.every((r) => r.name.startsWith(fn))).toBe(true);
    }
  });
});
