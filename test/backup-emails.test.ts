import { describe, expect, it } from "vitest";
import { backupFailedEmail, backupReadyEmail, escapeHtml } from "@/lib/email/templates";

const hostileOrganization = `Tom & Jerry's <script>alert("org")</script>`;
const hostileBackupName = `<img src=x onerror="alert('name')">`;

describe("backupReadyEmail", () => {
  const email = backupReadyEmail({
    organizationName: "Demo Co",
    backupName: "Weekly – all data",
    sizeBytes: 5 * 1024 * 1024 + 512 * 1024,
    versionsCount: 1234,
    filesCount: 56,
    expiresAt: new Date("2026-03-09T14:05:00Z"),
    link: "http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d",
  });

  it("has the subject the spec names and the facts in both parts", () => {
    expect(email.subject).toBe("Your Demo Co backup is ready");
    for (const part of [email.text, email.html]) {
      expect(part).toContain("Weekly – all data");
      expect(part).toContain("5.5 MiB");
      expect(part).toContain("1,234");
      expect(part).toContain("56");
      expect(part).toContain("9 Mar 2026, 14:05 UTC");
    }
    expect(email.text).toContain("Open the backup: http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d");
    expect(email.html).toContain('href="http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d"');
  });

  it("escapes the organization and backup names in the HTML and keeps them verbatim in the text", () => {
    const hostile = backupReadyEmail({
      organizationName: hostileOrganization,
      backupName: hostileBackupName,
      sizeBytes: 10,
      versionsCount: 0,
      filesCount: 0,
      expiresAt: new Date("2026-03-09T00:00:00Z"),
      link: "http://localhost:3000/settings/backups/x?a=1&b=2",
    });
    expect(hostile.subject).toBe(`Your ${hostileOrganization} backup is ready`);
    expect(hostile.html).not.toMatch(/<script|<img/);
    expect(hostile.html).toContain(escapeHtml(hostileOrganization));
    expect(hostile.html).toContain(escapeHtml(hostileBackupName));
    expect(hostile.html).toContain('href="http://localhost:3000/settings/backups/x?a=1&amp;b=2"');
    expect(hostile.text).toContain(hostileBackupName);
  });

  it("refuses a link that is not http(s)", () => {
    expect(() =>
      backupReadyEmail({
        organizationName: "Demo Co",
        backupName: "x",
        sizeBytes: 0,
        versionsCount: 0,
        filesCount: 0,
        expiresAt: new Date(),
        link: "javascript:alert(1)",
      }),
    ).toThrow(/javascript/);
  });
});

describe("backupFailedEmail", () => {
  it("has the subject the spec names, the reason and the link", () => {
    const email = backupFailedEmail({
      organizationName: "Demo Co",
      backupName: "Nightly",
      reason: "The storage could not be written: the disk is full.",
      link: "http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d",
    });
    expect(email.subject).toBe("Your Demo Co backup failed");
    for (const part of [email.text, email.html]) {
      expect(part).toContain("Nightly");
      expect(part).toContain("The storage could not be written: the disk is full.");
    }
    expect(email.text).toContain("Open the backup: http://localhost:3000/settings/backups/7f1c2f4e-3d5b-4a8e-9d3e-2b1f0c9a8e7d");
  });

  it("escapes the names and the reason in the HTML", () => {
    const email = backupFailedEmail({
      organizationName: hostileOrganization,
      backupName: hostileBackupName,
      reason: `<b>"quoted"</b> & more`,
      link: "http://localhost:3000/settings/backups/x",
    });
    expect(email.subject).toBe(`Your ${hostileOrganization} backup failed`);
    expect(email.html).not.toMatch(/<script|<img|<b>/);
    expect(email.html).toContain("&lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; more");
    expect(email.text).toContain(`Reason: <b>"quoted"</b> & more`);
  });
});
