import "server-only";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import {
  backupFileEntries,
  backupSegments,
  backups,
  users,
  type ArchiveEntryRecord,
  type Backup,
  type BackupOptions,
  type BackupStatus,
} from "@/db/schema";
import { newestFirst, olderThan, type OrganizationPageQuery } from "./keyset";

export type BackupWithRequester = Backup & { requester: { id: string; name: string; email: string } | null };

const requesterColumns = { id: users.id, name: users.name, email: users.email };

function withRequester(row: { backup: Backup; requester: { id: string | null; name: string | null; email: string | null } | null }) {
  const requester = row.requester?.id ? { id: row.requester.id, name: row.requester.name!, email: row.requester.email! } : null;
  return { ...row.backup, requester };
}

export async function insertBackup({
  values,
  executor = db,
}: {
  values: { organizationId: string; name: string; description: string; options: BackupOptions; requestedBy: string; downloadName: string };
  executor?: Executor;
}) {
  const [backup] = await executor.insert(backups).values(values).returning();
  return backup!;
}

export async function findBackup({
  id,
  organizationId,
  executor = db,
}: {
  id: string;
  organizationId: string;
  executor?: Executor;
}): Promise<BackupWithRequester | undefined> {
  const [row] = await executor
    .select({ backup: backups, requester: requesterColumns })
    .from(backups)
    .leftJoin(users, eq(users.id, backups.requestedBy))
    .where(and(eq(backups.id, id), eq(backups.organizationId, organizationId)))
    .limit(1);
  return row ? withRequester(row) : undefined;
}

export async function findBackupById({ id, executor = db }: { id: string; executor?: Executor }) {
  const [backup] = await executor.select().from(backups).where(eq(backups.id, id)).limit(1);
  return backup;
}

/** Newest first; the cursor is the last row's `createdAt|id` so pages never skip or repeat a row. */
export async function listBackups({
  organizationId,
  limit,
  after,
  executor = db,
}: OrganizationPageQuery & { executor?: Executor }): Promise<BackupWithRequester[]> {
  const rows = await executor
    .select({ backup: backups, requester: requesterColumns })
    .from(backups)
    .leftJoin(users, eq(users.id, backups.requestedBy))
    .where(
      and(
        eq(backups.organizationId, organizationId),
        olderThan(backups, after),
      ),
    )
    .orderBy(...newestFirst(backups))
    .limit(limit);
  return rows.map(withRequester);
}

export async function findRunningBackup({ organizationId, executor = db }: { organizationId: string; executor?: Executor }) {
  const [row] = await executor
    .select({ backup: backups, requester: requesterColumns })
    .from(backups)
    .leftJoin(users, eq(users.id, backups.requestedBy))
    .where(and(eq(backups.organizationId, organizationId), eq(backups.status, "in_progress")))
    .limit(1);
  return row ? withRequester(row) : undefined;
}

/** The newest completed backup with or without files, for the cooldown (failed and cancelled ones do not count). */
export async function findLastCompletedBackup({
  organizationId,
  includeFiles,
  executor = db,
}: {
  organizationId: string;
  includeFiles: boolean;
  executor?: Executor;
}) {
  const [backup] = await executor
    .select({ id: backups.id, completedAt: backups.completedAt })
    .from(backups)
    .where(
      and(
        eq(backups.organizationId, organizationId),
        inArray(backups.status, ["ready", "expired", "deleted"]),
        sql`${backups.completedAt} is not null`,
        sql`(${backups.options} ->> 'includeFiles')::boolean = ${includeFiles}`,
      ),
    )
    .orderBy(desc(backups.completedAt))
    .limit(1);
  return backup;
}

/** Moves a backup from one status to another; undefined when it was no longer in `from` (someone else won). */
export async function transitionBackup({
  id,
  from,
  set,
  executor = db,
}: {
  id: string;
  from: BackupStatus[];
  set: Partial<typeof backups.$inferInsert> & { status: BackupStatus };
  executor?: Executor;
}) {
  const [backup] = await executor
    .update(backups)
    .set(set)
    .where(and(eq(backups.id, id), inArray(backups.status, from)))
    .returning();
  return backup;
}

export async function updateBackupProgress({
  id,
  set,
  executor = db,
}: {
  id: string;
  set: Partial<Pick<Backup, "progressDone" | "progressTotal" | "snapshotAt" | "versionsCount" | "filesCount">>;
  executor?: Executor;
}) {
  await executor
    .update(backups)
    .set(set)
    .where(and(eq(backups.id, id), eq(backups.status, "in_progress")));
}

export async function listExpiredReadyBackups({ now, executor = db }: { now: Date; executor?: Executor }) {
  return executor
    .select({ id: backups.id })
    .from(backups)
    .where(and(eq(backups.status, "ready"), lt(backups.expiresAt, now)));
}

export async function listBackupsInProgress({ executor = db }: { executor?: Executor } = {}) {
  return executor.select().from(backups).where(eq(backups.status, "in_progress"));
}

export async function listFileEntries({
  backupId,
  fromSeq,
  toSeq,
  executor = db,
}: {
  backupId: string;
  fromSeq: number;
  toSeq: number;
  executor?: Executor;
}) {
  return executor
    .select()
    .from(backupFileEntries)
    .where(and(eq(backupFileEntries.backupId, backupId), sql`${backupFileEntries.seq} between ${fromSeq} and ${toSeq}`))
    .orderBy(asc(backupFileEntries.seq));
}

export async function upsertSegment({
  values,
  executor = db,
}: {
  values: { backupId: string; seq: number; storageKey: string; sizeBytes: number; entries: ArchiveEntryRecord[] };
  executor?: Executor;
}) {
  await executor
    .insert(backupSegments)
    .values(values)
    .onConflictDoUpdate({
      target: [backupSegments.backupId, backupSegments.seq],
      set: { storageKey: values.storageKey, sizeBytes: values.sizeBytes, entries: values.entries },
    });
}

export async function listSegments({ backupId, executor = db }: { backupId: string; executor?: Executor }) {
  return executor.select().from(backupSegments).where(eq(backupSegments.backupId, backupId)).orderBy(asc(backupSegments.seq));
}

export async function deleteSegmentRows({ backupId, executor = db }: { backupId: string; executor?: Executor }) {
  await executor.delete(backupSegments).where(eq(backupSegments.backupId, backupId));
}

export async function addBackupProgress({ id, bytes, executor = db }: { id: string; bytes: number; executor?: Executor }) {
  await executor
    .update(backups)
    .set({ progressDone: sql`least(${backups.progressDone} + ${bytes}, ${backups.progressTotal})` })
    .where(and(eq(backups.id, id), eq(backups.status, "in_progress")));
}

/** The admin-facing reason of a failure, kept while the build still retries or fails. */
export async function recordBackupFailureReason({ id, reason, executor = db }: { id: string; reason: string; executor?: Executor }) {
  await executor
    .update(backups)
    .set({ failureReason: reason })
    .where(and(eq(backups.id, id), eq(backups.status, "in_progress")));
}
