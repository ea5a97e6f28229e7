import path from "node:path";
import type { Page } from "@playwright/test";
import { backupFailedEmail, backupReadyEmail, type RenderedEmail } from "@/lib/email/templates";
import { SCREENSHOT_DIR, expect, test } from "./fixtures";
import { EmailView } from "./pages/email-view";

/**
 * Issue 5, point 11: the backup emails as a mail client shows them. The HTML part is rendered by
 * Chromium (screenshots in test-results/screenshots/), the text part carries the same facts, and a
 * hostile name shows as text without running.
 */

const LINK = "http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d";
const HOSTILE_NAME = `Q3 <img src=x onerror="alert('name')"> & more`;

/** Shows the HTML part, records any dialog a script in it would open, and takes the screenshot. */
async function render(page: Page, email: RenderedEmail, screenshot: string) {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const view = new EmailView(page);
  await view.open(email.html);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, screenshot), fullPage: true });
  return { view, dialogs };
}

test.describe("backup emails", () => {
  test("the ready email shows name, size, counts, expiry and the link, in HTML and in text", async ({ page }) => {
    const email = backupReadyEmail({
      organizationName: "Demo Co",
      backupName: HOSTILE_NAME,
      sizeBytes: 3 * 1024 ** 3 + 200 * 1024 ** 2,
      versionsCount: 12_345,
      filesCount: 678,
      expiresAt: new Date("2026-12-01T09:30:00Z"),
      link: LINK,
    });
    const { view, dialogs } = await render(page, email, "email-backup-ready.png");

    await expect(page.getByRole("heading", { name: "Your backup is ready" })).toBeVisible();
    await expect(view.detail("Backup")).toContainText(HOSTILE_NAME);
    await expect(view.detail("Size")).toContainText("3.2 GiB");
    await expect(view.detail("Versions")).toContainText("12,345");
    await expect(view.detail("Files")).toContainText("678");
    await expect(view.detail("Available until")).toContainText("1 Dec 2026, 09:30 UTC");
    await expect(view.link("Open the backup")).toHaveAttribute("href", LINK);
    await expect(page.locator("img")).toHaveCount(0);
    expect(dialogs).toEqual([]);

    expect(email.subject).toBe("Your Demo Co backup is ready");
    for (const fact of [HOSTILE_NAME, "3.2 GiB", "12,345", "678", "1 Dec 2026, 09:30 UTC", `Open the backup: ${LINK}`]) expect(email.text).toContain(fact);
  });

  test("the failed email shows the reason and the link, in HTML and in text", async ({ page }) => {
    const reason = 'The content of "Project brief.pdf" (version 1) is missing from storage, so the backup cannot be complete.';
    const email = backupFailedEmail({ organizationName: "Demo Co", backupName: HOSTILE_NAME, reason, link: LINK });
    const { view, dialogs } = await render(page, email, "email-backup-failed.png");

    await expect(page.getByRole("heading", { name: "Your backup could not be completed" })).toBeVisible();
    await expect(view.detail("Reason")).toContainText(reason);
    await expect(view.detail("Backup")).toContainText(HOSTILE_NAME);
    await expect(view.link("Open the backup")).toHaveAttribute("href", LINK);
    await expect(page.locator("img")).toHaveCount(0);
    expect(dialogs).toEqual([]);

    expect(email.subject).toBe("Your Demo Co backup failed");
    for (const fact of [HOSTILE_NAME, reason, `Open the backup: ${LINK}`]) expect(email.text).toContain(fact);
  });
});
