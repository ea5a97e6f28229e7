import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Alert, Card, PageHeader, buttonClass, formatBytes, formatDateTime, DetailList } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { BACKUP_CONFIG, backupStorageCost, formatPrice, formatRate } from "@/lib/backups/config";
import { getBackup } from "@/lib/backups/service";
import { AppError } from "@/lib/errors";
import { formatDuration } from "@/lib/format";
import { CSV_ENCODING_LABELS, DOWNLOADABLE_DAYS, FORMAT_LABELS } from "../backup-options";
import { BackupStatusBadge, progressPercent } from "../backup-status";
import { BackupDangerActions } from "./backup-danger-actions";
import { BackupProgress } from "./backup-progress";

export const metadata: Metadata = { title: "Backup" };

/** Members, other organizations' backups and unknown ids all get the same 404: nothing is revealed. */
async function findBackupOr404(backupId: string) {
  if (!z.uuid().safeParse(backupId).success) notFound();
  const caller = await requireCaller();
  try {
    return { caller, backup: await getBackup({ caller, backupId }) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

const yesNo = (value: boolean) => (value ? "Yes" : "No");
const count = (value: number | null) => (value === null ? "—" : value.toLocaleString("en-US"));

export default async function BackupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller, backup } = await findBackupOr404(id);
  const now = new Date();
  const inProgress = backup.status === "in_progress";
  // Between the expiry time and the scheduled cleanup the row still says "ready"; it cannot be downloaded.
  const pastExpiry = backup.status === "ready" && backup.expiresAt !== null && backup.expiresAt <= now;
  const downloadable = backup.status === "ready" && !pastExpiry;
  const { options } = backup;

  const fileCell = downloadable ? (
    <a href={`/settings/backups/${backup.id}/download`} className={buttonClass.link} download>
      Download
    </a>
  ) : (
    <span className="text-slate-500">
      {
        {
          in_progress: "Available when the backup is ready",
          ready: "No longer available: the backup has expired",
          failed: "None: the backup failed",
          cancelled: "None: the backup was cancelled",
          expired: "Deleted when the backup expired",
          deleted: "Deleted",
        }[backup.status]
      }
    </span>
  );

  const storageCost = backupStorageCost({ backup, now });
  const storageCostCell =
    backup.sizeBytes === null ? (
      <span className="text-slate-500">{inProgress ? "Billed from when the archive is ready" : "None: no archive was kept"}</span>
    ) : (
      `${formatPrice(storageCost.usd)} for ${formatDuration(storageCost.storedMs)} kept (${formatRate(BACKUP_CONFIG.price.storagePerGibMonthUsd)} per GiB per month)${
        downloadable ? ", growing while it is kept" : ""
      }`
    );

  const details: [string, React.ReactNode][] = [
    ["Name", <span key="name" className="break-words">{backup.name}</span>],
    [
      "Description",
      backup.description ? (
        <span key="description" className="whitespace-pre-line break-words">{backup.description}</span>
      ) : (
        <span key="description" className="text-slate-500">None</span>
      ),
    ],
    [
      "Status",
      <div key="status">
        <BackupStatusBadge backup={backup} />
        <BackupProgress percent={progressPercent(backup)} inProgress={inProgress} />
      </div>,
    ],
    ["Versions", count(backup.versionsCount)],
    ["Files", count(backup.filesCount)],
    ["File Size", backup.sizeBytes === null ? "—" : formatBytes(backup.sizeBytes)],
    ["File", fileCell],
    ["Date Created", formatDateTime(backup.createdAt)],
    ["Requested by", backup.requester ? `${backup.requester.name} (${backup.requester.email})` : "A former member"],
    ["Completed at", formatDateTime(backup.completedAt)],
    ["Expires at", formatDateTime(backup.expiresAt)],
    ["Storage cost", storageCostCell],
    ["SHA-256", backup.sha256 ? <code key="sha" className="break-all font-mono text-xs">{backup.sha256}</code> : "—"],
  ];
  const optionRows: [string, string][] = [
    ["Include files", yesNo(options.includeFiles)],
    ["Data formats", options.formats.map((format) => FORMAT_LABELS[format]).join(", ")],
    ["CSV encoding", CSV_ENCODING_LABELS[options.csvEncoding]],
    ["BI export", yesNo(options.includeBi)],
  ];

  return (
    <>
      <PageHeader
        title={backup.name}
        description={`Backup of ${caller.organization.name}.`}
        breadcrumbs={[
          { href: "/settings", label: "Settings" },
          { href: "/settings/backups", label: "Backups" },
        ]}
      />

      <div className="mb-6 space-y-3">
        {backup.status === "ready" && !pastExpiry && (
          <Alert tone="success">
            The archive is ready. It can be downloaded until {formatDateTime(backup.expiresAt)}, {DOWNLOADABLE_DAYS} days after it was
            completed; then it expires and is deleted.
          </Alert>
        )}
        {(backup.status === "expired" || pastExpiry) && (
          <Alert tone="info">
            This backup expired on {formatDateTime(backup.expiresAt)}. Backups can be downloaded for {DOWNLOADABLE_DAYS} days after they are
            ready; {pastExpiry ? "its archive is being deleted" : "its archive was deleted"} and it can no longer be downloaded.
          </Alert>
        )}
        {backup.status === "deleted" && (
          <Alert tone="info">
            This backup was deleted on {formatDateTime(backup.deletedAt)}; its archive was removed from storage. It stays listed for the
            history.
          </Alert>
        )}
        {(backup.status === "failed" || backup.status === "cancelled") && (
          <Alert>
            {backup.status === "failed"
              ? `This backup failed: ${backup.failureReason ?? "no reason was recorded."}`
              : (backup.failureReason ?? "This backup was cancelled.")}{" "}
            Its partial archive was removed.
          </Alert>
        )}
      </div>

      <Card title="Details">
        <DetailList rows={details} />
      </Card>

      <Card title="Options chosen">
        <DetailList rows={optionRows} />
      </Card>

      {backup.status !== "deleted" && (
        <Card title={inProgress ? "Stop this backup" : "Delete this backup"}>
          <p className="mb-3 text-sm text-slate-600">
            {inProgress
              ? "Cancelling stops the build within one batch and removes what was packed so far."
              : "Deleting removes the archive from storage at once (storage is billed while a backup is kept)."}
          </p>
          <BackupDangerActions key={inProgress ? "cancel" : "delete"} backupId={backup.id} backupName={backup.name} action={inProgress ? "cancel" : "delete"} />
        </Card>
      )}
    </>
  );
}
