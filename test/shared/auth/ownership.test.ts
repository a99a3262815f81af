import { describe, expect, it } from "vitest";
import { hashApiKey } from "../../../shared/auth/api-keys";
import { mayRead, ownerIdOf } from "../../../shared/auth/ownership";

describe("group ownership (audit finding 7)", () => {
  const principal = hashApiKey("essk_owner_test_key");
  const owner = ownerIdOf(principal);
  const flip = (hex: string, at: number) => hex.slice(0, at) + ((parseInt(hex[at]!, 16) + 1) % 16).toString(16) + hex.slice(at + 1);

  it("the owner id is neither the key's digest nor the key", () => {
    expect(owner).toMatch(/^[0-9a-f]{64}$/);
    expect(owner).not.toBe(principal);
    expect(ownerIdOf(principal.toUpperCase())).toBe(owner);
  });

  it("the creating key reads its group; another key does not", () => {
    expect(mayRead(owner, principal)).toBe(true);
    expect(mayRead(owner, hashApiKey("essk_other_key"))).toBe(false);
  });

  it.each([0, 7, 8, 9, 31, 32, 63])("an owner id that differs only at hex digit %i is another owner", (at) => {
    expect(mayRead(flip(owner, at), principal)).toBe(false);
  });

  it("a group without an owner is readable by every key, and with auth disabled every group is", () => {
    expect(mayRead(undefined, principal)).toBe(true);
    expect(mayRead(owner, undefined)).toBe(true);
  });

  it("a damaged owner field refuses rather than admits", () => {
    expect(mayRead("", principal)).toBe(false);
    expect(mayRead("not-hex", principal)).toBe(false);
  });
});
