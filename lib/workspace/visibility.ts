import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { files, folders, tasks, type Role } from "@/db/schema";

export type Viewer = { organizationId: string; userId: string; role: Role };

/**
 * Ids of the folders a viewer may see: not in the trash (nor under a trashed folder), and for every
 * private folder on the way down from the root, shared with the viewer — owners see every folder.
 * The same rule serves the workspace pages and the backup export, so they can never disagree.
 */
export function visibleFolderIdsSql({ organizationId, userId, role }: Viewer): SQL {
  const seesEverything = role === "owner";
  const sharedWithViewer = (folderAlias: SQL) =>
    sql`(${seesEverything} or ${folderAlias}.visibility = 'organization' or exists (
      select 1 from folder_shares s where s.folder_id = ${folderAlias}.id and s.user_id = ${userId}))`;
  return sql`(
    with recursive tree as (
      select f.id, ${sharedWithViewer(sql`f`)} as visible
      from folders f
      where f.organization_id = ${organizationId} and f.parent_id is null and f.deleted_at is null
      union all
      select c.id, t.visible and ${sharedWithViewer(sql`c`)}
      from folders c join tree t on c.parent_id = t.id
      where c.deleted_at is null
    )
    select id from tree where visible
  )`;
}

/**
 * Ids of the tasks a viewer may see: not trashed, and either in at least one visible folder, a
 * subtask of a visible task, or in no folder at all (organization-wide tasks).
 */
export function visibleTaskIdsSql(viewer: Viewer): SQL {
  return sql`(
    with recursive visible_tasks as (
      select t.id from tasks t
      where t.organization_id = ${viewer.organizationId} and t.deleted_at is null and (
        exists (select 1 from task_folders tf where tf.task_id = t.id and tf.folder_id in ${visibleFolderIdsSql(viewer)})
        or (t.parent_task_id is null and not exists (select 1 from task_folders tf where tf.task_id = t.id))
      )
      union
      select c.id from tasks c join visible_tasks v on c.parent_task_id = v.id
      where c.deleted_at is null
    )
    select id from visible_tasks
  )`;
}

/** Ids of the files (attached to a folder or a task) a viewer may see, trash excluded. */
export function visibleFileIdsSql(viewer: Viewer): SQL {
  return sql`(
    select f.id from files f
    where f.organization_id = ${viewer.organizationId} and f.deleted_at is null and (
      f.folder_id in ${visibleFolderIdsSql(viewer)} or f.task_id in ${visibleTaskIdsSql(viewer)}
    )
  )`;
}

/**
 * Ids of the comments a viewer may see: not in the trash, not a reply to a trashed comment, and on
 * a folder, task or file the viewer sees.
 */
export function visibleCommentIdsSql(viewer: Viewer): SQL {
  return sql`(
    select c.id from comments c
    left join file_versions fv on fv.id = c.file_version_id
    left join comments p on p.id = c.parent_id
    where c.organization_id = ${viewer.organizationId} and c.deleted_at is null and p.deleted_at is null and (
      c.task_id in ${visibleTaskIdsSql(viewer)}
      or c.folder_id in ${visibleFolderIdsSql(viewer)}
      or fv.file_id in ${visibleFileIdsSql(viewer)}
    )
  )`;
}

async function selectIds(table: typeof folders | typeof tasks | typeof files, ids: SQL, executor: Executor) {
  const rows = await executor.select({ id: table.id }).from(table).where(sql`${table.id} in ${ids}`);
  return new Set(rows.map((row) => row.id));
}

export function listVisibleFolderIds(viewer: Viewer, executor: Executor = db) {
  return selectIds(folders, visibleFolderIdsSql(viewer), executor);
}

export function listVisibleTaskIds(viewer: Viewer, executor: Executor = db) {
  return selectIds(tasks, visibleTaskIdsSql(viewer), executor);
}

export function listVisibleFileIds(viewer: Viewer, executor: Executor = db) {
  return selectIds(files, visibleFileIdsSql(viewer), executor);
}

export function viewerOf(caller: { organization: { id: string }; user: { id: string }; role: Role }): Viewer {
  return { organizationId: caller.organization.id, userId: caller.user.id, role: caller.role };
}
