import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/lib/free-port";

/**
 * The README's run command, as a newcomer runs it: `npm run dev` with no database configured, so
 * the app migrates and seeds the embedded PGlite database and serves the demo workspace.
 */
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-quick-start-"));
let server: ChildProcess | undefined;
let baseUrl = "";
let output = "";


async function waitForLogin(deadline: number) {
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
    const reply = await fetch(`${baseUrl}/login`).catch(() => undefined);
    if (reply?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm run dev did not serve /login in time:\n${output}`);
}

/** The plain next-auth HTTP flow: CSRF token, then the credentials callback; returns the session cookies. */
async function signIn(email: string, password: string): Promise<string> {
  const csrfReply = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfReply.json()) as { csrfToken: string };
  const cookies = csrfReply.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const reply = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/folders` }),
  });
  return [...cookies, ...reply.headers.getSetCookie().map((cookie) => cookie.split(";")[0])].join("; ");
}

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "development",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    // Only where the data goes differs from the defaults, so the test leaves the checkout's .data alone.
    PGLITE_DIR: path.join(workDir, "pglite"),
    STORAGE_DIR: path.join(workDir, "storage"),
    OUTBOX_DIR: path.join(workDir, "outbox"),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  server = spawn("npm", ["run", "dev"], { env, detached: true });
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  await waitForLogin(Date.now() + 150_000);
}, 180_000);

afterAll(async () => {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await exited;
  }
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("quick start (npm run dev on the embedded database)", () => {
  it("loads the demo data and prints the demo accounts", () => {
    expect(output).toContain("Loaded the demo data.");
    expect(output).toContain("embedded PGlite");
    expect(output).toContain('password "demo-password"');
  });

  it("signs in every demo account to its organization", { timeout: 120_000 }, async () => {
    const accounts = [
      ["owner@demo.test", "Demo Co"],
      ["admin@demo.test", "Demo Co"],
      ["member@demo.test", "Demo Co"],
      ["other-admin@demo.test", "Other Inc"],
      ["free-owner@demo.test", "Free Ltd"],
    ] as const;
    for (const [email, organization] of accounts) {
      const cookie = await signIn(email, "demo-password");
      const page = await fetch(`${baseUrl}/folders`, { headers: { cookie }, redirect: "manual" });
      expect(page.status, email).toBe(200);
      const html = await page.text();
      expect(html).toContain(email);
      expect(html).toContain(organization);
    }
  });

  it("refuses a wrong password", async () => {
    const cookie = await signIn("owner@demo.test", "not-the-password");
    const page = await fetch(`${baseUrl}/folders`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/login");
  });
});
