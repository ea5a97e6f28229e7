import type { RenderedEmail } from "./layout";
import { noticeEmail } from "./notice";

export type BackupFailedEmailProps = {
  organizationName: string;
  backupName: string;
  /** Human-readable, as stored on the backup; never a stack trace. */
  reason: string;
  /** The backup's detail page. */
  link: string;
};

/** To the requester when the build gave up after its retries (SPEC §3 "Build"). */
export function backupFailedEmail({ organizationName, backupName, reason, link }: BackupFailedEmailProps): RenderedEmail {
  return noticeEmail({
    organizationName,
    subject: `Your ${organizationName} backup failed`,
    heading: "Your backup could not be completed",
    paragraphs: [
      `The backup “${backupName}” of ${organizationName} could not be completed, and its partial archive was removed.`,
      "You can request a new backup from the Backups settings page; a failed backup does not start the waiting time between backups.",
    ],
    details: [
      ["Backup", backupName],
      ["Reason", reason],
    ],
    action: { label: "Open the backup", url: link },
  });
}
