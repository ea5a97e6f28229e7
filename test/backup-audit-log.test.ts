import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { backups, fileVersions, files, organizations } from "@/db/schema";
import type { Caller } from "@/lib/auth/caller";
import { callerFor } from "./support/callers";
import { refusal } from "./support/refusal";

/**
 * Issue 5, point 10: the backup audit log, fed by the real request, build, download, cancel, delete,
 * failure and expiry paths (in-process Inngest engine, real PostgreSQL and storage).
 */

let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ db }, service, auditLog, { backupDownloadReply }, { expireBackups }, { waitForInlineRuns }, { storage }] = await Promise.all([
    import("@/db/connection"),
    import("@/lib/backups/service"),
    import("@/lib/backups/audit-log"),
    import("@/lib/backups/download"),
    import("@/lib/backups/expiry"),
    import("@/inngest/inline-runner"),
    import("@/lib/storage"),
  ]);
  return { db, ...service, ...auditLog, backupDownloadReply, expireBackups, waitForInlineRuns, storage };
}

const input = { description: "", includeFiles: false, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };
const DAY_MS = 24 * 3600 * 1000;
const REQUEST_ADDRESS = "203.0.113.10";
const DOWNLOAD_ADDRESS = "198.51.100.20";
const DELETE_ADDRESS = "2001:db8::7";

async function requestAndWait(caller: Caller, name: string, overrides: Partial<typeof input> = {}) {
  const backup = await app.requestBackup({ caller, input: { ...input, ...overrides, name }, ipAddress: REQUEST_ADDRESS });
  await app.waitForInlineRuns();
  const [row] = await app.db.select().from(backups).where(eq(backups.id, backup.id));
  return row!;
}

async function wholeLog(caller: Caller) {
  const events = [];
  let cursor: string | undefined;
  do {
    const page = await app.listBackupAuditLogPage({ caller, cursor, limit: 3 });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

let owner: Caller;
const ids = { expired: "", deleted: "", cancelled: "", failed: "" };

beforeAll(async () => {
  Object.assign(process.env, { BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0", BACKUP_COOLDOWN_MINUTES_DATA_ONLY: "0", INLINE_RETRY_BASE_MS: "10" });
  app = await importApp();
  owner = await callerFor("owner@demo.test");

  const expiring = await requestAndWait(owner, "Downloaded, then expired");
  const { body } = await app.backupDownloadReply({ caller: owner, backupId: expiring.id, ipAddress: DOWNLOAD_ADDRESS });
  if (typeof body === "string") throw new Error(`the download was refused: ${body}`);
  await body.close();
  await app.expireBackups({ now: new Date(expiring.completedAt!.getTime() + 8 * DAY_MS) });
  ids.expired = expiring.id;

  const deleted = await requestAndWait(owner, "Deleted");
  await app.deleteBackup({ caller: owner, backupId: deleted.id, ipAddress: DELETE_ADDRESS });
  ids.deleted = deleted.id;

  const cancelled = await app.requestBackup({ caller: owner, input: { ...input, name: "Cancelled" } });
  await app.cancelBackup({ caller: owner, backupId: cancelled.id });
  await app.waitForInlineRuns();
  ids.cancelled = cancelled.id;

  const [version] = await app.db
    .select({ storageKey: fileVersions.storageKey })
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .where(and(eq(files.organizationId, owner.organization.id), sql`${files.deletedAt} is null`))
    .limit(1);
  await app.storage().delete(version!.storageKey);
  ids.failed = (await requestAndWait(owner, "Failed", { includeFiles: true })).id;
});

describe("the backup audit log", () => {
  it("records requested, ready, downloaded, expired, deleted, cancelled and failed, newest first, with who, when and from where", async () => {
    const events = await wholeLog(await callerFor("admin@demo.test"));
    const times = events.map((event) => event.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const actionsOf = (backupId: string) => events.filter((event) => event.backupId === backupId).map((event) => event.action).reverse();
    expect(actionsOf(ids.expired)).toEqual(["backup.requested", "backup.ready", "backup.downloaded", "backup.expired"]);
    expect(actionsOf(ids.deleted)).toEqual(["backup.requested", "backup.ready", "backup.deleted"]);
    expect(actionsOf(ids.cancelled)).toEqual(["backup.requested", "backup.cancelled"]);
    expect(actionsOf(ids.failed)).toEqual(["backup.requested", "backup.failed"]);

    const find = (backupId: string, action: string) => events.find((event) => event.backupId === backupId && event.action === action)!;
    const downloaded = find(ids.expired, "backup.downloaded");
    expect(downloaded).toMatchObject({ actorName: owner.user.name, actorEmail: owner.user.email, ipAddress: DOWNLOAD_ADDRESS, backupName: "Downloaded, then expired" });
    expect(find(ids.expired, "backup.requested").ipAddress).toBe(REQUEST_ADDRESS);
    expect(find(ids.deleted, "backup.deleted").ipAddress).toBe(DELETE_ADDRESS);
    for (const systemEvent of [find(ids.expired, "backup.ready"), find(ids.expired, "backup.expired"), find(ids.failed, "backup.failed")]) {
      expect(systemEvent.actorName).toBeNull();
    }
    expect(String(find(ids.failed, "backup.failed").metadata.reason)).toMatch(/missing from storage/);
  });

  it("pages through the log without skipping or repeating an event, and refuses a cursor it did not make", async () => {
    const admin = await callerFor("admin@demo.test");
    const onePage = await app.listBackupAuditLogPage({ caller: admin, limit: 1000 });
    expect(onePage.nextCursor).toBeNull();
    expect((await wholeLog(admin)).map((event) => event.id)).toEqual(onePage.events.map((event) => event.id));
    expect((await refusal(app.listBackupAuditLogPage({ caller: admin, cursor: "not-a-cursor" }))).code).toBe("invalid_input");
  });

  it("lists only backup events of the caller's organization", async () => {
    const { events } = await app.listBackupAuditLogPage({ caller: owner, limit: 1000 });
    expect(events.every((event) => event.action.startsWith("backup."))).toBe(true);
    const demoBackupIds = new Set(events.map((event) => event.backupId));
    const otherAdmin = await callerFor("other-admin@demo.test");
    await requestAndWait(otherAdmin, "Other Inc's own");
    const otherEvents = (await app.listBackupAuditLogPage({ caller: otherAdmin, limit: 1000 })).events;
    expect(otherEvents.map((event) => event.backupName)).toEqual(["Other Inc's own", "Other Inc's own"]);
    expect(otherEvents.some((event) => demoBackupIds.has(event.backupId))).toBe(false);
  });

  it("is refused to members, and to admins while the organization restricts backups to owners", async () => {
    expect((await refusal(app.listBackupAuditLogPage({ caller: await callerFor("member@demo.test") }))).status).toBe(403);
    const setRestriction = (restrictBackupsToOwners: boolean) =>
      app.db
        .update(organizations)
        .set({ settings: sql`${organizations.settings} || ${JSON.stringify({ restrictBackupsToOwners })}::jsonb` })
        .where(eq(organizations.id, owner.organization.id));
    await setRestriction(true);
    try {
      expect((await refusal(app.listBackupAuditLogPage({ caller: await callerFor("admin@demo.test") }))).status).toBe(403);
      expect((await app.listBackupAuditLogPage({ caller: await callerFor("owner@demo.test") })).events.length).toBeGreaterThan(0);
    } finally {
      await setRestriction(false);
    }
  });
});
