import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import JSZip from "jszip";
import { SCREENSHOT_DIR, expect, test, type CapturedEmail } from "./fixtures";
import { BackupsPages } from "./pages/backups-pages";
import { EmailView } from "./pages/email-view";
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

    // What keeping it costs so far (issue 5, point 7).
    await reader.reload();
    await expect(readerPages.detail("Storage cost")).toHaveText(
      /^(less than \$0\.0001|\$\d+\.\d+) for (under a minute|\d+ minutes?) kept \(\$0\.023 per GiB per month\), growing while it is kept$/,
    );

    // The audit log names who downloaded it and from which address (issue 5, point 10).
    await reader.goto("/settings/audit-log");
    await expect(readerPages.heading()).toHaveText("Audit log");
    const events = reader.getByRole("row").filter({ has: reader.getByRole("link", { name: backupName, exact: true }) });
    await expect(events).toHaveCount(4);
    await expect(events.nth(0)).toContainText("Downloaded");
    await expect(events.nth(0)).toContainText("Adam Novak");
    await expect(events.nth(0).locator("td").nth(4)).toHaveText(/^[\d.:a-f]+$/);
    await expect(events.nth(0)).toContainText(`Bytes ${half}-${archive.length - 1}`);
    await expect(events.nth(1)).toContainText("Whole archive");
    await expect(events.nth(2)).toContainText("Ready");
    await expect(events.nth(2)).toContainText("Archivist (automatic)");
    await expect(events.nth(3)).toContainText("Requested");
    await reader.screenshot({ path: path.join(SCREENSHOT_DIR, "audit-log.png"), fullPage: true });

    // The ready email as it was sent, rendered by the browser (issue 5, point 11).
    const mailPage = await newVisitor();
    const mailView = new EmailView(mailPage);
    await mailView.open(readyEmail!.html);
    await expect(mailView.detail("Backup")).toHaveText(backupName);
    await expect(mailView.link("Open the backup")).toHaveAttribute("href", emailedLink!);
    await mailPage.screenshot({ path: path.join(SCREENSHOT_DIR, "email-backup-ready-sent.png"), fullPage: true });
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
    const detailPath = await backups.requestDataOnlyBackup(backupName);
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

  test("an owner restricts backups to owners: the admin is refused on every page and by the API until it is turned off", async ({
    page,
    baseURL,
    signInAs,
    newVisitor,
    capture,
  }) => {
    await signInAs("owner@demo.test");
    await page.goto("/settings");
    const restriction = page.getByLabel("Restrict backups to owners", { exact: true });
    const save = async (on: boolean) => {
      await restriction.setChecked(on);
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page.getByText(on ? "Backups are now restricted to owners." : "Admins can now manage backups again.")).toBeVisible();
    };
    await save(true);

    const admin = await newVisitor();
    await new LoginPage(admin).goto();
    await new LoginPage(admin).signIn("admin@demo.test");
    await expect(admin).toHaveURL(/\/folders/);
    try {
      for (const path of ["/settings/backups", "/settings/backups/new", "/settings/audit-log"]) {
        expect((await admin.goto(path))?.status(), path).toBe(403);
      }
      await admin.goto("/settings");
      await expect(admin.getByLabel("Restrict backups to owners", { exact: true })).toBeChecked();
      await expect(admin.getByLabel("Restrict backups to owners", { exact: true })).toBeDisabled();
      await expect(admin.getByText("Only an owner can change this setting.")).toBeVisible();
      await expect(admin.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Backups" })).toHaveCount(0);
      await capture("settings-restricted");

      const list = await admin.request.get("/api/v1/backups");
      expect(list.status()).toBe(403);
      expect(await list.json()).toEqual({ error: { code: "forbidden", message: "This organization restricts backups to owners." } });
      const request = await admin.request.post("/api/v1/backups", { headers: { Origin: baseURL! }, data: { name: "Not allowed" } });
      expect(request.status()).toBe(403);
      expect((await page.goto("/settings/backups"))?.status()).toBe(200);
    } finally {
      await page.goto("/settings");
      await save(false);
    }
    expect((await admin.goto("/settings/backups"))?.status()).toBe(200);
  });

  test("a backup downloads for 7 days: on day 6 it still does, on day 8 it is expired and its page says so", async ({
    page,
    signInAs,
    backups,
    appDatabase,
    capture,
  }) => {
    test.setTimeout(120_000);
    const backupName = `Seven days ${Date.now()}`;
    await signInAs("owner@demo.test");
    const detailPath = await backups.requestDataOnlyBackup(backupName);
    const backupId = detailPath.split("/").at(-1)!;
    await expect(backups.detail("Status")).toContainText("Ready", { timeout: BUILD_TIMEOUT_MS });

    // Time travel: the backup was completed N days ago, and expires 7 days after that.
    const completedDaysAgo = (days: number) => appDatabase`
      update backups
      set completed_at = now() - make_interval(days => ${days}),
          expires_at = now() - make_interval(days => ${days}) + interval '7 days'
      where id = ${backupId}`;

    await completedDaysAgo(6);
    await page.reload();
    await expect(backups.downloadLink()).toBeVisible();
    await expect(page.getByText("The archive is ready. It can be downloaded until")).toBeVisible();
    expect((await page.request.get(`${detailPath}/download`)).status()).toBe(200);

    await completedDaysAgo(8);
    await page.reload();
    await expect(backups.downloadLink()).toHaveCount(0);
    await expect(backups.detail("File")).toHaveText("No longer available: the backup has expired");
    await expect(page.getByText(/^This backup expired on .+ UTC\. Backups can be downloaded for 7 days after they are ready/)).toBeVisible();
    const refused = await page.request.get(`${detailPath}/download`);
    expect(refused.status()).toBe(404);
    expect(await refused.text()).toContain("This backup has expired");
    await capture("backup-expired");
  });
});
