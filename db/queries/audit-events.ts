import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { auditEvents, backups, users } from "@/db/schema";
import { newestFirst, olderThan, type OrganizationPageQuery } from "./keyset";

export async function insertAuditEvent({
  organizationId,
  actorId,
  action,
  targetType,
  targetId,
  metadata = {},
  ipAddress,
  executor = db,
}: {
  organizationId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ipAddress?: string;
  executor?: Executor;
}) {
  const [event] = await executor
    .insert(auditEvents)
    .values({ organizationId, actorId, action, targetType, targetId, metadata, ipAddress })
    .returning();
  return event!;
}

export async function listAuditEvents({
  organizationId,
  action,
  limit = 50,
  executor = db,
}: {
  organizationId: string;
  action?: string;
  limit?: number;
  executor?: Executor;
}) {
  return executor
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), action ? eq(auditEvents.action, action) : undefined))
    .orderBy(desc(auditEvents.createdAt))
    .limit(limit);
}

const BACKUP_AUDIT_ACTIONS = [
  "backup.requested",
  "backup.ready",
  "backup.failed",
  "backup.cancelled",
  "backup.downloaded",
  "backup.deleted",
  "backup.expired",
] as const;

export type BackupAuditAction = (typeof BACKUP_AUDIT_ACTIONS)[number];

/** Newest first, keyset-paginated on (createdAt, id); the actor and the backup are named even after a rename. */
export async function listBackupAuditEvents({
  organizationId,
  limit,
  after,
  executor = db,
}: OrganizationPageQuery & { executor?: Executor }) {
  const rows = await executor
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      createdAt: auditEvents.createdAt,
      ipAddress: auditEvents.ipAddress,
      metadata: auditEvents.metadata,
      backupId: auditEvents.targetId,
      backupName: backups.name,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .leftJoin(backups, and(sql`${backups.id}::text = ${auditEvents.targetId}`, eq(backups.organizationId, auditEvents.organizationId)))
    .where(
      and(
        eq(auditEvents.organizationId, organizationId),
        eq(auditEvents.targetType, "backup"),
        inArray(auditEvents.action, [...BACKUP_AUDIT_ACTIONS]),
        olderThan(auditEvents, after),
      ),
    )
    .orderBy(...newestFirst(auditEvents))
    .limit(limit);
  return rows.map((row) => ({ ...row, action: row.action as BackupAuditAction }));
}
