import "server-only";
import { listBackupsInProgress, recordBackupFailureReason } from "@/db/queries/backups";
import { failBackup } from "@/lib/backups/build";
import { inngestServerConfigured } from "./client";
import { expireBackupsFunction } from "./functions/expire-backups";
import "./index";
import { hasRunningInlineRun, pruneFinishedInlineRuns, resumeOrphanedInlineRuns, runScheduledInline } from "./inline-runner";

const HOUR_MS = 60 * 60 * 1000;
const globalForStartup = globalThis as unknown as { archivistInlineStarted?: boolean };

/**
 * On start without an Inngest server: resume the runs a dead process left behind, fail (with a
 * reason and an email) any backup in progress that no run is building any more, and run the
 * hourly expiry on a timer. Never leaves a backup hanging in progress.
 */
export async function startInlineExecution(): Promise<void> {
  if (inngestServerConfigured() || globalForStartup.archivistInlineStarted) return;
  globalForStartup.archivistInlineStarted = true;
  await resumeOrphanedInlineRuns();
  for (const backup of await listBackupsInProgress()) {
    if (await hasRunningInlineRun({ functionId: "build-backup", dataKey: "backupId", value: backup.id })) continue;
    await recordBackupFailureReason({ id: backup.id, reason: "The build was interrupted before it could continue (the server stopped). Please request the backup again." });
    await failBackup({ backupId: backup.id });
  }
  const runHourly = () =>
    Promise.all([
      runScheduledInline(expireBackupsFunction).catch((error) => console.error("Backup expiry failed", error)),
      pruneFinishedInlineRuns().catch((error) => console.error("Pruning finished runs failed", error)),
    ]);
  await runHourly();
  setInterval(() => void runHourly(), HOUR_MS).unref();
}
