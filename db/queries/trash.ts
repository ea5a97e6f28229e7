import "server-only";
import { and, desc, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "@/db/connection";
import { comments, fileVersions, files, folders, taskFolders, tasks } from "@/db/schema";
import { visibleCommentIdsSql, visibleFileIdsSql, visibleFolderIdsSql, visibleTaskIdsSql, type Viewer } from "@/lib/workspace/visibility";

/** The trash lists what a viewer could see if it were restored. */
const INCLUDING_TRASH = { includeTrash: true };

export const TRASH_ITEM_TYPES = ["folder", "task", "file", "comment"] as const;
export type TrashItemType = (typeof TRASH_ITEM_TYPES)[number];

const parentFolders = alias(folders, "parent_folder");
const parentTasks = alias(tasks, "parent_task");

type TrashListQuery = { viewer: Viewer; deletedSince: Date; executor?: Executor };

export async function listTrashedFolders({ viewer, deletedSince, executor = db }: TrashListQuery) {
  return executor
    .select({
      id: folders.id,
      title: folders.title,
      isProject: folders.isProject,
      authorId: folders.authorId,
      deletedAt: folders.deletedAt,
      parentTitle: parentFolders.title,
    })
    .from(folders)
    .leftJoin(parentFolders, eq(parentFolders.id, folders.parentId))
    .where(
      and(
        eq(folders.organizationId, viewer.organizationId),
        isNotNull(folders.deletedAt),
        gte(folders.deletedAt, deletedSince),
        sql`${folders.id} in ${visibleFolderIdsSql(viewer, INCLUDING_TRASH)}`,
      ),
    )
    .orderBy(desc(folders.deletedAt));
}

export async function listTrashedTasks({ viewer, deletedSince, executor = db }: TrashListQuery) {
  return executor
    .select({
      id: tasks.id,
      title: tasks.title,
      authorId: tasks.authorId,
      deletedAt: tasks.deletedAt,
      parentTaskTitle: parentTasks.title,
      folderTitles: sql<string | null>`(
        select string_agg(f.title, ', ' order by f.title) from task_folders tf join folders f on f.id = tf.folder_id
        where tf.task_id = ${tasks.id} and f.id in ${visibleFolderIdsSql(viewer, INCLUDING_TRASH)})`,
    })
    .from(tasks)
    .leftJoin(parentTasks, eq(parentTasks.id, tasks.parentTaskId))
    .where(
      and(
        eq(tasks.organizationId, viewer.organizationId),
        isNotNull(tasks.deletedAt),
        gte(tasks.deletedAt, deletedSince),
        sql`${tasks.id} in ${visibleTaskIdsSql(viewer, INCLUDING_TRASH)}`,
      ),
    )
    .orderBy(desc(tasks.deletedAt));
}

export async function listTrashedFiles({ viewer, deletedSince, executor = db }: TrashListQuery) {
  return executor
    .select({
      id: files.id,
      name: files.name,
      authorId: files.createdBy,
      deletedAt: files.deletedAt,
      folderTitle: folders.title,
      taskTitle: tasks.title,
    })
    .from(files)
    .leftJoin(folders, eq(folders.id, files.folderId))
    .leftJoin(tasks, eq(tasks.id, files.taskId))
    .where(
      and(
        eq(files.organizationId, viewer.organizationId),
        isNotNull(files.deletedAt),
        gte(files.deletedAt, deletedSince),
        sql`${files.id} in ${visibleFileIdsSql(viewer, INCLUDING_TRASH)}`,
      ),
    )
    .orderBy(desc(files.deletedAt));
}

export async function listTrashedComments({ viewer, deletedSince, executor = db }: TrashListQuery) {
  return executor
    .select({
      id: comments.id,
      body: comments.body,
      authorId: comments.authorId,
      deletedAt: comments.deletedAt,
      taskTitle: tasks.title,
      folderTitle: folders.title,
      fileName: files.name,
      fileVersion: fileVersions.version,
    })
    .from(comments)
    .leftJoin(tasks, eq(tasks.id, comments.taskId))
    .leftJoin(folders, eq(folders.id, comments.folderId))
    .leftJoin(fileVersions, eq(fileVersions.id, comments.fileVersionId))
    .leftJoin(files, eq(files.id, fileVersions.fileId))
    .where(
      and(
        eq(comments.organizationId, viewer.organizationId),
        isNotNull(comments.deletedAt),
        gte(comments.deletedAt, deletedSince),
        sql`${comments.id} in ${visibleCommentIdsSql(viewer, INCLUDING_TRASH)}`,
      ),
    )
    .orderBy(desc(comments.deletedAt));
}

export type TrashedItemRecord = {
  type: TrashItemType;
  id: string;
  title: string;
  authorId: string | null;
  deletedAt: Date;
};

/** One trashed item of the viewer's organization that the viewer could see if it were restored. */
export async function findTrashedItem({
  viewer,
  type,
  id,
  deletedSince,
  executor = db,
}: {
  viewer: Viewer;
  type: TrashItemType;
  id: string;
  deletedSince: Date;
  executor?: Executor;
}): Promise<TrashedItemRecord | undefined> {
  const lookups: Record<TrashItemType, () => Promise<{ title: string; authorId: string | null; deletedAt: Date | null }[]>> = {
    folder: () =>
      executor
        .select({ title: folders.title, authorId: folders.authorId, deletedAt: folders.deletedAt })
        .from(folders)
        .where(and(eq(folders.id, id), eq(folders.organizationId, viewer.organizationId), sql`${folders.id} in ${visibleFolderIdsSql(viewer, INCLUDING_TRASH)}`)),
    task: () =>
      executor
        .select({ title: tasks.title, authorId: tasks.authorId, deletedAt: tasks.deletedAt })
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.organizationId, viewer.organizationId), sql`${tasks.id} in ${visibleTaskIdsSql(viewer, INCLUDING_TRASH)}`)),
    file: () =>
      executor
        .select({ title: files.name, authorId: files.createdBy, deletedAt: files.deletedAt })
        .from(files)
        .where(and(eq(files.id, id), eq(files.organizationId, viewer.organizationId), sql`${files.id} in ${visibleFileIdsSql(viewer, INCLUDING_TRASH)}`)),
    comment: () =>
      executor
        .select({ title: comments.body, authorId: comments.authorId, deletedAt: comments.deletedAt })
        .from(comments)
        .where(
          and(eq(comments.id, id), eq(comments.organizationId, viewer.organizationId), sql`${comments.id} in ${visibleCommentIdsSql(viewer, INCLUDING_TRASH)}`),
        ),
  };
  const [row] = await lookups[type]();
  if (!row?.deletedAt || row.deletedAt < deletedSince) return undefined;
  return { type, id, title: row.title, authorId: row.authorId, deletedAt: row.deletedAt };
}

/** Takes the item out of the trash; false when it was no longer there (restored or purged meanwhile). */
export async function clearDeletedAt({
  type,
  id,
  organizationId,
  executor = db,
}: {
  type: TrashItemType;
  id: string;
  organizationId: string;
  executor?: Executor;
}): Promise<boolean> {
  const restore = {
    folder: () =>
      executor
        .update(folders)
        .set({ deletedAt: null, updatedAt: new Date() })
        .where(and(eq(folders.id, id), eq(folders.organizationId, organizationId), isNotNull(folders.deletedAt)))
        .returning({ id: folders.id }),
    task: () =>
      executor
        .update(tasks)
        .set({ deletedAt: null, updatedAt: new Date() })
        .where(and(eq(tasks.id, id), eq(tasks.organizationId, organizationId), isNotNull(tasks.deletedAt)))
        .returning({ id: tasks.id }),
    file: () =>
      executor
        .update(files)
        .set({ deletedAt: null })
        .where(and(eq(files.id, id), eq(files.organizationId, organizationId), isNotNull(files.deletedAt)))
        .returning({ id: files.id }),
    comment: () =>
      executor
        .update(comments)
        .set({ deletedAt: null })
        .where(and(eq(comments.id, id), eq(comments.organizationId, organizationId), isNotNull(comments.deletedAt)))
        .returning({ id: comments.id }),
  } satisfies Record<TrashItemType, () => Promise<{ id: string }[]>>;
  const rows = await restore[type]();
  return rows.length > 0;
}

/** Whether the item shows in the workspace under the live visibility rules (trash excluded). */
export async function isVisibleInWorkspace({
  viewer,
  type,
  id,
  executor = db,
}: {
  viewer: Viewer;
  type: TrashItemType;
  id: string;
  executor?: Executor;
}): Promise<boolean> {
  const visibleIds: Record<TrashItemType, { table: typeof folders | typeof tasks | typeof files | typeof comments; ids: SQL }> = {
    folder: { table: folders, ids: visibleFolderIdsSql(viewer) },
    task: { table: tasks, ids: visibleTaskIdsSql(viewer) },
    file: { table: files, ids: visibleFileIdsSql(viewer) },
    comment: { table: comments, ids: visibleCommentIdsSql(viewer) },
  };
  const { table, ids } = visibleIds[type];
  const rows = await executor
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, id), sql`${table.id} in ${ids}`));
  return rows.length > 0;
}

export type TrashedContainer = { type: "folder" | "task" | "file" | "comment"; title: string };

/** The folder itself or its nearest ancestor that is in the trash. */
export async function findTrashedFolderInChain({ folderId, executor = db }: { folderId: string; executor?: Executor }) {
  const chain = await executor
    .select({ id: folders.id, parentId: folders.parentId, title: folders.title, deletedAt: folders.deletedAt })
    .from(folders)
    .where(
      sql`${folders.id} in (
        with recursive up as (
          select id, parent_id from folders where id = ${folderId}
          union
          select f.id, f.parent_id from folders f join up on f.id = up.parent_id
        )
        select id from up
      )`,
    );
  return nearestTrashed(chain, folderId);
}

/** The task itself or its nearest ancestor task that is in the trash. */
export async function findTrashedTaskInChain({ taskId, executor = db }: { taskId: string; executor?: Executor }) {
  const chain = await executor
    .select({ id: tasks.id, parentId: tasks.parentTaskId, title: tasks.title, deletedAt: tasks.deletedAt })
    .from(tasks)
    .where(
      sql`${tasks.id} in (
        with recursive up as (
          select id, parent_task_id from tasks where id = ${taskId}
          union
          select t.id, t.parent_task_id from tasks t join up on t.id = up.parent_task_id
        )
        select id from up
      )`,
    );
  return nearestTrashed(chain, taskId);
}

function nearestTrashed(chain: { id: string; parentId: string | null; title: string; deletedAt: Date | null }[], startId: string) {
  const byId = new Map(chain.map((row) => [row.id, row]));
  for (let row = byId.get(startId); row; row = row.parentId ? byId.get(row.parentId) : undefined) {
    if (row.deletedAt) return { id: row.id, title: row.title };
  }
  return undefined;
}

export async function listTaskFolderIds({ taskId, executor = db }: { taskId: string; executor?: Executor }) {
  const rows = await executor.select({ folderId: taskFolders.folderId }).from(taskFolders).where(eq(taskFolders.taskId, taskId));
  return rows.map((row) => row.folderId);
}

export async function findTaskPlacement({ id, executor = db }: { id: string; executor?: Executor }) {
  const [row] = await executor.select({ parentTaskId: tasks.parentTaskId }).from(tasks).where(eq(tasks.id, id));
  return row;
}

export async function findFolderPlacement({ id, executor = db }: { id: string; executor?: Executor }) {
  const [row] = await executor.select({ parentId: folders.parentId }).from(folders).where(eq(folders.id, id));
  return row;
}

export async function findFilePlacement({ id, executor = db }: { id: string; executor?: Executor }) {
  const [row] = await executor
    .select({ name: files.name, deletedAt: files.deletedAt, folderId: files.folderId, taskId: files.taskId })
    .from(files)
    .where(eq(files.id, id));
  return row;
}

export async function findCommentPlacement({ id, executor = db }: { id: string; executor?: Executor }) {
  const [row] = await executor
    .select({
      taskId: comments.taskId,
      folderId: comments.folderId,
      fileId: fileVersions.fileId,
      parentBody: sql<string | null>`(select p.body from comments p where p.id = ${comments.parentId} and p.deleted_at is not null)`,
    })
    .from(comments)
    .leftJoin(fileVersions, eq(fileVersions.id, comments.fileVersionId))
    .where(eq(comments.id, id));
  return row;
}

// Purging: rows whose deletedAt is before the cutoff go, and with them everything the database
// cascade removes. Tasks that live only in purged folders go too: deleting the folder would
// otherwise just drop the link and bring them back as organization-wide tasks.

/**
 * The rows a purge removes, as CTEs: folders trashed before the cutoff with all their descendants,
 * and tasks trashed before it, or linked only to those folders, with all their subtasks. Written
 * as one WITH list (not nested subqueries) so the planner computes each set once.
 */
function expiredTrashCtes(cutoff: Date): SQL {
  const before = sql`${cutoff.toISOString()}::timestamptz`;
  return sql`with recursive doomed_folders as (
      select id from folders where deleted_at < ${before}
      union
      select c.id from folders c join doomed_folders d on c.parent_id = d.id
    ), doomed_tasks as (
      (
        select t.id from tasks t where t.deleted_at < ${before}
        union
        select tf.task_id from task_folders tf left join doomed_folders d on d.id = tf.folder_id
        group by tf.task_id having bool_and(d.id is not null)
      )
      union
      select c.id from tasks c join doomed_tasks d on c.parent_task_id = d.id
    )`;
}

function expiredFileIdsSql(cutoff: Date): SQL {
  return sql`(
    ${expiredTrashCtes(cutoff)}
    select f.id from files f
    where f.deleted_at < ${cutoff.toISOString()}::timestamptz
      or f.folder_id in (select id from doomed_folders)
      or f.task_id in (select id from doomed_tasks)
  )`;
}

function expiredTaskIdsSql(cutoff: Date): SQL {
  return sql`(${expiredTrashCtes(cutoff)} select id from doomed_tasks)`;
}

/** A cheap check so that loading the trash page does not open a transaction when nothing expired. */
export async function hasExpiredTrash({ cutoff, executor = db }: { cutoff: Date; executor?: Executor }) {
  const expiredIn = (table: typeof folders | typeof tasks | typeof files | typeof comments) =>
    executor.select({ id: table.id }).from(table).where(lt(table.deletedAt, cutoff)).limit(1);
  const found = await Promise.all([expiredIn(folders), expiredIn(tasks), expiredIn(files), expiredIn(comments)]);
  return found.some((rows) => rows.length > 0);
}

/**
 * Locks the expired rows so a restore running at the same moment either finishes first (and the
 * row is no longer expired) or waits and then finds nothing to restore — never half of each.
 */
export async function lockExpiredTrash({ cutoff, executor }: { cutoff: Date; executor: Executor }) {
  await executor.select({ id: folders.id }).from(folders).where(lt(folders.deletedAt, cutoff)).for("update");
  await executor.select({ id: tasks.id }).from(tasks).where(lt(tasks.deletedAt, cutoff)).for("update");
  await executor.select({ id: files.id }).from(files).where(lt(files.deletedAt, cutoff)).for("update");
  await executor.select({ id: comments.id }).from(comments).where(lt(comments.deletedAt, cutoff)).for("update");
}

export async function listExpiredVersionStorageKeys({ cutoff, executor = db }: { cutoff: Date; executor?: Executor }) {
  const rows = await executor
    .select({ storageKey: fileVersions.storageKey })
    .from(fileVersions)
    .where(sql`${fileVersions.fileId} in ${expiredFileIdsSql(cutoff)}`);
  return rows.map((row) => row.storageKey);
}

export async function deleteExpiredTrash({ cutoff, executor = db }: { cutoff: Date; executor?: Executor }) {
  // Tasks first: which tasks live only in purged folders is known only while the folder links exist.
  const deletedTasks = await executor
    .delete(tasks)
    .where(sql`${tasks.id} in ${expiredTaskIdsSql(cutoff)}`)
    .returning({ id: tasks.id });
  const deletedFolders = await executor.delete(folders).where(lt(folders.deletedAt, cutoff)).returning({ id: folders.id });
  const deletedFiles = await executor.delete(files).where(lt(files.deletedAt, cutoff)).returning({ id: files.id });
  const deletedComments = await executor.delete(comments).where(lt(comments.deletedAt, cutoff)).returning({ id: comments.id });
  return {
    folders: deletedFolders.length,
    tasks: deletedTasks.length,
    files: deletedFiles.length,
    comments: deletedComments.length,
  };
}
