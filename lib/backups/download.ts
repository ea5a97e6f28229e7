import "server-only";
import { insertAuditEvent } from "@/db/queries/audit-events";
import type { Caller } from "@/lib/auth/caller";
import { AppError } from "@/lib/errors";
import { attachmentDisposition, storedObjectReply, type StoredObjectReply } from "@/lib/workspace/downloads";
import { clientAddress } from "@/lib/client-address";
import { getBackup } from "./service";
import { backupArchiveKey } from "./storage-keys";

/**
 * Serves a ready backup's archive (whole or one byte range, for resumed downloads) straight from
 * storage, and records who downloaded it from where. Shared by the settings page link and the API
 * (pages/api/internal/backup-download), which write it to the Node response.
 */
export async function backupDownloadReply({
  caller,
  backupId,
  rangeHeader,
  ifRangeHeader,
  ipAddress,
  now = new Date(),
}: {
  caller: Caller;
  backupId: string;
  rangeHeader?: string | null;
  ifRangeHeader?: string | null;
  ipAddress?: string | null;
  now?: Date;
}): Promise<StoredObjectReply> {
  const backup = await getBackup({ caller, backupId });
  if (backup.status === "ready" && backup.expiresAt && backup.expiresAt <= now) {
    throw new AppError("not_found", "This backup has expired: backups can be downloaded for 7 days after they are ready.");
  }
  if (backup.status !== "ready" || !backup.sha256) {
    const why = {
      in_progress: "is still being built",
      failed: "failed, so there is nothing to download",
      cancelled: "was cancelled, so there is nothing to download",
      expired: "has expired: backups can be downloaded for 7 days after they are ready",
      deleted: "was deleted",
      ready: "is not available",
    }[backup.status];
    throw new AppError("conflict", `This backup ${why}.`);
  }
  const missing = () => new AppError("not_found", "The archive of this backup is missing from storage.");
  return storedObjectReply({
    storageKey: backupArchiveKey(backup.id),
    etag: `"${backup.sha256}"`,
    rangeHeader,
    ifRangeHeader,
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Disposition": attachmentDisposition(backup.downloadName ?? `${backup.id}.zip`),
      "Content-Type": "application/zip",
    },
    missing,
    beforeServing: (byteRange) =>
      insertAuditEvent({
        organizationId: caller.organization.id,
        actorId: caller.user.id,
        action: "backup.downloaded",
        targetType: "backup",
        targetId: backup.id,
        ipAddress: ipAddress ?? undefined,
        metadata: byteRange ? { range: `${byteRange.start}-${byteRange.end}` } : {},
      }).then(() => undefined),
  });
}

/** The download a request asks for: Range, If-Range and the client's address from its headers. */
export function backupDownloadForRequest({ caller, backupId, request }: { caller: Caller; backupId: string; request: Request }) {
  return backupDownloadReply({
    caller,
    backupId,
    rangeHeader: request.headers.get("range"),
    ifRangeHeader: request.headers.get("if-range"),
    ipAddress: clientAddress(request.headers.get("x-forwarded-for")),
  });
}
