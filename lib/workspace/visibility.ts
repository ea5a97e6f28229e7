import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { files, folders, tasks, type Role } from "@/db/schema";

export type Viewer = { organizationId: string; userId: string; role: Role };

/**
 * With `includeTrash`, the same rules walk through trashed rows instead of stopping at them: the
 * trash shows what a viewer could see if it were restored.
 */
export type VisibilityOptions = { includeTrash?: boolean };

/** `alias.deleted_at is null`, or no condition at all when trashed rows count too. */
function notTrashed(alias: string, { includeTrash = false }: VisibilityOptions) {
  return includeTrash ? sql`true` : sql`${sql.raw(alias)}.deleted_at is null`;
}

/**
 * Ids of the folders a viewer may see: not in the trash (nor under a trashed folder), and for every
 * private folder on the way down from the root, shared with the viewer — owners see every folder.
 * The same rule serves the workspace pages, the trash and the backup export, so they can never disagree.
 */
export function visibleFolderIdsSql({ organizationId, userId, role }: Viewer, options: VisibilityOptions = {}): SQL {
  const seesEverything = role === "owner";
  const sharedWithViewer = (folderAlias: SQL) =>
    sql`(${seesEverything} or ${folderAlias}.visibility = 'organization' or exists (
      select 1 from folder_shares s where s.folder_id = ${folderAlias}.id and s.user_id = ${userId}))`;
  return sql`(
    with recursive tree as (
      select f.id, ${sharedWithViewer(sql`f`)} as visible
      from folders f
      where f.organization_id = ${organizationId} and f.parent_id is null and ${notTrashed("f", options)}
      union all
      select c.id, t.visible and ${sharedWithViewer(sql`c`)}
      from folders c join tree t on c.parent_id = t.id
      where ${notTrashed("c", options)}
    )
    select id from tree where visible
  )`;
}

/**
 * Ids of the tasks a viewer may see: not trashed, and either in at least one visible folder, a
 * subtask of a visible task, or in no folder at all (organization-wide tasks).
 */
export function visibleTaskIdsSql(viewer: Viewer, options: VisibilityOptions = {}): SQL {
  return sql`(
    with recursive visible_tasks as (
      select t.id from tasks t
      where t.organization_id = ${viewer.organizationId} and ${notTrashed("t", options)} and (
        exists (select 1 from task_folders tf where tf.task_id = t.id and tf.folder_id in ${visibleFolderIdsSql(viewer, options)})
        or (t.parent_task_id is null and not exists (select 1 from task_folders tf where tf.task_id = t.id))
      )
      union
      select c.id from tasks c join visible_tasks v on c.parent_task_id = v.id
      where ${notTrashed("c", options)}
    )
    select id from visible_tasks
  )`;
}

/** Ids of the files (attached to a folder or a task) a viewer may see, trash excluded. */
export function visibleFileIdsSql(viewer: Viewer, options: VisibilityOptions = {}): SQL {
  return sql`(
    select f.id from files f
    where f.organization_id = ${viewer.organizationId} and ${notTrashed("f", options)} and (
      f.folder_id in ${visibleFolderIdsSql(viewer, options)} or f.task_id in ${visibleTaskIdsSql(viewer, options)}
    )
  )`;
}

/** The ids of the tasks, folders and files a viewer sees, as subqueries (or the tables they were saved to). */
export type VisibleTargets = { taskIds: SQL; folderIds: SQL; fileIds: SQL };

/**
 * A comment's (`c`) parent as `p`, looked up among its organization's comments only, where a reply's
 * parent always is: without the organization, the database hashed or scanned every organization's
 * comments to find the parents of one organization's replies (a backup's snapshot of 200,000
 * comments took 3.4 s instead of 2.4 in a database holding another organization's million).
 */
export const parentCommentJoin = (organizationId: string) => sql`left join comments p on p.id = c.parent_id and p.organization_id = ${organizationId}`;

/**
 * Whether a comment is visible, over a comment `c`, its parent `p` (left-joined) and its file
 * version `fv` (left-joined): not in the trash, not a reply to a trashed comment, and on a folder,
 * task or file the viewer sees. The export joins the same aliases for its own columns, so it tests
 * the rule on rows it reads anyway.
 */
export function commentVisibleSql({ taskIds, folderIds, fileIds }: VisibleTargets, options: VisibilityOptions = {}): SQL {
  return sql`${notTrashed("c", options)} and ${notTrashed("p", options)} and (
    c.task_id in ${taskIds} or c.folder_id in ${folderIds} or fv.file_id in ${fileIds}
  )`;
}

/** Ids of the comments a viewer may see (see commentVisibleSql). */
export function visibleCommentIdsSql(viewer: Viewer, options: VisibilityOptions = {}): SQL {
  const targets = { taskIds: visibleTaskIdsSql(viewer, options), folderIds: visibleFolderIdsSql(viewer, options), fileIds: visibleFileIdsSql(viewer, options) };
  return sql`(
    select c.id from comments c
    left join file_versions fv on fv.id = c.file_version_id
    ${parentCommentJoin(viewer.organizationId)}
    where c.organization_id = ${viewer.organizationId} and ${commentVisibleSql(targets, options)}
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
