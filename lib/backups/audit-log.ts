import "server-only";
import { listBackupAuditEvents } from "@/db/queries/audit-events";
import type { Caller } from "@/lib/auth/caller";
import { readPage } from "@/lib/pagination";
import { assertCanListBackups } from "./access";
import { BACKUP_CONFIG } from "./config";

export type BackupAuditEntry = Awaited<ReturnType<typeof listBackupAuditEvents>>[number];

/**
 * Who requested, downloaded (and from where), cancelled and deleted which backup, and when the
 * system finished, failed or expired one: newest first, one page at a time. Open to those who may
 * manage backups (owners; admins unless the organization restricts backups to owners).
 */
export async function listBackupAuditLogPage({
  caller,
  cursor,
  limit = BACKUP_CONFIG.auditLogPageSize,
}: {
  caller: Caller;
  cursor?: string;
  limit?: number;
}): Promise<{ events: BackupAuditEntry[]; nextCursor: string | null }> {
  assertCanListBackups(caller);
  const { rows, nextCursor } = await readPage({
    cursor,
    limit,
    fetchRows: (page) => listBackupAuditEvents({ organizationId: caller.organization.id, ...page }),
  });
  return { events: rows, nextCursor };
}
