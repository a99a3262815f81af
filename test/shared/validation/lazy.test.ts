import { describe, expect, it, vi } from "vitest";

/**
 * Importing the validation is on every cold start of the create-group function, and a deployment
 * usually serves one edition: nothing may be built at import, and each edition's schema is built
 * on its first validation, once. Every call the validation makes into zod/mini is counted here.
 */

const zodCalls = vi.hoisted(() => ({ count: 0 }));

vi.mock("zod/mini", async (importOriginal) => {
  const z = await importOriginal<Record<string, unknown>>();
  const counted: Record<string, unknown> = { ...z };
  for (const [name, value] of Object.entries(z)) {
    // The schema and check factories (string, optional, array, check, …); classes are left as they are.
    if (typeof value === "function" && /^[a-z]/.test(name)) {
      counted[name] = (...args: unknown[]) => {
        zodCalls.count++;
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    }
  }
  return counted;
});

// Imported after the mock is in place (vi.mock is hoisted above every import).
const { validateEssbasicCreateFlowGroup, validateEssCreateFlowGroup } = await import("../../../shared/validation");
const { NOW, seed } = await import("./fixtures");

describe("schemas are built on first use", () => {
  it("importing the validation makes no zod call", () => {
    expect(zodCalls.count).toBe(0);
  });

  it("the first ess validation builds the ess schema, later ones reuse it; essbasic builds its own on its first validation", () => {
    expect(validateEssCreateFlowGroup(seed("ess-example-1"), { now: NOW }).ok).toBe(true);
    const afterEss = zodCalls.count;
    expect(afterEss).toBeGreaterThan(0);

    expect(validateEssCreateFlowGroup(seed("ess-example-3"), { now: NOW }).ok).toBe(true);
    expect(zodCalls.count).toBe(afterEss);

    expect(validateEssbasicCreateFlowGroup(seed("essbasic-example-1"), { now: NOW }).ok).toBe(true);
    const afterEssbasic = zodCalls.count;
    expect(afterEssbasic).toBeGreaterThan(afterEss);

    expect(validateEssbasicCreateFlowGroup(seed("essbasic-example-2"), { now: NOW }).ok).toBe(true);
    expect(validateEssCreateFlowGroup(seed("ess-example-2"), { now: NOW }).ok).toBe(true);
    expect(zodCalls.count).toBe(afterEssbasic);
  });
});
