import { formatBytes, formatDateTime } from "@/lib/format";
import type { RenderedEmail } from "./layout";
import { noticeEmail } from "./notice";

export type BackupReadyEmailProps = {
  organizationName: string;
  backupName: string;
  sizeBytes: number;
  versionsCount: number;
  filesCount: number;
  expiresAt: Date;
  /** The backup's detail page, where it is downloaded (after signing in). */
  link: string;
};

/** To the requester when the build has finished (SPEC §3 "Email"). */
export function backupReadyEmail({
  organizationName,
  backupName,
  sizeBytes,
  versionsCount,
  filesCount,
  expiresAt,
  link,
}: BackupReadyEmailProps): RenderedEmail {
  return noticeEmail({
    organizationName,
    subject: `Your ${organizationName} backup is ready`,
    heading: "Your backup is ready",
    paragraphs: [
      `The backup “${backupName}” of ${organizationName} has finished and can be downloaded from its page until ${formatDateTime(expiresAt)}.`,
      "After that date the archive is deleted automatically. You can also delete it sooner from the same page.",
    ],
    details: [
      ["Backup", backupName],
      ["Size", formatBytes(sizeBytes)],
      ["Files", filesCount.toLocaleString("en-US")],
      ["Versions", versionsCount.toLocaleString("en-US")],
      ["Available until", formatDateTime(expiresAt)],
    ],
    action: { label: "Open the backup", url: link },
  });
}
