import { expect, type Page } from "@playwright/test";

/** The signed-in frame around every workspace page: sidebar navigation, organization, account. */
export class WorkspaceShell {
  constructor(private readonly page: Page) {}

  sidebar() {
    return this.page.locator("aside");
  }

  async expectSignedInAs({ email, organization }: { email: string; organization: string }) {
    await expect(this.sidebar()).toContainText(email);
    await expect(this.sidebar()).toContainText(organization);
  }

  async open(section: "Folders" | "Trash" | "Members" | "Settings") {
    await this.sidebar().getByRole("link", { name: section, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  async signOut() {
    await this.sidebar().getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
