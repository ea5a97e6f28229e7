import type { Metadata } from "next";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { listTrash, purgeExpiredTrash, TRASH_RETENTION_DAYS } from "@/lib/workspace/trash";
import { viewerOf } from "@/lib/workspace/visibility";
import { TrashTable } from "./trash-table";

export const metadata: Metadata = { title: "Trash" };

export default async function TrashPage() {
  const caller = await requireCaller();
  // The scheduled purge is the main mechanism; this keeps the trash tidy even if it has not run yet.
  // The list below leaves expired items out anyway, so a failed purge must not break the page.
  await purgeExpiredTrash().catch((error: unknown) => console.error("Purging expired trash failed", error));
  const items = await listTrash({ viewer: viewerOf(caller) });
  return (
    <>
      <PageHeader
        title="Trash"
        description={`Deleted folders, tasks, files and comments stay here for ${TRASH_RETENTION_DAYS} days, then they are removed for good. Items in the trash are never included in a backup.`}
      />
      <Card title={items.length > 0 ? `${items.length} ${items.length === 1 ? "item" : "items"}` : undefined}>
        {items.length === 0 ? (
          <EmptyState title="The trash is empty">Things you delete will appear here for {TRASH_RETENTION_DAYS} days.</EmptyState>
        ) : (
          <TrashTable items={items} />
        )}
      </Card>
    </>
  );
}
