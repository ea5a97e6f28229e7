import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { CommentThread } from "@/components/comment-thread";
import { Badge, Card, EmptyState, PageHeader, formatDate, formatDateTime } from "@/components/ui";
import { listAttachedFiles } from "@/db/queries/attached-files";
import { listCommentThread } from "@/db/queries/comments";
import { findVisibleFolder, listFolderAncestors, listFolderShares, listVisibleSubfolders } from "@/db/queries/folders";
import { listMembers } from "@/db/queries/memberships";
import { listFolderTasks } from "@/db/queries/tasks";
import { requireCaller, type Caller } from "@/lib/auth/caller";
import { canTrashItem } from "@/lib/workspace/folders";
import { viewerOf } from "@/lib/workspace/visibility";
import { CreateTaskForm } from "../../tasks/task-forms";
import { TaskTable } from "../../tasks/task-table";
import { AttachedFilesCard } from "../attached-files";
import { Detail } from "../detail";
import { FolderBadges } from "../folder-badges";
import { CreateFolderForm } from "../folder-forms";
import { trashFolderAction } from "../actions";
import { MoveToTrashButton } from "@/components/move-to-trash-button";
import { createFolderTaskAction } from "./actions";

type Props = { params: Promise<{ id: string }> };

/** Cached per request: the metadata and the page both need it. */
const loadFolder = cache(async (caller: Caller, id: string) => {
  if (!z.uuid().safeParse(id).success) notFound();
  const found = await findVisibleFolder({ viewer: viewerOf(caller), id });
  if (!found) notFound();
  return found;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const { folder } = await loadFolder(await requireCaller(), id);
  return { title: folder.title };
}

export default async function FolderPage({ params }: Props) {
  const { id } = await params;
  const caller = await requireCaller();
  const viewer = viewerOf(caller);
  const { folder, authorName } = await loadFolder(caller, id);
  const [ancestors, shares, subfolders, tasks, files, comments, members] = await Promise.all([
    listFolderAncestors({ organizationId: viewer.organizationId, folderId: folder.id }),
    folder.visibility === "private" ? listFolderShares({ folderId: folder.id }) : Promise.resolve([]),
    listVisibleSubfolders({ viewer, folderId: folder.id }),
    listFolderTasks({ viewer, folderId: folder.id }),
    listAttachedFiles({ viewer, parent: { type: "folder", id: folder.id } }),
    listCommentThread({ organizationId: viewer.organizationId, target: { type: "folder", id: folder.id } }),
    listMembers({ organizationId: viewer.organizationId }),
  ]);

  return (
    <>
      <PageHeader
        title={folder.title}
        breadcrumbs={[{ href: "/folders", label: "Folders" }, ...ancestors.map((a) => ({ href: `/folders/${a.id}`, label: a.title }))]}
        description={<FolderBadges folder={folder} />}
        actions={canTrashItem(viewer, folder) ? <MoveToTrashButton action={trashFolderAction} fields={{ folderId: folder.id }} confirmation="Move this folder and everything in it to the trash? It can be restored for 30 days." /> : undefined}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <Card title="About">
            {folder.description ? (
              <p className="whitespace-pre-wrap break-words text-sm text-slate-700">{folder.description}</p>
            ) : (
              <p className="text-sm text-slate-500">No description.</p>
            )}
            <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
              <Detail label="Author">{authorName ?? "Former member"}</Detail>
              <Detail label="Created">{formatDateTime(folder.createdAt)}</Detail>
              <Detail label="Visibility">
                {folder.visibility === "private"
                  ? "Private: only the people below and owners"
                  : folder.parentId
                    ? "Everyone who can see the parent folder"
                    : "Everyone in the organization"}
              </Detail>
              {folder.isProject && (
                <>
                  <Detail label="Project status">{folder.projectStatus ?? "—"}</Detail>
                  <Detail label="Start date">{formatDate(folder.startDate)}</Detail>
                  <Detail label="End date">{formatDate(folder.endDate)}</Detail>
                </>
              )}
            </dl>
            {folder.visibility === "private" && (
              <div className="mt-4">
                <h3 className="text-sm font-medium text-slate-800">Shared with</h3>
                {shares.length === 0 ? (
                  <p className="text-sm text-slate-500">Nobody yet: only owners can see it.</p>
                ) : (
                  <ul className="mt-1 flex flex-wrap gap-2">
                    {shares.map((user) => (
                      <li key={user.id}>
                        <Badge>
                          {user.name} · {user.email}
                        </Badge>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </Card>

          <Card title={`Subfolders (${subfolders.length})`}>
            {subfolders.length === 0 ? (
              <EmptyState title="No subfolders">Create one with the form on this page.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {subfolders.map((child) => (
                  <li key={child.id} className="flex flex-wrap items-center gap-2 py-2">
                    <Link href={`/folders/${child.id}`} className="text-sm font-medium text-indigo-700 hover:underline">
                      {child.title}
                    </Link>
                    <FolderBadges folder={child} />
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title={`Tasks (${tasks.length})`}>
            <TaskTable tasks={tasks} emptyTitle="No tasks in this folder" emptyHint="Create one with the form on this page." />
          </Card>

          <AttachedFilesCard parent={{ type: "folder", id: folder.id }} files={files} />

          <CommentThread target={{ type: "folder", id: folder.id }} comments={comments} />
        </div>

        <div className="min-w-0">
          <Card title="New task">
            <CreateTaskForm action={createFolderTaskAction} parent={{ folderId: folder.id }} submitLabel="Create task" />
          </Card>
          <Card title="New subfolder">
            <CreateFolderForm parentId={folder.id} members={members} currentUserId={caller.user.id} />
          </Card>
        </div>
      </div>
    </>
  );
}
