import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, backups, fileVersions, files, inlineRuns, type Role } from "@/db/schema";
import type { Caller } from "@/lib/auth/caller";
import { backupArchiveKey } from "@/lib/backups/storage-keys";
import { readWorkspace, visibleTo } from "./support/expected-visibility";
import { startResendCaptureServer, type ResendCaptureServer } from "./support/resend-capture-server";

/**
 * The build through the real Inngest function, driven in-process by the SDK's execution engine
 * (no Inngest server here), against real PostgreSQL, real storage and the real Resend SDK pointed
 * at a local capture server.
 */

let capture: ResendCaptureServer;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-backup-test-"));
// lib/env parses the environment once, so the app's modules are imported after it is set.
let app: Awaited<ReturnType<typeof importApp>>;

async function importApp() {
  const [{ db }, { findUserByEmail }, { waitForInlineRuns }, { resolveCaller }, service, { storage }] = await Promise.all([
    import("@/db/connection"),
    import("@/db/queries/users"),
    import("@/inngest/inline-runner"),
    import("@/lib/auth/caller"),
    import("@/lib/backups/service"),
    import("@/lib/storage"),
  ]);
  return { db, findUserByEmail, waitForInlineRuns, resolveCaller, storage, ...service };
}

beforeAll(async () => {
  capture = await startResendCaptureServer();
  Object.assign(process.env, {
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: capture.url,
    INLINE_RETRY_BASE_MS: "10",
    // Several backups per organization in one file; the cooldown itself is tested on its own.
    BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0",
    BACKUP_COOLDOWN_MINUTES_DATA_ONLY: "0",
  });
  app = await importApp();
});

afterAll(async () => {
  await capture.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function callerFor(email: string): Promise<Caller> {
  const user = await app.findUserByEmail({ email });
  const caller = user && (await app.resolveCaller({ userId: user.id }));
  if (!caller) throw new Error(`no caller for ${email}`);
  return caller;
}

const defaults = { description: "", includeFiles: true, formats: ["json", "csv"] as ("json" | "csv")[], csvEncoding: "utf-8" as const, includeBi: false };

async function buildAndWait(email: string, overrides: Partial<typeof defaults> & { name: string }) {
  const caller = await callerFor(email);
  const backup = await app.requestBackup({ caller, input: { ...defaults, ...overrides } });
  await app.waitForInlineRuns();
  const [row] = await app.db.select().from(backups).where(eq(backups.id, backup.id));
  return { caller, backup: row! };
}

async function readArchive(backupId: string) {
  const file = path.join(workDir, `${backupId}.zip`);
  const chunks: Buffer[] = [];
  for await (const chunk of await app.storage().read(backupArchiveKey(backupId))) chunks.push(chunk as Buffer);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return { file, zip: await JSZip.loadAsync(fs.readFileSync(file)) };
}

/** The uids of what the requester may see (the rule of support/expected-visibility.ts). */
async function expectedVisibleUids(organizationId: string, userId: string, role: Role) {
  const visible = visibleTo(await readWorkspace(), { organizationId, userId, role });
  const uids = <T extends { uid: string }>(rows: T[]) => rows.map((row) => row.uid).sort();
  return {
    users: uids(visible.users),
    teams: uids(visible.teams),
    contacts: uids(visible.contacts),
    folders: uids(visible.folders),
    tasks: uids(visible.tasks),
    files: uids(visible.files),
    versions: uids(visible.versions),
    comments: uids(visible.comments),
    timeLogs: uids(visible.timeLogs),
    recipients: uids(visible.recipients),
  };
}

const csvColumn = (text: string, column: string) => {
  const [header, ...rows] = text.trim().split("\r\n");
  const index = header!.split(",").indexOf(column);
  return rows.map((row) => row.split(",")[index]!).sort();
};

describe("backup build (real function, in-process engine)", () => {
  it("builds a complete, self-verifying archive of what the admin may see, and emails the requester", async () => {
    const { backup } = await buildAndWait("admin@demo.test", { name: "Full backup" });
    expect(backup.status).toBe("ready");
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backup.progressDone).toBe(backup.progressTotal);
    expect(backup.expiresAt!.getTime() - backup.completedAt!.getTime()).toBe(7 * 24 * 3600 * 1000);

    const { file, zip } = await readArchive(backup.id);
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(backup.sha256);
    expect(fs.statSync(file).size).toBe(backup.sizeBytes);
    execFileSync("unzip", ["-tq", file]);
    execFileSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None", file]);

    const manifest = JSON.parse(await zip.file("DEMOCO01/manifest.json")!.async("string"));
    const names = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
    expect(names.length).toBe(manifest.entries.length + 1);
    for (const entry of manifest.entries as { path: string; size: number; sha256: string }[]) {
      const bytes = await zip.file(entry.path)!.async("nodebuffer");
      expect(bytes.length, entry.path).toBe(entry.size);
      expect(createHash("sha256").update(bytes).digest("hex"), entry.path).toBe(entry.sha256);
    }

    // Every live file version the admin may see is packed with its recorded bytes; none else.
    const visibleVersions = await app.db
      .select({ uid: fileVersions.uid, sha256: fileVersions.sha256, name: files.name })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(sql`${files.id} in (select id from files where organization_id = ${backup.organizationId} and deleted_at is null)`);
    const packed = names.filter((name) => name.startsWith("DEMOCO01/files/"));
    expect(packed.length).toBe(backup.versionsCount);
    for (const version of visibleVersions.filter((v: { uid: string; sha256: string }) => packed.some((name) => name.includes(`/${v.uid}_`)))) {
      const name = packed.find((candidate) => candidate.includes(`/${version.uid}_`))!;
      expect(createHash("sha256").update(await zip.file(name)!.async("nodebuffer")).digest("hex")).toBe(version.sha256);
    }

    // Every table: exactly the rows the admin may see, no more, no fewer.
    const expected = await expectedVisibleUids(backup.organizationId, backup.requestedBy!, "admin");
    const jsonIds = async (name: string, key: "uid" | "id") =>
      (JSON.parse(await zip.file(`DEMOCO01/json/${name}.json`)!.async("string")) as Record<string, string>[]).map((row) => row[key]!).sort();
    expect(await jsonIds("users", "uid")).toEqual(expected.users);
    expect(await jsonIds("teams", "uid")).toEqual(expected.teams);
    expect(await jsonIds("contacts", "uid")).toEqual(expected.contacts);
    expect(await jsonIds("folders", "id")).toEqual(expected.folders);
    expect(await jsonIds("tasks", "id")).toEqual(expected.tasks);
    expect(await jsonIds("files", "id")).toEqual(expected.files);
    expect(await jsonIds("comments", "id")).toEqual(expected.comments);
    expect(csvColumn(await zip.file("DEMOCO01/csv/time_logs.csv")!.async("string"), "uid")).toEqual(expected.timeLogs);
    expect(csvColumn(await zip.file("DEMOCO01/csv/recipients.csv")!.async("string"), "uid")).toEqual(expected.recipients);
    expect(names.filter((name) => name.startsWith("DEMOCO01/versions/"))).toHaveLength(expected.versions.length);
    expect(backup.versionsCount).toBe(expected.versions.length);
    const folderTitles = (JSON.parse(await zip.file("DEMOCO01/json/folders.json")!.async("string")) as { title: string }[]).map((folder) => folder.title);
    expect(folderTitles).toContain("Marketing");
    expect(folderTitles).not.toContain("Leadership – confidential");
    expect(folderTitles).not.toContain("Spring campaign 2023");
    const everything = (await Promise.all(names.map((name) => zip.file(name)!.async("string")))).join("\n");
    expect(everything).not.toMatch(/\$2[aby]\$\d\d\$/);
    expect(everything).not.toContain("Other Inc client accounts");

    const email = capture.requests.find((request) => request.body.subject === "Your Demo Co backup is ready");
    expect(email?.body.to).toEqual(["admin@demo.test"]);
    expect(String(email?.body.text)).toContain(`/settings/backups/${backup.id}`);
  });

  it("builds a data-only backup without files/ and the owner's includes the private folder", async () => {
    const { backup } = await buildAndWait("owner@demo.test", { name: "Data only", includeFiles: false, formats: ["json"], includeBi: true });
    expect(backup.status).toBe("ready");
    const { file, zip } = await readArchive(backup.id);
    execFileSync("unzip", ["-tq", file]);
    expect(Object.keys(zip.files).some((name) => name.includes("/files/"))).toBe(false);
    expect(Object.keys(zip.files).some((name) => name.includes("/csv/"))).toBe(false);
    const folders = JSON.parse(await zip.file("DEMOCO01/json/folders.json")!.async("string")) as { title: string }[];
    expect(folders.map((folder) => folder.title)).toContain("Leadership – confidential");
    const biTasks = await zip.file("DEMOCO01/bi/tasks.csv")!.async("string");
    expect(biTasks.split("\r\n")[0]).toBe("task,parentTask,folders,status,importance,assignees,author,hoursLogged,createdAt,updatedAt");
    expect(biTasks).toContain("Olivia Martin");
    expect(zip.file("DEMOCO01/bi/time_logs.csv")).not.toBeNull();
  });

  it("fails with a reason naming the file when a blob is missing, removes the partial archive and emails", async () => {
    const caller = await callerFor("other-admin@demo.test");
    const [version] = await app.db
      .select({ storageKey: fileVersions.storageKey, name: files.name })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(and(eq(files.organizationId, caller.organization.id), sql`${files.deletedAt} is null`))
      .limit(1);
    await app.storage().delete(version!.storageKey);
    const { backup } = await buildAndWait("other-admin@demo.test", { name: "Doomed" });
    expect(backup.status).toBe("failed");
    expect(backup.failureReason).toContain(version!.name);
    expect(backup.failureReason).toContain("missing from storage");
    expect(await app.storage().stat(backupArchiveKey(backup.id))).toBeNull();
    const email = capture.requests.find((request) => request.body.subject === "Your Other Inc backup failed");
    expect(String(email?.body.text)).toContain(version!.name);
    const [failedEvent] = await app.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, backup.id), eq(auditEvents.action, "backup.failed")));
    expect(failedEvent).toBeDefined();
  });

  it("allows exactly one backup in progress per organization: 20 at once → 1 started, 19 clear conflicts", async () => {
    const caller = await callerFor("owner@demo.test");
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => app.requestBackup({ caller, input: { ...defaults, name: `Race ${index}`, includeFiles: false } })),
    );
    const started = attempts.filter((attempt) => attempt.status === "fulfilled");
    const refused = attempts.filter((attempt) => attempt.status === "rejected") as PromiseRejectedResult[];
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const refusal of refused) expect(refusal.reason.message).toMatch(/^A backup is already in progress \(requested by Olivia Martin at .+\)\.$/);
    await app.waitForInlineRuns();
  });

  it("cancels a running backup: cancelled, no archive left, and a finished one cannot be cancelled", async () => {
    const caller = await callerFor("admin@demo.test");
    const backup = await app.requestBackup({ caller, input: { ...defaults, name: "To cancel" } });
    await app.cancelBackup({ caller, backupId: backup.id });
    await app.waitForInlineRuns();
    const [row] = await app.db.select().from(backups).where(eq(backups.id, backup.id));
    expect(row!.status).toBe("cancelled");
    expect(await app.storage().stat(backupArchiveKey(backup.id))).toBeNull();
    const [run] = await app.db.select().from(inlineRuns).where(sql`${inlineRuns.event} -> 'data' ->> 'backupId' = ${backup.id}`);
    expect(run!.status).toBe("cancelled");
    await expect(app.cancelBackup({ caller, backupId: backup.id })).rejects.toThrow(/only a backup in progress can be cancelled/);
  });

  it("deletes a ready backup's archive at once and keeps the row as deleted", async () => {
    const { caller, backup } = await buildAndWait("admin@demo.test", { name: "To delete", includeFiles: false });
    expect(await app.storage().stat(backupArchiveKey(backup.id))).not.toBeNull();
    await app.deleteBackup({ caller, backupId: backup.id });
    const [row] = await app.db.select().from(backups).where(eq(backups.id, backup.id));
    expect(row!.status).toBe("deleted");
    expect(await app.storage().stat(backupArchiveKey(backup.id))).toBeNull();
  });

  it("keeps a ready backup downloadable for 7 days, then expires it and deletes its archive", async () => {
    const { expireBackups } = await import("@/lib/backups/expiry");
    const { backup } = await buildAndWait("admin@demo.test", { name: "Expiring", includeFiles: false });
    const day = 24 * 3600 * 1000;
    expect((await expireBackups({ now: new Date(backup.completedAt!.getTime() + 6 * day) })).expired).not.toContain(backup.id);
    expect(await app.storage().stat(backupArchiveKey(backup.id))).not.toBeNull();
    expect((await expireBackups({ now: new Date(backup.completedAt!.getTime() + 8 * day) })).expired).toContain(backup.id);
    const [row] = await app.db.select().from(backups).where(eq(backups.id, backup.id));
    expect(row!.status).toBe("expired");
    expect(await app.storage().stat(backupArchiveKey(backup.id))).toBeNull();
  });
});
