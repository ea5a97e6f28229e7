import { expect, type Page } from "@playwright/test";

/** Folder, task and file pages of the workspace, reached by following links as a person would. */
export class WorkspacePages {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  async openFolderPath(titles: string[]) {
    await this.page.goto("/folders");
    for (const title of titles) {
      await this.page.getByRole("link", { name: title, exact: true }).first().click();
      await expect(this.heading()).toHaveText(title);
    }
  }

  async openLink(name: string) {
    await this.page.getByRole("link", { name, exact: true }).first().click();
    await expect(this.heading()).toContainText(name);
  }

  versionRows() {
    return this.card("Versions").locator("tbody tr");
  }

  card(title: string) {
    return this.page.locator("section").filter({ has: this.page.getByRole("heading", { level: 2, name: title }) });
  }

  async uploadNewVersion(file: { name: string; mimeType: string; buffer: Buffer }) {
    const form = this.page.locator("form").filter({ has: this.page.getByRole("button", { name: "Upload new version" }) });
    await form.getByLabel("File").setInputFiles(file);
    await form.getByRole("button", { name: "Upload new version" }).click();
  }
}
