import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import JSZip from "jszip";
import { expect, test, type CapturedEmail } from "./fixtures";
import { BackupsPages } from "./pages/backups-pages";
import { LoginPage } from "./pages/login-page";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** The build runs in-process in the test server; the demo organization packs in seconds, CI machines are slow. */
const BUILD_TIMEOUT_MS = 60_000;

type Manifest = { entries: { path: string; size: number; sha256: string }[]; options: { includeFiles: boolean } };

test.describe("backups", () => {
  test("an admin requests a backup, follows it to Ready, opens the emailed link and downloads a verified archive; others cannot see it", async ({
    page,
    baseURL,
    signInAs,
    backups,
    newVisitor,
    capturedEmails,
    capture,
  }) => {
    test.setTimeout(180_000);
    const backupName = `Browser test backup ${Date.now()}`;

    await signInAs("admin@demo.test");
    await backups.openList();
    await expect(backups.heading()).toHaveText("Backups");
    await backups.openRequestForm();
    await backups.fillRequest({ name: backupName, description: "Everything, before the spring clean-up." });

    // The price is shown before submitting, and follows the "Include files" choice.
    await expect(backups.processingPrice()).toContainText("$0.50");
    const storageWithFiles = await backups.storagePrice().textContent();
    expect(storageWithFiles).not.toBe("$0.00 per month");
    await backups.includeFiles().uncheck();
    await expect(backups.storagePrice()).toHaveText("$0.00 per month");
    await backups.includeFiles().check();
    await expect(backups.storagePrice()).toHaveText(storageWithFiles ?? "");
    await capture("backup-new");

    await backups.submitRequest();
    await expect(page).toHaveURL(new RegExp(`/settings/backups/${UUID}$`));
    const detailPath = new URL(page.url()).pathname;
    await expect(backups.heading()).toHaveText(backupName);
    await expect(backups.detail("Description")).toHaveText("Everything, before the spring clean-up.");
    await expect(backups.detail("Requested by")).toContainText("Adam Novak");
    await expect(backups.detail("Include files")).toHaveText("Yes");
    await expect(backups.detail("Data formats")).toHaveText("JSON, CSV");
    await expect(backups.detail("CSV encoding")).toHaveText("UTF-8");

    // Who else may see it (SPEC §1): checked while it builds, so these do not wait on the build.
    const member = await newVisitor();
    await new LoginPage(member).goto();
    await new LoginPage(member).signIn("member@demo.test");
    await expect(member).toHaveURL(/\/folders/);
    const memberList = await new BackupsPages(member).openList();
    expect(memberList?.status()).toBe(403);
    await expect(member.getByRole("heading", { level: 1 })).toHaveText("You do not have access to this page");
    const memberDetail = await member.goto(detailPath);
    expect(memberDetail?.status()).toBe(404);
    await expect(member.getByText(backupName)).toHaveCount(0);
    expect((await member.request.get(`${detailPath}/download`)).status()).toBe(404);

    const otherAdmin = await newVisitor();
    await new LoginPage(otherAdmin).goto();
    await new LoginPage(otherAdmin).signIn("other-admin@demo.test");
    await expect(otherAdmin).toHaveURL(/\/folders/);
    const otherDetail = await otherAdmin.goto(detailPath);
    expect(otherDetail?.status()).toBe(404);
    expect((await otherAdmin.request.get(`${detailPath}/download`)).status()).toBe(404);

    const freeOwner = await newVisitor();
    await new LoginPage(freeOwner).goto();
    await new LoginPage(freeOwner).signIn("free-owner@demo.test");
    await expect(freeOwner).toHaveURL(/\/folders/);
    const freeBackups = new BackupsPages(freeOwner);
    expect((await freeBackups.openList())?.status()).toBe(200);
    await expect(freeOwner.getByText("Backups are available on the Team and Enterprise plans")).toBeVisible();
    await expect(freeBackups.requestButton()).toHaveCount(0);

    // The build: the detail page refreshes itself until the backup is ready.
    await expect(backups.detail("Status")).toContainText("Ready", { timeout: BUILD_TIMEOUT_MS });
    await expect(backups.downloadLink()).toBeVisible();
    await expect(backups.detail("SHA-256")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(backups.detail("Versions")).toHaveText(/^[1-9][\d,]*$/);
    await expect(backups.detail("Files")).toHaveText(/^[1-9][\d,]*$/);
    await expect(backups.detail("File Size")).toHaveText(/\d (B|KiB|MiB|GiB)$/);
    await capture("backup-detail");

    await backups.openList();
    await expect(backups.listRow(backupName)).toContainText("Ready");
    await expect(backups.listRow(backupName)).toContainText("Adam Novak");
    await expect(backups.requestButton()).toBeVisible();
    await capture("backups-list");

    // The "ready" email names the backup and links to its page, which a signed-out reader reaches through sign-in.
    let readyEmail: CapturedEmail | undefined;
    await expect
      .poll(
        async () => {
          readyEmail = (await capturedEmails()).find(
            (email) => email.subject === "Your Demo Co backup is ready" && email.text.includes(backupName),
          );
          return readyEmail;
        },
        { timeout: 15_000 },
      )
      .toBeDefined();
    expect(readyEmail!.to).toEqual(["admin@demo.test"]);
    const emailedLink = /Open the backup: (\S+)/.exec(readyEmail!.text)?.[1];
    expect(emailedLink).toBe(`${baseURL}${detailPath}`);

    const reader = await newVisitor();
    await reader.goto(emailedLink!);
    await expect(reader).toHaveURL(/\/login\?callbackUrl=/);
    await new LoginPage(reader).signIn("admin@demo.test");
    await expect(reader).toHaveURL(emailedLink!);
    const readerPages = new BackupsPages(reader);
    await expect(readerPages.heading()).toHaveText(backupName);

    // Download it as a browser does, then check it against its own manifest.
    const [download] = await Promise.all([reader.waitForEvent("download"), readerPages.downloadLink().click()]);
    expect(download.suggestedFilename()).toMatch(/^\d+_\d{2}_\d{2}_\d{4}_\d{5}\.zip$/);
    const archive = await fs.readFile(await download.path());
    expect(createHash("sha256").update(archive).digest("hex")).toBe(await readerPages.detail("SHA-256").textContent());

    const zip = await JSZip.loadAsync(archive);
    const names = Object.values(zip.files)
      .filter((entry) => !entry.dir)
      .map((entry) => entry.name);
    const manifestPath = names.find((name) => /^[^/]+\/manifest\.json$/.test(name));
    expect(manifestPath, "the archive has <sid>/manifest.json").toBeDefined();
    const topFolder = manifestPath!.split("/")[0]!;
    expect(names.every((name) => name.startsWith(`${topFolder}/`))).toBe(true);
    const manifest = JSON.parse(await zip.file(manifestPath!)!.async("string")) as Manifest;
    expect(manifest.options.includeFiles).toBe(true);
    expect(manifest.entries.map((entry) => entry.path).sort()).toEqual(names.filter((name) => name !== manifestPath).sort());
    expect(manifest.entries.some((entry) => entry.path.startsWith(`${topFolder}/files/`))).toBe(true);
    for (const entry of manifest.entries) {
      const bytes = await zip.file(entry.path)!.async("nodebuffer");
      expect(bytes.length, entry.path).toBe(entry.size);
      expect(createHash("sha256").update(bytes).digest("hex"), entry.path).toBe(entry.sha256);
    }

    // A resumed download: the second half by Range is the same bytes.
    const half = Math.floor(archive.length / 2);
    const rest = await reader.request.get(`${detailPath}/download`, { headers: { Range: `bytes=${half}-` } });
    expect(rest.status()).toBe(206);
    expect(rest.headers()["content-range"]).toBe(`bytes ${half}-${archive.length - 1}/${archive.length}`);
    expect(Buffer.from(await rest.body()).equals(archive.subarray(half))).toBe(true);
  });

  test("a refused request says why and keeps everything that was typed and chosen", async ({ page, signInAs, backups }) => {
    await signInAs("admin@demo.test");
    await page.goto("/settings/backups/new");
    await expect(backups.heading()).toHaveText("Request a backup");

    // Only spaces pass the browser's "required" check; the server trims them and refuses.
    await backups.fillRequest({ name: "   ", description: "Keep this text" });
    await backups.includeFiles().uncheck();
    await page.getByLabel("Include BI export", { exact: true }).check();
    await page.getByLabel("CSV", { exact: true }).uncheck();
    await page.getByLabel("CSV encoding", { exact: true }).selectOption("utf-16le");
    await backups.submitRequest();

    await expect(page.getByRole("alert").filter({ hasText: "Please correct the fields marked below." })).toBeVisible();
    await expect(page.getByText("Enter a name for the backup.")).toBeVisible();
    await expect(page).toHaveURL(/\/settings\/backups\/new$/);
    await expect(page.getByLabel("Description", { exact: true })).toHaveValue("Keep this text");
    await expect(backups.includeFiles()).not.toBeChecked();
    await expect(page.getByLabel("Include BI export", { exact: true })).toBeChecked();
    await expect(page.getByLabel("JSON", { exact: true })).toBeChecked();
    await expect(page.getByLabel("CSV", { exact: true })).not.toBeChecked();
    await expect(page.getByLabel("CSV encoding", { exact: true })).toHaveValue("utf-16le");
    await expect(backups.storagePrice()).toHaveText("$0.00 per month");

    await page.getByLabel("Name", { exact: true }).fill("Needs a format");
    await page.getByLabel("JSON", { exact: true }).uncheck();
    await backups.submitRequest();
    await expect(page.getByText("Choose at least one data format.")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Needs a format");
    await expect(page.getByLabel("CSV encoding", { exact: true })).toHaveValue("utf-16le");

    await backups.openList();
    await expect(backups.listRow("Needs a format")).toHaveCount(0);
  });

  test("an owner deletes a ready data-only backup after confirming; it stays listed as deleted", async ({ page, signInAs, backups }) => {
    test.setTimeout(120_000);
    const backupName = `Data only ${Date.now()}`;
    await signInAs("owner@demo.test");
    await backups.openList();
    await backups.openRequestForm();
    await backups.fillRequest({ name: backupName, description: "" });
    await backups.includeFiles().uncheck();
    await backups.submitRequest();
    await expect(backups.heading()).toHaveText(backupName);
    const detailPath = new URL(page.url()).pathname;
    await expect(backups.detail("Include files")).toHaveText("No");
    await expect(backups.detail("Status")).toContainText("Ready", { timeout: BUILD_TIMEOUT_MS });

    // The first click only asks; backing out changes nothing.
    await page.getByRole("button", { name: "Delete backup…" }).click();
    await expect(page.getByText(`Delete “${backupName}”? Its archive is removed from storage at once`)).toBeVisible();
    await page.getByRole("button", { name: "Keep it" }).click();
    await expect(page.getByRole("button", { name: "Yes, delete this backup" })).toHaveCount(0);
    await expect(backups.detail("Status")).toContainText("Ready");

    await page.getByRole("button", { name: "Delete backup…" }).click();
    await page.getByRole("button", { name: "Yes, delete this backup" }).click();
    await expect(backups.detail("Status")).toHaveText("Deleted");
    await expect(page.getByText("This backup was deleted on")).toBeVisible();
    await expect(backups.downloadLink()).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete backup…" })).toHaveCount(0);
    expect((await page.request.get(`${detailPath}/download`)).status()).toBe(409);

    await backups.openList();
    await expect(backups.listRow(backupName)).toContainText("Deleted");
  });
});
