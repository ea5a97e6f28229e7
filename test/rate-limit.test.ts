import { describe, expect, it } from "vitest";
import { clearLoginFailures, loginRetryAfterMs, recordLoginFailure } from "@/lib/auth/rate-limit";

describe("login rate limit", () => {
  it("blocks an email after five failures for the rest of the 15-minute window", () => {
    const key = "limit-test@demo.test";
    const start = 1_000_000;
    for (let attempt = 0; attempt < 4; attempt += 1) recordLoginFailure(key, start + attempt);
    expect(loginRetryAfterMs(key, start + 10)).toBe(0);
    recordLoginFailure(key, start + 20);
    expect(loginRetryAfterMs(key, start + 30)).toBe(15 * 60 * 1000 - 30);
    expect(loginRetryAfterMs(key, start + 15 * 60 * 1000 + 1)).toBe(0);
  });

  it("forgets failures after a successful sign-in", () => {
    const key = "cleared@demo.test";
    for (let attempt = 0; attempt < 5; attempt += 1) recordLoginFailure(key, 0);
    expect(loginRetryAfterMs(key, 1)).toBeGreaterThan(0);
    clearLoginFailures(key);
    expect(loginRetryAfterMs(key, 2)).toBe(0);
  });
});
