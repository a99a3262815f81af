import path from "node:path";
import { describe, expect, it } from "vitest";
import { importCircles, importEdges, type ImportEdge } from "../../scripts/house/import-graph";
import { CHECKED_FOLDERS, dependencyViolations } from "./dependency-rules";

const root = path.resolve(__dirname, "../..");
const edges = importEdges(root, CHECKED_FOLDERS);

describe("dependency rules over the repository's imports", () => {
  it("reads the imports of every source folder", () => {
    // A parser that finds nothing would pass every rule below.
    expect(edges.filter((edge) => edge.from.startsWith("functions/")).length).toBeGreaterThan(30);
    expect(edges.some((edge) => edge.from === "functions/callback/handler.ts" && edge.to === "shared/callback/receive-callback.ts")).toBe(
      true,
    );
    expect(edges.some((edge) => edge.from.startsWith("local/ess-emulator/") && edge.to === "shared/log/logger.ts")).toBe(true);
  });

  it("breaks none of them", () => {
    expect(dependencyViolations(edges)).toEqual([]);
  });

  it("has no import circle", () => {
    expect(importCircles(edges)).toEqual([]);
  });
});

const edge = (from: string, to: string, external = false): ImportEdge => ({ from, to, external, typeOnly: false });

describe("each rule catches the import it forbids", () => {
  it.each([
    ["a handler importing another handler", edge("functions/group-status/handler.ts", "functions/create-group/handler.ts")],
    ["a handler importing the local stack", edge("functions/callback/handler.ts", "local/gateway/server.ts")],
    ["shared/ importing a handler", edge("shared/groups/group-status.ts", "functions/group-status/routes.ts")],
    ["shared/ importing the emulator", edge("shared/ess/sdk-adapter.ts", "local/ess-emulator/server.ts")],
    ["a use case importing config types", edge("shared/groups/create-group.ts", "shared/config/config.ts")],
    ["the callback core importing the HTTP body limit", edge("shared/callback/receive-callback.ts", "shared/http/request.ts")],
    ["a use case importing the API-key reader", edge("shared/groups/list-groups.ts", "shared/auth/api-keys.ts")],
    ["the emulator importing our validation", edge("local/ess-emulator/actions/create-flow-group.ts", "shared/validation/schemas.ts")],
    ["the emulator importing our callback crypto", edge("local/ess-emulator/callbacks/sender.ts", "shared/callback/decrypt.ts")],
    ["the emulator importing our edition constants (not only the type)", edge("local/ess-emulator/core/model.ts", "shared/ess/edition.ts")],
    ["a shim importing product code", edge("bundle-shims/uuid.ts", "shared/json/json-text.ts")],
    ["product code importing a test helper", edge("shared/outbox/drain.ts", "test/support/round-counter.ts")],
    ["deployed code importing the SDK's root index", edge("shared/ess/sdk-adapter.ts", "tencentcloud-sdk-nodejs", true)],
  ])("%s", (_, planted) => {
    expect(dependencyViolations([planted])).not.toEqual([]);
  });

  it.each([
    ["a handler importing its routes", edge("functions/group-status/handler.ts", "functions/group-status/routes.ts")],
    ["the HTTP layer importing a use case's types", edge("shared/http/upload-request.ts", "shared/files/upload-files.ts")],
    ["config importing the settings types it fills", edge("shared/config/config.ts", "shared/auth/api-keys.ts")],
    ["the emulator logging with our logger", edge("local/ess-emulator/server.ts", "shared/log/logger.ts")],
    [
      "the emulator naming the editions with our type",
      { ...edge("local/ess-emulator/core/model.ts", "shared/ess/edition.ts"), typeOnly: true },
    ],
    ["a bench using a test helper", edge("bench/callbacks/callbacks.bench.ts", "test/support/memory-object-store.ts")],
  ])("allows %s", (_, allowed) => {
    expect(dependencyViolations([allowed])).toEqual([]);
  });

  it("finds a circle of two files and of three", () => {
    expect(importCircles([edge("shared/a.ts", "shared/b.ts"), edge("shared/b.ts", "shared/a.ts")])).toEqual([
      ["shared/a.ts", "shared/b.ts"],
    ]);
    const three = [edge("shared/a.ts", "shared/b.ts"), edge("shared/b.ts", "shared/c.ts"), edge("shared/c.ts", "shared/a.ts")];
    expect(importCircles(three)).toHaveLength(1);
    expect(importCircles([edge("shared/a.ts", "shared/b.ts")])).toEqual([]);
  });
});
