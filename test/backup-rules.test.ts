import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { backups, organizations } from "@/db/schema";
import type { Caller } from "@/lib/auth/caller";
import type { AppError } from "@/lib/errors";

/**
 * Who may request, see and touch backups (SPEC §1), plans, the owners-only restriction and the
 * cooldowns (SPEC §3), decided on the server from the database. Cooldowns keep their defaults here.
 */

let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ db }, { findUserByEmail }, { resolveCaller }, service, { waitForInlineRuns }] = await Promise.all([
    import("@/db/connection"),
    import("@/db/queries/users"),
    import("@/lib/auth/caller"),
    import("@/lib/backups/service"),
    import("@/inngest/inline-runner"),
  ]);
  return { db, findUserByEmail, resolveCaller, waitForInlineRuns, ...service };
}

beforeAll(async () => {
  app = await importApp();
});

const input = { description: "", includeFiles: true, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };

async function callerFor(email: string): Promise<Caller> {
  const user = await app.findUserByEmail({ email });
  const caller = user && (await app.resolveCaller({ userId: user.id }));
  if (!caller) throw new Error(`no caller for ${email}`);
  return caller;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected a refusal");
}

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

  it("names the account number and creation date in the download file name", () => {
    expect(app.backupDownloadName({ accountNumber: 9789, createdAt: new Date("2026-02-03T23:59:00Z") })).toMatch(/^9789_03_02_2026_\d{5}\.zip$/);
  });
});
