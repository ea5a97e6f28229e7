import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { backups, organizations } from "@/db/schema";
import { callerFor } from "./support/callers";
import { refusal } from "./support/refusal";

/**
 * Who may request, see and touch backups (SPEC §1), plans, the owners-only restriction and the
 * cooldowns (SPEC §3), decided on the server from the database. Cooldowns keep their defaults here.
 */

let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ db }, service, { waitForInlineRuns }, { createApiToken }, { POST: requestBackupRoute }] = await Promise.all([
    import("@/db/connection"),
    import("@/lib/backups/service"),
    import("@/inngest/inline-runner"),
    import("@/lib/api/tokens"),
    import("@/app/api/v1/backups/route"),
  ]);
  return { db, waitForInlineRuns, createApiToken, requestBackupRoute, ...service };
}

beforeAll(async () => {
  app = await importApp();
});

const input = { description: "", includeFiles: true, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };


describe("backup rules", () => {
  it("refuses members everywhere: 403 for the list and requests, 404 for a backup", async () => {
    const owner = await callerFor("owner@demo.test");
    const backup = await app.requestBackup({ caller: owner, input: { ...input, name: "Owner's", includeFiles: false } });
    await app.waitForInlineRuns();
    const member = await callerFor("member@demo.test");
    expect((await refusal(app.listBackupsPage({ caller: member }))).status).toBe(403);
    expect((await refusal(app.requestBackup({ caller: member, input: { ...input, name: "Nope" } }))).status).toBe(403);
    expect((await refusal(app.getBackup({ caller: member, backupId: backup.id }))).status).toBe(404);
    expect((await refusal(app.deleteBackup({ caller: member, backupId: backup.id }))).status).toBe(404);
    const otherAdmin = await callerFor("other-admin@demo.test");
    expect((await refusal(app.getBackup({ caller: otherAdmin, backupId: backup.id }))).status).toBe(404);
    expect((await refusal(app.getBackup({ caller: owner, backupId: "not-a-uuid" }))).status).toBe(404);
  });

  it("shows a free organization why it cannot request, and refuses the request", async () => {
    const free = await callerFor("free-owner@demo.test");
    const availability = await app.backupRequestAvailability({ caller: free });
    expect(availability).toMatchObject({ allowed: false, reason: "plan" });
    expect(availability.allowed ? "" : availability.message).toMatch(/Team and Enterprise plans/);
    const error = await refusal(app.requestBackup({ caller: free, input: { ...input, name: "Free" } }));
    expect(error.status).toBe(403);
    expect(await app.db.select().from(backups).where(eq(backups.organizationId, free.organization.id))).toHaveLength(0);
  });

  it("treats admins like members when the organization restricts backups to owners", async () => {
    const owner = await callerFor("owner@demo.test");
    await app.db
      .update(organizations)
      .set({ settings: sql`${organizations.settings} || '{"restrictBackupsToOwners": true}'::jsonb` })
      .where(eq(organizations.id, owner.organization.id));
    try {
      const admin = await callerFor("admin@demo.test");
      expect((await refusal(app.listBackupsPage({ caller: admin }))).message).toBe("This organization restricts backups to owners.");
      expect((await refusal(app.requestBackup({ caller: admin, input: { ...input, name: "Restricted" } }))).status).toBe(403);
      expect((await app.listBackupsPage({ caller: await callerFor("owner@demo.test") })).backups.length).toBeGreaterThan(0);
    } finally {
      await app.db
        .update(organizations)
        .set({ settings: sql`${organizations.settings} || '{"restrictBackupsToOwners": false}'::jsonb` })
        .where(eq(organizations.id, owner.organization.id));
    }
  });

  it("waits 24 h after a backup with files and 1 h after a data-only one; failed ones do not count", async () => {
    const admin = await callerFor("other-admin@demo.test");
    const withFiles = await app.requestBackup({ caller: admin, input: { ...input, name: "With files" } });
    await app.waitForInlineRuns();
    const now = new Date();
    const cooldown = await refusal(app.requestBackup({ caller: admin, input: { ...input, name: "Too soon" }, now }));
    expect(cooldown.status).toBe(429);
    expect(cooldown.retryAfterSeconds).toBeGreaterThan(23 * 3600);
    expect(cooldown.message).toMatch(/^The next backup with files can be requested after .+ UTC\.$/);
    const dataOnly = await app.requestBackup({ caller: admin, input: { ...input, name: "Data only", includeFiles: false } });
    await app.waitForInlineRuns();
    const dataCooldown = await refusal(app.requestBackup({ caller: admin, input: { ...input, name: "Data again", includeFiles: false } }));
    expect(dataCooldown.retryAfterSeconds).toBeLessThanOrEqual(3600);

    // A failed or cancelled backup starts no cooldown: pretend both finished as failed.
    await app.db.update(backups).set({ status: "failed" }).where(sql`${backups.id} in (${withFiles.id}, ${dataOnly.id})`);
    const after = await app.requestBackup({ caller: admin, input: { ...input, name: "After failures", includeFiles: false } });
    expect(after.status).toBe("in_progress");
    await app.waitForInlineRuns();

    const later = new Date(Date.now() + 61 * 60 * 1000);
    expect(await app.backupRequestAvailability({ caller: admin, includeFiles: false, now: later })).toEqual({ allowed: true });
  });

  it("answers an API request during the cooldown with 429 and Retry-After, and says when the next one is possible", async () => {
    const admin = await callerFor("other-admin@demo.test");
    // Earlier tests' backups would already hold a cooldown; failed ones start none.
    await app.db.update(backups).set({ status: "failed" }).where(eq(backups.organizationId, admin.organization.id));
    const { secret } = await app.createApiToken({ caller: admin, name: "Nightly script" });
    const post = (body: object) =>
      app.requestBackupRoute(
        new Request("http://localhost:3000/api/v1/backups", {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    const first = await post({ name: "From the API", includeFiles: false });
    expect(first.status).toBe(202);
    await app.waitForInlineRuns();

    const before = await app.db.select().from(backups).where(eq(backups.organizationId, admin.organization.id));
    const refused = await post({ name: "Too soon", includeFiles: false });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("cooldown");
    const availability = await app.backupRequestAvailability({ caller: admin, includeFiles: false });
    expect(availability).toMatchObject({ allowed: false, reason: "cooldown" });
    expect(error.message).toBe(availability.allowed ? "" : availability.message);
    expect(error.message).toMatch(/^The next backup without files can be requested after .+ UTC\.$/);
    expect(await app.db.select().from(backups).where(eq(backups.organizationId, admin.organization.id))).toHaveLength(before.length);
  });

  it("refuses the API request of a free organization and of an admin restricted by the owners, as the page does", async () => {
    const post = async (email: string) => {
      const { secret } = await app.createApiToken({ caller: await callerFor(email), name: "Script" });
      return app.requestBackupRoute(
        new Request("http://localhost:3000/api/v1/backups", {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ name: "Refused" }),
        }),
      );
    };
    const free = await post("free-owner@demo.test");
    expect(free.status).toBe(403);
    expect(((await free.json()) as { error: { message: string } }).error.message).toMatch(/Team and Enterprise plans/);

    const owner = await callerFor("owner@demo.test");
    const restrict = (on: boolean) =>
      app.db
        .update(organizations)
        .set({ settings: sql`${organizations.settings} || ${JSON.stringify({ restrictBackupsToOwners: on })}::jsonb` })
        .where(eq(organizations.id, owner.organization.id));
    await restrict(true);
    try {
      const restricted = await post("admin@demo.test");
      expect(restricted.status).toBe(403);
      expect(await restricted.json()).toEqual({ error: { code: "forbidden", message: "This organization restricts backups to owners." } });
    } finally {
      await restrict(false);
    }
  });

  it("names the account number and creation date in the download file name", () => {
    expect(app.backupDownloadName({ accountNumber: 9789, createdAt: new Date("2026-02-03T23:59:00Z") })).toMatch(/^9789_03_02_2026_\d{5}\.zip$/);
  });
});
