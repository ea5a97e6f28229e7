import "server-only";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import { listExpiredReadyBackups, transitionBackup } from "@/db/queries/backups";
import { removeBackupFiles } from "./cleanup";

/** Marks ready backups whose download window has passed as `expired` and deletes their archives. */
export async function expireBackups({ now }: { now: Date }): Promise<{ expired: string[] }> {
  const due = await listExpiredReadyBackups({ now });
  const expired: string[] = [];
  for (const { id } of due) {
    const updated = await db.transaction(async (tx) => {
      const backup = await transitionBackup({ id, from: ["ready"], set: { status: "expired" }, executor: tx });
      if (!backup) return undefined;
      await insertAuditEvent({ organizationId: backup.organizationId, actorId: null, action: "backup.expired", targetType: "backup", targetId: id, executor: tx });
      return backup;
    });
    if (!updated) continue;
    await removeBackupFiles({ backupId: id });
    expired.push(id);
  }
  return { expired };
}
