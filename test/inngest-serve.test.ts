import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * /api/inngest is the one serve() endpoint an Inngest server (dev, self-hosted or cloud) calls; in
 * dev mode its GET describes the registered functions.
 */
const previous = { INNGEST_DEV: process.env.INNGEST_DEV };

beforeAll(() => {
  process.env.INNGEST_DEV = "1";
});

afterAll(() => {
  if (previous.INNGEST_DEV === undefined) delete process.env.INNGEST_DEV;
  else process.env.INNGEST_DEV = previous.INNGEST_DEV;
});

describe("GET /api/inngest", () => {
  it("lists the app's functions in dev mode", async () => {
    const { GET } = await import("@/app/api/inngest/route");
    const response = await GET(new Request("http://localhost:3000/api/inngest") as never, undefined as never);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { function_count: number; mode: string };
    expect(body.mode).toBe("dev");
    // The build, its onFailure handler (registered as a function of its own) and the expiry.
    expect(body.function_count).toBe(3);
  });
});
