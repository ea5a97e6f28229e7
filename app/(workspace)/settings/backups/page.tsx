import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { Card, CursorPagination, EmptyState, PageHeader, buttonClass, formatBytes, formatDateTime, DataTable } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { canManageBackups } from "@/lib/backups/access";
import { listBackupsPage } from "@/lib/backups/service";
import { AppError } from "@/lib/errors";
import { settingsSections } from "../sections";
import { SettingsNav } from "../settings-nav";
import { DOWNLOADABLE_DAYS } from "./backup-options";
import { BackupStatusBadge } from "./backup-status";
import { RequestAvailabilityNotice, requestChoices } from "./request-availability";

export const metadata: Metadata = { title: "Backups" };

const searchParamsSchema = z.object({ cursor: z.string().optional().catch(undefined) });

export default async function BackupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const caller = await requireCaller();
  if (!canManageBackups(caller)) forbidden();
  const { cursor } = searchParamsSchema.parse(await searchParams);

  const [page, choices] = await Promise.all([
    listBackupsPage({ caller, cursor }).catch((error: unknown) => {
      // A hand-edited or truncated ?cursor= names no page of this list.
      if (error instanceof AppError && error.code === "invalid_input") notFound();
      throw error;
    }),
    requestChoices(caller),
  ]);

  return (
    <>
      <PageHeader
        title="Backups"
        description={`Complete, verifiable archives of ${caller.organization.name}'s data. Each one can be downloaded for ${DOWNLOADABLE_DAYS} days after it is ready.`}
        actions={
          choices.canRequest && (
            <Link href="/settings/backups/new" className={buttonClass.primary}>
              Request new backup
            </Link>
          )
        }
      />
      <SettingsNav sections={settingsSections(caller)} />

      <div className="mb-6">
        <RequestAvailabilityNotice choices={choices} />
      </div>

      <Card title={cursor ? "Older backups" : "All backups"}>
        {page.backups.length === 0 ? (
          cursor ? (
            <EmptyState title="No older backups">
              <Link href="/settings/backups" className={buttonClass.link}>
                Back to the newest backups
              </Link>
            </EmptyState>
          ) : (
            <EmptyState title="No backups yet">
              {choices.canRequest
                ? "Request one to get an archive of every folder, task, file and comment of your organization."
                : "Backups you request will be listed here."}
            </EmptyState>
          )
        ) : (
          <DataTable columns={["Name", "Status", "Created", "Size", "Requested by"]}>
                {page.backups.map((backup) => (
                  <tr key={backup.id} className="align-top">
                    <td className="max-w-xs py-3 pr-4">
                      <Link href={`/settings/backups/${backup.id}`} className={`${buttonClass.link} break-words`}>
                        {backup.name}
                      </Link>
                    </td>
                    <td className="whitespace-nowrap py-3 pr-4">
                      <BackupStatusBadge backup={backup} />
                    </td>
                    <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDateTime(backup.createdAt)}</td>
                    <td className="whitespace-nowrap py-3 pr-4 text-slate-600">
                      {backup.sizeBytes === null ? "—" : formatBytes(backup.sizeBytes)}
                    </td>
                    <td className="py-3 pr-4 text-slate-600">{backup.requester?.name ?? "A former member"}</td>
                  </tr>
                ))}
              </DataTable>
        )}
        <CursorPagination label="backups" basePath="/settings/backups" cursor={cursor} nextCursor={page.nextCursor} />
      </Card>
    </>
  );
}
