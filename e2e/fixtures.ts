import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { BackupsPages } from "./pages/backups-pages";
import { LoginPage } from "./pages/login-page";
import { WorkspacePages } from "./pages/workspace-pages";
import { WorkspaceShell } from "./pages/workspace-shell";
import postgres from "postgres";
import { e2eServerInfoPath, resendCaptureUrl, type E2eServerInfo } from "./ports";

export const DEMO_ACCOUNTS = [
  { email: "owner@demo.test", organization: "Demo Co", role: "owner" },
  { email: "admin@demo.test", organization: "Demo Co", role: "admin" },
  { email: "member@demo.test", organization: "Demo Co", role: "member" },
  { email: "other-admin@demo.test", organization: "Other Inc", role: "admin" },
  { email: "free-owner@demo.test", organization: "Free Ltd", role: "owner" },
] as const;

export const SCREENSHOT_DIR = path.join("test-results", "screenshots");

/** An email as the app handed it to the (stand-in) Resend API. */
export type CapturedEmail = { from: string; to: string[]; subject: string; text: string; html: string };

type Fixtures = {
  loginPage: LoginPage;
  shell: WorkspaceShell;
  workspace: WorkspacePages;
  backups: BackupsPages;
  signInAs: (email: string) => Promise<void>;
  /** Another person at another browser: a page in a new context with no cookies, closed after the test. */
  newVisitor: () => Promise<Page>;
  /** Every email the app has sent since the test server started. */
  capturedEmails: () => Promise<CapturedEmail[]>;
  capture: (name: string) => Promise<void>;
  /** The test server's database, to move a backup's dates into the past (time travel); nothing else. */
  appDatabase: postgres.Sql;
};

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  shell: async ({ page }, use) => use(new WorkspaceShell(page)),
  workspace: async ({ page }, use) => use(new WorkspacePages(page)),
  backups: async ({ page }, use) => use(new BackupsPages(page)),
  signInAs: async ({ page, loginPage }, use) => {
    await use(async (email) => {
      await loginPage.goto();
      await loginPage.signIn(email);
      await expect(page).toHaveURL(/\/folders/);
    });
  },
  newVisitor: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  capturedEmails: async ({ request }, use) => {
    await use(async () => {
      const response = await request.get(`${resendCaptureUrl}/captured`);
      expect(response.ok()).toBe(true);
      return (await response.json()) as CapturedEmail[];
    });
  },
  // Playwright reads a fixture's dependencies from its destructuring pattern; this one has none.
  appDatabase: async ({}, use) => {
    const { databaseUrl } = JSON.parse(fs.readFileSync(e2eServerInfoPath, "utf8")) as E2eServerInfo;
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await use(sql);
    await sql.end({ timeout: 5 });
  },
  capture: async ({ page }, use) => {
    await use(async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    });
  },
});

export async function expectHeading(page: Page, name: string | RegExp) {
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
}

export { expect };
