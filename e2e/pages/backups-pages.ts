import { expect, type Page } from "@playwright/test";

/** The Backups settings pages: the list, the request form and one backup's detail page. */
export class BackupsPages {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  async openList() {
    const response = await this.page.goto("/settings/backups");
    return response;
  }

  requestButton() {
    return this.page.getByRole("link", { name: "Request new backup", exact: true });
  }

  async openRequestForm() {
    await this.requestButton().click();
    await expect(this.heading()).toHaveText("Request a backup");
  }

  async fillRequest({ name, description }: { name: string; description: string }) {
    await this.page.getByLabel("Name", { exact: true }).fill(name);
    await this.page.getByLabel("Description", { exact: true }).fill(description);
  }

  includeFiles() {
    return this.page.getByLabel("Include files", { exact: true });
  }

  processingPrice() {
    return this.page.getByTestId("processing-price");
  }

  storagePrice() {
    return this.page.getByTestId("storage-price");
  }

  async submitRequest() {
    await this.page.getByRole("button", { name: "Request backup", exact: true }).click();
  }

  /** Requests a data-only backup from the list page and returns its detail page's path (it opens there). */
  async requestDataOnlyBackup(name: string): Promise<string> {
    await this.openList();
    await this.openRequestForm();
    await this.fillRequest({ name, description: "" });
    await this.includeFiles().uncheck();
    await this.submitRequest();
    await expect(this.heading()).toHaveText(name);
    return new URL(this.page.url()).pathname;
  }

  /** The value next to a label on the detail page (Name, Status, Versions, File, SHA-256, …). */
  detail(label: string) {
    return this.page.locator(`xpath=//dt[normalize-space()="${label}"]/following-sibling::dd[1]`);
  }

  downloadLink() {
    return this.detail("File").getByRole("link", { name: "Download", exact: true });
  }

  listRow(backupName: string) {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("link", { name: backupName, exact: true }) });
  }
}
