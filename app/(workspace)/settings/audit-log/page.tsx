import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { Badge, Card, CursorPagination, DataTable, EmptyState, PageHeader, buttonClass, formatBytes, formatDateTime } from "@/components/ui";
import type { BackupAuditAction } from "@/db/queries/audit-events";
import { requireCaller } from "@/lib/auth/caller";
import { canManageBackups } from "@/lib/backups/access";
import { listBackupAuditLogPage, type BackupAuditEntry } from "@/lib/backups/audit-log";
import { AppError } from "@/lib/errors";
import { settingsSections } from "../sections";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Audit log" };

const searchParamsSchema = z.object({ cursor: z.string().optional().catch(undefined) });

const EVENTS = {
  "backup.requested": { label: "Requested", tone: "blue" },
  "backup.ready": { label: "Ready", tone: "green" },
  "backup.failed": { label: "Failed", tone: "red" },
  "backup.cancelled": { label: "Cancelled", tone: "yellow" },
  "backup.downloaded": { label: "Downloaded", tone: "blue" },
  "backup.deleted": { label: "Deleted", tone: "gray" },
  "backup.expired": { label: "Expired", tone: "gray" },
} as const satisfies Record<BackupAuditAction, { label: string; tone: string }>;

/** What the metadata adds in plain words: a failure's reason, a ready archive's size, a resumed download's range. */
function eventDetails(event: BackupAuditEntry): string {
  const metadata = event.metadata;
  if (event.action === "backup.failed" && typeof metadata.reason === "string") return metadata.reason;
  if (event.action === "backup.ready" && typeof metadata.sizeBytes === "number") {
    return `${formatBytes(metadata.sizeBytes)}, ${String(metadata.versions ?? 0)} versions of ${String(metadata.files ?? 0)} files`;
  }
  if (event.action === "backup.downloaded") return typeof metadata.range === "string" ? `Bytes ${metadata.range}` : "Whole archive";
  return "";
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const caller = await requireCaller();
  if (!canManageBackups(caller)) forbidden();
  const { cursor } = searchParamsSchema.parse(await searchParams);
  const page = await listBackupAuditLogPage({ caller, cursor }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_input") notFound();
    throw error;
  });

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Every backup of ${caller.organization.name}: who requested, downloaded, cancelled or deleted it, from which address, and when it was ready, failed or expired. Newest first.`}
      />
      <SettingsNav sections={settingsSections(caller)} />

      <Card title={cursor ? "Older events" : "Backup events"}>
        {page.events.length === 0 ? (
          <EmptyState title={cursor ? "No older events" : "Nothing recorded yet"}>
            {cursor ? (
              <Link href="/settings/audit-log" className={buttonClass.link}>
                Back to the newest events
              </Link>
            ) : (
              "Requests, downloads and deletions of backups will be listed here."
            )}
          </EmptyState>
        ) : (
          <DataTable columns={["When", "Event", "Backup", "By", "Address", "Details"]}>
            {page.events.map((event) => (
              <tr key={event.id} className="align-top">
                <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDateTime(event.createdAt)}</td>
                <td className="whitespace-nowrap py-3 pr-4">
                  <Badge tone={EVENTS[event.action].tone}>{EVENTS[event.action].label}</Badge>
                </td>
                <td className="max-w-xs py-3 pr-4">
                  {event.backupName ? (
                    <Link href={`/settings/backups/${event.backupId}`} className={`${buttonClass.link} break-words`}>
                      {event.backupName}
                    </Link>
                  ) : (
                    <span className="text-slate-500">A removed backup</span>
                  )}
                </td>
                <td className="py-3 pr-4 text-slate-600">
                  {event.actorName ? (
                    <span title={event.actorEmail ?? undefined}>{event.actorName}</span>
                  ) : (
                    <span className="text-slate-500">Archivist (automatic)</span>
                  )}
                </td>
                <td className="whitespace-nowrap py-3 pr-4 font-mono text-xs text-slate-600">{event.ipAddress ?? "—"}</td>
                <td className="max-w-sm py-3 pr-4 break-words text-slate-600">{eventDetails(event)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <CursorPagination label="events" basePath="/settings/audit-log" cursor={cursor} nextCursor={page.nextCursor} />
      </Card>
    </>
  );
}
