import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseHandler, readServerlessRoutes, routesFromServerlessYml } from "../../../local/gateway/serverless-routes";

describe("routes from serverless.yml", () => {
  it("lists every API of the project's file with its function", async () => {
    const routes = await readServerlessRoutes("serverless.yml");
    expect(routes.map((r) => `${r.method} ${r.path} → ${r.functionKey}`)).toEqual([
      "POST /ess/flow-groups → create-group",
      "POST /essbasic/flow-groups → create-group",
      "POST /ess/callbacks → callback",
      "GET /flow-groups/{FlowGroupId} → group-status",
      "GET /flow-groups/{FlowGroupId}/events → group-status",
    ]);
    expect(routes[0]).toMatchObject({ handler: "create-group/index.main_handler", timeoutSeconds: 30, memorySize: 256 });
  });

  it("every handler points at a function folder with a handler.ts", async () => {
    for (const route of await readServerlessRoutes("serverless.yml")) {
      const { folder, exportName } = parseHandler(route.handler);
      expect(exportName).toBe("main_handler");
      await expect(readFile(`functions/${folder}/handler.ts`, "utf8")).resolves.toContain("main_handler");
    }
  });

  it.each([
    ["component: scf\ninputs: {}", "multi-scf"],
    ["component: multi-scf\ninputs:\n  triggers:\n    - type: apigw\n      parameters:\n        apis:\n          - path: /x\n            method: GET\n            function: nope", "known function"],
  ])("refuses a file that is not a multi-scf with known functions", (text, message) => {
    expect(() => routesFromServerlessYml(text)).toThrow(message);
  });

  it.each(["create-group/index", "../x/index.main_handler", "create-group/main.main_handler"])("refuses handler %s", (h) => {
    expect(() => parseHandler(h)).toThrow();
  });
});
