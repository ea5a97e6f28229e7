import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { CommentThread } from "@/components/comment-thread";
import { Badge, Card, EmptyState, PageHeader, formatDate, formatDateTime, DataTable } from "@/components/ui";
import { listAttachedFiles } from "@/db/queries/attached-files";
import { listCommentThread } from "@/db/queries/comments";
import { listFolderAncestors } from "@/db/queries/folders";
import { findVisibleTask, listTaskAssignees, listTaskFolders, listTimeLogs, listVisibleSubtasks } from "@/db/queries/tasks";
import { requireCaller, type Caller } from "@/lib/auth/caller";
import { canTrashItem } from "@/lib/workspace/folders";
import { richTextToPlainText, parseRichText } from "@/lib/workspace/rich-text";
import { totalHours } from "@/lib/workspace/tasks";
import { viewerOf } from "@/lib/workspace/visibility";
import { AttachedFilesCard } from "../../folders/attached-files";
import { Detail } from "../../folders/detail";
import { RichText } from "../rich-text";
import { CreateTaskForm, LogTimeForm } from "../task-forms";
import { MoveToTrashButton } from "@/components/move-to-trash-button";
import { ImportanceBadge, TaskStatusBadge, TaskTable } from "../task-table";
import { createSubtaskAction, logTimeAction, trashTaskAction } from "./actions";

type Props = { params: Promise<{ id: string }> };

/** Cached per request: the metadata and the page both need it. */
const loadTask = cache(async (caller: Caller, id: string) => {
  if (!z.uuid().safeParse(id).success) notFound();
  const found = await findVisibleTask({ viewer: viewerOf(caller), id });
  if (!found) notFound();
  return found;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const { task } = await loadTask(await requireCaller(), id);
  return { title: task.title };
}

const hoursFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export default async function TaskPage({ params }: Props) {
  const { id } = await params;
  const caller = await requireCaller();
  const viewer = viewerOf(caller);
  const { task, authorName } = await loadTask(caller, id);
  const [parent, folders, subtasks, assignees, timeLogs, files, comments] = await Promise.all([
    task.parentTaskId ? findVisibleTask({ viewer, id: task.parentTaskId }) : Promise.resolve(undefined),
    listTaskFolders({ viewer, taskId: task.id }),
    listVisibleSubtasks({ viewer, taskId: task.id }),
    listTaskAssignees({ taskIds: [task.id] }),
    listTimeLogs({ taskId: task.id }),
    listAttachedFiles({ viewer, parent: { type: "task", id: task.id } }),
    listCommentThread({ organizationId: viewer.organizationId, target: { type: "task", id: task.id } }),
  ]);
  const taskAssignees = assignees.get(task.id) ?? [];
  const firstFolder = folders[0];
  const folderPath = firstFolder
    ? [...(await listFolderAncestors({ organizationId: viewer.organizationId, folderId: firstFolder.id })), firstFolder]
    : [];
  const breadcrumbs = [
    { href: "/folders", label: "Folders" },
    ...folderPath.map((folder) => ({ href: `/folders/${folder.id}`, label: folder.title })),
    ...(parent ? [{ href: `/tasks/${parent.task.id}`, label: parent.task.title }] : []),
  ];
  const hasDescription = richTextToPlainText(parseRichText(task.descriptionHtml)).trim() !== "";

  return (
    <>
      <PageHeader
        title={task.title}
        breadcrumbs={breadcrumbs}
        description={
          <span className="inline-flex flex-wrap items-center gap-1.5">
            <TaskStatusBadge status={task.status} />
            <ImportanceBadge importance={task.importance} />
            {parent && <span className="text-slate-500">Subtask</span>}
          </span>
        }
        actions={canTrashItem(viewer, task) ? <MoveToTrashButton action={trashTaskAction} fields={{ taskId: task.id }} confirmation="Move this task and its subtasks to the trash? It can be restored for 30 days." /> : undefined}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <Card title="Description">
            {hasDescription ? <RichText html={task.descriptionHtml} /> : <p className="text-sm text-slate-500">No description.</p>}
          </Card>

          <Card title={`Subtasks (${subtasks.length})`}>
            <TaskTable tasks={subtasks} emptyTitle="No subtasks" emptyHint="Add one with the form on this page." />
          </Card>

          <Card title="Time logged" actions={<span className="text-sm font-semibold text-slate-900">{hoursFormat.format(totalHours(timeLogs))} h total</span>}>
            {timeLogs.length === 0 ? (
              <EmptyState title="No time logged yet">Log time with the form on this page.</EmptyState>
            ) : (
              <DataTable columns={["Date", "Person", { label: "Hours", alignRight: true }, "Comment"]}>
                    {timeLogs.map((log) => (
                      <tr key={log.id}>
                        <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{formatDate(log.loggedOn)}</td>
                        <td className="py-2 pr-4 text-slate-700">{log.userName ?? "Former member"}</td>
                        <td className="py-2 pr-4 text-right tabular-nums text-slate-900">{hoursFormat.format(Number(log.hours))}</td>
                        <td className="py-2 text-slate-600">{log.comment || "—"}</td>
                      </tr>
                    ))}
                  </DataTable>
            )}
          </Card>

          <AttachedFilesCard parent={{ type: "task", id: task.id }} files={files} />

          <CommentThread target={{ type: "task", id: task.id }} comments={comments} />
        </div>

        <div className="min-w-0">
          <Card title="Details">
            <dl className="space-y-3 text-sm">
              <Detail label="Author">{authorName ?? "Former member"}</Detail>
              <Detail label="Created">{formatDateTime(task.createdAt)}</Detail>
              <Detail label="Updated">{formatDateTime(task.updatedAt)}</Detail>
              <Detail label="Assignees">
                {taskAssignees.length === 0 ? <span className="text-slate-500">Unassigned</span> : taskAssignees.map((user) => user.name).join(", ")}
              </Detail>
              {parent && (
                <Detail label="Parent task">
                  <Link href={`/tasks/${parent.task.id}`} className="text-indigo-700 hover:underline">
                    {parent.task.title}
                  </Link>
                </Detail>
              )}
              <Detail label="Folders">
                {folders.length === 0 ? (
                  <span className="text-slate-500">{parent ? "Inherited from the parent task" : "Not in any folder"}</span>
                ) : (
                  <ul className="flex flex-wrap gap-2">
                    {folders.map((folder) => (
                      <li key={folder.id}>
                        <Link href={`/folders/${folder.id}`} className="text-indigo-700 hover:underline">
                          {folder.title}
                        </Link>
                        {folder.isProject && (
                          <span className="ml-1">
                            <Badge tone="blue">Project</Badge>
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </Detail>
            </dl>
          </Card>
          <Card title="Log time">
            <LogTimeForm action={logTimeAction} taskId={task.id} today={new Date().toISOString().slice(0, 10)} />
          </Card>
          <Card title="New subtask">
            <CreateTaskForm action={createSubtaskAction} parent={{ parentTaskId: task.id }} submitLabel="Create subtask" />
          </Card>
        </div>
      </div>
    </>
  );
}
