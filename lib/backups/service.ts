import "server-only";
import { randomInt } from "node:crypto";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  findBackup,
  findLastCompletedBackup,
  findRunningBackup,
  insertBackup,
  listBackups,
  transitionBackup,
  type BackupWithRequester,
} from "@/db/queries/backups";
import type { Backup, BackupStatus } from "@/db/schema";
import { sendEvent } from "@/inngest/send";
import type { Caller } from "@/lib/auth/caller";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { UUID_PATTERN } from "@/lib/ids";
import { readPage } from "@/lib/pagination";
import { assertCanListBackups, assertCanOpenBackup, canManageBackups, planAllowsBackups } from "./access";
import { removeBackupFiles } from "./cleanup";
import { BACKUP_CONFIG } from "./config";
import type { BackupRequestInput } from "./request-schema";

export type RequestAvailability =
  | { allowed: true }
  | { allowed: false; reason: "role" | "plan" | "in_progress"; message: string; running?: BackupWithRequester }
  | { allowed: false; reason: "cooldown"; message: string; nextAllowedAt: Date };


function inProgressMessage(running: BackupWithRequester) {
  return `A backup is already in progress (requested by ${running.requester?.name ?? "a former member"} at ${formatDateTime(running.createdAt)}).`;
}

/** Whether the caller may request a backup now, and if not, why, in words for the page. */
export async function backupRequestAvailability({
  caller,
  includeFiles = true,
  now = new Date(),
}: {
  caller: Caller;
  includeFiles?: boolean;
  now?: Date;
}): Promise<RequestAvailability> {
  if (!canManageBackups(caller)) return { allowed: false, reason: "role", message: "Only owners and admins can request backups." };
  if (!planAllowsBackups(caller)) {
    return {
      allowed: false,
      reason: "plan",
      message: `Backups are available on the Team and Enterprise plans; ${caller.organization.name} is on the Free plan.`,
    };
  }
  const running = await findRunningBackup({ organizationId: caller.organization.id });
  if (running) return { allowed: false, reason: "in_progress", message: inProgressMessage(running), running };
  const nextAllowedAt = await nextAllowedRequestAt({ organizationId: caller.organization.id, includeFiles });
  if (nextAllowedAt && nextAllowedAt > now) {
    return {
      allowed: false,
      reason: "cooldown",
      nextAllowedAt,
      message: `The next backup ${includeFiles ? "with files" : "without files"} can be requested after ${formatDateTime(nextAllowedAt)}.`,
    };
  }
  return { allowed: true };
}

async function nextAllowedRequestAt({ organizationId, includeFiles }: { organizationId: string; includeFiles: boolean }) {
  const last = await findLastCompletedBackup({ organizationId, includeFiles });
  if (!last?.completedAt) return undefined;
  const minutes = includeFiles ? env.BACKUP_COOLDOWN_MINUTES_WITH_FILES : env.BACKUP_COOLDOWN_MINUTES_DATA_ONLY;
  const cooldown = minutes * 60 * 1000;
  return new Date(last.completedAt.getTime() + cooldown);
}

/** `<accountNumber>_<DD>_<MM>_<YYYY>_<5 random digits>.zip`, from the creation date (UTC). */
export function backupDownloadName({ accountNumber, createdAt }: { accountNumber: number; createdAt: Date }) {
  const pad = (value: number) => String(value).padStart(2, "0");
  const digits = String(randomInt(0, 100_000)).padStart(5, "0");
  return `${accountNumber}_${pad(createdAt.getUTCDate())}_${pad(createdAt.getUTCMonth() + 1)}_${createdAt.getUTCFullYear()}_${digits}.zip`;
}

function isOneInProgressViolation(error: unknown): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const candidate = cause as { code?: string; constraint_name?: string; constraint?: string };
  return candidate?.code === "23505" && (candidate.constraint_name ?? candidate.constraint) === "backups_one_in_progress_idx";
}

/**
 * Writes the row and sends `backup/requested`; the build runs in the background. One backup in
 * progress per organization is enforced by a unique partial index, so of two simultaneous requests
 * exactly one wins and the other is told who started the running one.
 */
export async function requestBackup({
  caller,
  input,
  ipAddress,
  now = new Date(),
}: {
  caller: Caller;
  input: BackupRequestInput;
  ipAddress?: string | null;
  now?: Date;
}): Promise<Backup> {
  assertCanListBackups(caller);
  const availability = await backupRequestAvailability({ caller, includeFiles: input.includeFiles, now });
  if (!availability.allowed) {
    if (availability.reason === "in_progress") throw new AppError("conflict", availability.message);
    if (availability.reason === "cooldown") {
      const retryAfterSeconds = Math.max(1, Math.ceil((availability.nextAllowedAt.getTime() - now.getTime()) / 1000));
      throw new AppError("cooldown", availability.message, { retryAfterSeconds });
    }
    throw new AppError("forbidden", availability.message);
  }
  const options = {
    includeFiles: input.includeFiles,
    formats: input.formats,
    csvEncoding: input.csvEncoding,
    includeBi: input.includeBi && caller.organization.plan === "enterprise",
  };
  if (input.includeBi && caller.organization.plan !== "enterprise") {
    throw new AppError("invalid_input", "The BI export is available on the Enterprise plan.", { field: "includeBi" });
  }
  let backup: Backup;
  try {
    backup = await db.transaction(async (tx) => {
      const created = await insertBackup({
        values: {
          organizationId: caller.organization.id,
          name: input.name,
          description: input.description,
          options,
          requestedBy: caller.user.id,
          downloadName: backupDownloadName({ accountNumber: caller.organization.accountNumber, createdAt: now }),
        },
        executor: tx,
      });
      await insertAuditEvent({
        organizationId: caller.organization.id,
        actorId: caller.user.id,
        action: "backup.requested",
        targetType: "backup",
        targetId: created.id,
        metadata: { name: created.name, options },
        ipAddress: ipAddress ?? undefined,
        executor: tx,
      });
      return created;
    });
  } catch (error) {
    if (!isOneInProgressViolation(error)) throw error;
    const running = await findRunningBackup({ organizationId: caller.organization.id });
    throw new AppError("conflict", running ? inProgressMessage(running) : "A backup is already in progress.");
  }
  try {
    await sendEvent({ name: "backup/requested", data: { backupId: backup.id, organizationId: backup.organizationId } });
  } catch (error) {
    console.error("Could not queue the backup build", error);
    await transitionBackup({
      id: backup.id,
      from: ["in_progress"],
      set: { status: "failed", failureReason: "The backup could not be queued for building. Please request it again." },
    });
    throw new AppError("internal", "The backup could not be started. Nothing was kept; please try again.");
  }
  return backup;
}

/** A backup of the caller's organization, or 404 for every other case (unknown, other org, member). */
export async function getBackup({ caller, backupId }: { caller: Caller; backupId: string }): Promise<BackupWithRequester> {
  assertCanOpenBackup(caller);
  if (!UUID_PATTERN.test(backupId)) throw new AppError("not_found", "That backup was not found.");
  const backup = await findBackup({ id: backupId, organizationId: caller.organization.id });
  if (!backup) throw new AppError("not_found", "That backup was not found.");
  return backup;
}

export async function listBackupsPage({
  caller,
  cursor,
  limit = BACKUP_CONFIG.listPageSize,
}: {
  caller: Caller;
  cursor?: string;
  limit?: number;
}): Promise<{ backups: BackupWithRequester[]; nextCursor: string | null }> {
  assertCanListBackups(caller);
  const { rows, nextCursor } = await readPage({
    cursor,
    limit,
    fetchRows: (page) => listBackups({ organizationId: caller.organization.id, ...page }),
  });
  return { backups: rows, nextCursor };
}

/** Moves the backup on and records who did it, in one transaction; undefined when it had already moved. */
async function transitionWithAudit({
  backup,
  caller,
  ipAddress,
  from,
  set,
  action,
}: {
  backup: Backup;
  caller: Caller;
  ipAddress?: string | null;
  from: BackupStatus[];
  set: Parameters<typeof transitionBackup>[0]["set"];
  action: string;
}) {
  return db.transaction(async (tx) => {
    const updated = await transitionBackup({ id: backup.id, from, set, executor: tx });
    if (!updated) return undefined;
    await insertAuditEvent({
      organizationId: caller.organization.id,
      actorId: caller.user.id,
      action,
      targetType: "backup",
      targetId: backup.id,
      ipAddress: ipAddress ?? undefined,
      executor: tx,
    });
    return updated;
  });
}

/** Stops a running backup within one batch; its partial archive is removed. */
export async function cancelBackup({ caller, backupId, ipAddress }: { caller: Caller; backupId: string; ipAddress?: string | null }) {
  const backup = await getBackup({ caller, backupId });
  const cancelled = await transitionWithAudit({
    backup,
    caller,
    ipAddress,
    from: ["in_progress"],
    set: { status: "cancelled", cancelledAt: new Date(), failureReason: `Cancelled by ${caller.user.name}.` },
    action: "backup.cancelled",
  });
  if (!cancelled) {
    throw new AppError("conflict", `This backup is ${backup.status.replace("_", " ")}; only a backup in progress can be cancelled.`);
  }
  await sendEvent({ name: "backup/cancel-requested", data: { backupId: backup.id, organizationId: backup.organizationId } }).catch(
    (error) => console.error("Could not send the cancel event; the build stops at its next batch anyway", error),
  );
  await removeBackupFiles({ backupId: backup.id });
  return cancelled;
}

/** Removes the archive from storage at once; the row stays as `deleted` for the history. */
export async function deleteBackup({ caller, backupId, ipAddress }: { caller: Caller; backupId: string; ipAddress?: string | null }) {
  const backup = await getBackup({ caller, backupId });
  if (backup.status === "in_progress") {
    throw new AppError("conflict", "This backup is still being built. Cancel it first, then delete it.");
  }
  const deleted = await transitionWithAudit({
    backup,
    caller,
    ipAddress,
    from: ["ready", "failed", "cancelled", "expired"],
    set: { status: "deleted", deletedAt: new Date() },
    action: "backup.deleted",
  });
  if (!deleted) throw new AppError("conflict", "This backup has already been deleted.");
  await removeBackupFiles({ backupId: backup.id });
  return deleted;
}
