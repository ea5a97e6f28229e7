import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/safe-redirect";

describe("safeCallbackPath (no open redirect after sign-in)", () => {
  it.each([
    ["/folders/123", "/folders/123"],
    ["/members?view=all#top", "/members?view=all#top"],
    ["/settings/backups/abc", "/settings/backups/abc"],
  ])("keeps the same-site path %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "folders",
    "",
    undefined,
    42,
    "/login",
  ])("falls back to the workspace for %s", (input) => {
    expect(safeCallbackPath(input)).toBe("/folders");
  });
});
