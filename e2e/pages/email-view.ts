import type { Page } from "@playwright/test";

/** An email's HTML part shown in the browser, as a mail client would show it. */
export class EmailView {
  constructor(private readonly page: Page) {}

  async open(html: string) {
    await this.page.setContent(html, { waitUntil: "load" });
  }

  /** The value cell of a label–value row of the email's details table (Backup, Size, Reason, …). */
  detail(label: string) {
    return this.page.locator(`xpath=//tr[td[1][normalize-space()="${label}"]]/td[2]`);
  }

  link(name: string) {
    return this.page.getByRole("link", { name });
  }
}
