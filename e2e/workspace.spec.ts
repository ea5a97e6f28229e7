import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

const PDF_HEADER = "%PDF-1.4\n";

test.describe("workspace", () => {
  test("a member browses folders, opens a file and uploads a new version that is then listed", async ({
    page,
    signInAs,
    workspace,
    capture,
  }) => {
    await signInAs("member@demo.test");
    await expect(page.getByRole("link", { name: "Marketing", exact: true })).toBeVisible();
    await capture("folders");

    await workspace.openFolderPath(["Marketing", "Website Relaunch"]);
    await expect(workspace.card("Files (1)")).toContainText("Project brief.pdf");
    await capture("folder");

    await workspace.openLink("Project brief.pdf");
    await expect(workspace.versionRows()).toHaveCount(3);

    const content = Buffer.from(`${PDF_HEADER}Version 4 from the browser test ${Date.now()}\n%%EOF\n`);
    await workspace.uploadNewVersion({ name: "Project brief v4.pdf", mimeType: "application/pdf", buffer: content });
    await expect(page.getByRole("status").filter({ hasText: "as version 4" })).toBeVisible();
    await expect(workspace.versionRows()).toHaveCount(4);
    await expect(workspace.versionRows().first()).toContainText("Maya Chen");
    await expect(page.getByText("Version 4", { exact: true })).toBeVisible();
    await capture("file");

    const download = await page.request.get(
      (await page.getByRole("link", { name: "Download current version" }).getAttribute("href")) ?? "",
    );
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(content)).toBe(true);
  });

  test("an empty upload is refused with a clear message and adds no version", async ({ page, signInAs, workspace }) => {
    await signInAs("admin@demo.test");
    await workspace.openFolderPath(["Marketing", "Brand Guidelines 2025"]);
    await workspace.openLink("brand-guidelines.pdf");
    const before = await workspace.versionRows().count();
    await workspace.uploadNewVersion({ name: "empty.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) });
    await expect(page.getByRole("alert").filter({ hasText: "The file is empty" })).toBeVisible();
    await page.reload();
    await expect(workspace.versionRows()).toHaveCount(before);
  });

  test("a task shows its description, time logs and comments", async ({ page, signInAs, workspace, capture }) => {
    await signInAs("admin@demo.test");
    await workspace.openFolderPath(["Marketing", "Website Relaunch"]);
    await workspace.openLink("Design the new homepage hero");
    await expect(workspace.card("Time logged")).toContainText("h total");
    await expect(workspace.card("Description")).not.toBeEmpty();
    await capture("task");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Design the new homepage hero");
  });

  test("a private folder is shown to the people it is shared with and owners, not to admins", async ({ page, signInAs, shell }) => {
    const confidential = page.getByRole("link", { name: "Leadership – confidential", exact: true });
    await signInAs("owner@demo.test");
    await expect(confidential).toBeVisible();
    await shell.signOut();
    await signInAs("member@demo.test");
    await expect(confidential).toBeVisible();
    await shell.signOut();
    await signInAs("admin@demo.test");
    await expect(page.getByRole("link", { name: "Marketing", exact: true })).toBeVisible();
    await expect(confidential).toHaveCount(0);
  });

  test("trash, members and settings pages, and what a member may not open", async ({ page, signInAs, shell, capture }) => {
    await signInAs("owner@demo.test");
    await shell.open("Trash");
    await expect(page.getByRole("button", { name: /Restore/ }).first()).toBeVisible();
    await capture("trash");
    await shell.open("Members");
    await expect(page.getByText("admin@demo.test")).toBeVisible();
    await capture("members");
    await shell.open("Settings");
    await capture("settings");
    await shell.signOut();

    await signInAs("member@demo.test");
    await expect(shell.sidebar().getByRole("link", { name: "Settings", exact: true })).toHaveCount(0);
    const forbidden = await page.goto("/settings");
    expect(forbidden?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You do not have access to this page");
    await capture("forbidden");

    const missing = await page.goto("/files/00000000-0000-4000-8000-000000000000");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that page");
    await capture("not-found");
  });

  test("another organization's folder is a 404", async ({ page, signInAs, workspace, newVisitor }) => {
    await signInAs("admin@demo.test");
    await workspace.openFolderPath(["Marketing"]);
    const demoFolderUrl = new URL(page.url()).pathname;
    // A browser of its own, so nothing of the first session can come back mid-test.
    const otherBrowser = await newVisitor();
    const otherLogin = new LoginPage(otherBrowser);
    await otherLogin.goto();
    await otherLogin.signIn("other-admin@demo.test");
    await expect(otherBrowser).toHaveURL(/\/folders/);
    const response = await otherBrowser.goto(demoFolderUrl);
    expect(response?.status()).toBe(404);
  });

  test("someone in two organizations switches between them and sees only the active one's folders", async ({ page, signInAs }) => {
    await signInAs("lea.dubois@demo.test");
    const switcher = page.getByLabel("Organization", { exact: true });
    await expect(switcher.locator("option:checked")).toHaveText("Demo Co");
    await expect(page.getByRole("link", { name: "Marketing", exact: true })).toBeVisible();

    await switcher.selectOption({ label: "Other Inc" });
    await expect(page.getByRole("link", { name: "Other Inc client accounts", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Marketing", exact: true })).toHaveCount(0);
    await page.reload();
    await expect(page.getByLabel("Organization", { exact: true }).locator("option:checked")).toHaveText("Other Inc");
  });
});
