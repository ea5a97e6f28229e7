import "server-only";
import { deleteSegmentRows, listSegments } from "@/db/queries/backups";
import { storage } from "@/lib/storage";
import { backupArchiveKey } from "./storage-keys";

/** Deletes a backup's archive and every segment from storage (idempotent: absent objects are fine). */
export async function removeBackupFiles({ backupId }: { backupId: string }) {
  const segments = await listSegments({ backupId });
  await Promise.all(segments.map((segment) => storage().delete(segment.storageKey)));
  await deleteSegmentRows({ backupId });
  await storage().delete(backupArchiveKey(backupId));
}

/** After the archive is assembled the segments are no longer needed; the archive stays. */
export async function removeBackupSegments({ backupId }: { backupId: string }) {
  const segments = await listSegments({ backupId });
  await Promise.all(segments.map((segment) => storage().delete(segment.storageKey)));
  await deleteSegmentRows({ backupId });
}
