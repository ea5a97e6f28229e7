import type { BackupWithRequester } from "@/db/queries/backups";
import type { BackupOptions, BackupStatus } from "@/db/schema";

/** A backup as the HTTP API returns it (SPEC §5): dates as ISO 8601 UTC, absent values as null. */
export type ApiBackup = {
  id: string;
  name: string;
  description: string;
  status: BackupStatus;
  versions: number | null;
  files: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  options: BackupOptions;
  progress: { done: number; total: number };
  requestedBy: { id: string; name: string } | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
};

export function toApiBackup(backup: BackupWithRequester): ApiBackup {
  return {
    id: backup.id,
    name: backup.name,
    description: backup.description,
    status: backup.status,
    versions: backup.versionsCount,
    files: backup.filesCount,
    sizeBytes: backup.sizeBytes,
    sha256: backup.sha256,
    options: backup.options,
    progress: { done: backup.progressDone, total: backup.progressTotal },
    requestedBy: backup.requester ? { id: backup.requester.id, name: backup.requester.name } : null,
    createdAt: backup.createdAt.toISOString(),
    completedAt: backup.completedAt?.toISOString() ?? null,
    expiresAt: backup.expiresAt?.toISOString() ?? null,
  };
}
