import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-password";

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto(callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
  }

  async signIn(email: string, password = DEMO_PASSWORD) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async expectError(message: string | RegExp) {
    // Next's route announcer is an empty role="alert" too: look for the one saying the message.
    await expect(this.page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  }
}
