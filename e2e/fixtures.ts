import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import { WorkspacePages } from "./pages/workspace-pages";
import { WorkspaceShell } from "./pages/workspace-shell";

export const DEMO_ACCOUNTS = [
  { email: "owner@demo.test", organization: "Demo Co", role: "owner" },
  { email: "admin@demo.test", organization: "Demo Co", role: "admin" },
  { email: "member@demo.test", organization: "Demo Co", role: "member" },
  { email: "other-admin@demo.test", organization: "Other Inc", role: "admin" },
  { email: "free-owner@demo.test", organization: "Free Ltd", role: "owner" },
] as const;

export const SCREENSHOT_DIR = path.join("test-results", "screenshots");

type Fixtures = {
  loginPage: LoginPage;
  shell: WorkspaceShell;
  workspace: WorkspacePages;
  signInAs: (email: string) => Promise<void>;
  capture: (name: string) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  shell: async ({ page }, use) => use(new WorkspaceShell(page)),
  workspace: async ({ page }, use) => use(new WorkspacePages(page)),
  signInAs: async ({ page, loginPage }, use) => {
    await use(async (email) => {
      await loginPage.goto();
      await loginPage.signIn(email);
      await expect(page).toHaveURL(/\/folders/);
    });
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
