import { Badge } from "@/components/ui";
import type { Backup, BackupStatus } from "@/db/schema";

export const BACKUP_STATUS_LABELS = {
  in_progress: "In progress",
  ready: "Ready",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired",
  deleted: "Deleted",
} as const satisfies Record<BackupStatus, string>;

const STATUS_TONES = {
  in_progress: "blue",
  ready: "green",
  failed: "red",
  cancelled: "yellow",
  expired: "gray",
  deleted: "gray",
} as const satisfies Record<BackupStatus, string>;

/** Whole percent done; never 100 before the build has actually finished. */
export function progressPercent({ progressDone, progressTotal }: Pick<Backup, "progressDone" | "progressTotal">): number {
  if (progressTotal <= 0) return 0;
  return Math.min(99, Math.floor((progressDone / progressTotal) * 100));
}

export function BackupStatusBadge({ backup }: { backup: Pick<Backup, "status" | "progressDone" | "progressTotal"> }) {
  return (
    <Badge tone={STATUS_TONES[backup.status]}>
      {BACKUP_STATUS_LABELS[backup.status]}
      {backup.status === "in_progress" && ` · ${progressPercent(backup)}%`}
    </Badge>
  );
}
