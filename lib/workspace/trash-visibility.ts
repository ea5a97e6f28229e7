import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Viewer } from "./visibility";

/**
 * The trash shows what a viewer could see if it were restored, so these mirror the rules of
 * visibility.ts (private folders only for the users they are shared with; owners see all) while
 * walking through trashed rows instead of stopping at them.
 */
export function foldersVisibleIncludingTrashSql({ organizationId, userId, role }: Viewer): SQL {
  const seesEverything = role === "owner";
  const sharedWithViewer = (folderAlias: SQL) =>
    sql`(${seesEverything} or ${folderAlias}.visibility = 'organization' or exists (
      select 1 from folder_shares s where s.folder_id = ${folderAlias}.id and s.user_id = ${userId}))`;
  return sql`(
    with recursive tree as (
      select f.id, ${sharedWithViewer(sql`f`)} as visible
      from folders f
      where f.organization_id = ${organizationId} and f.parent_id is null
      union all
      select c.id, t.visible and ${sharedWithViewer(sql`c`)}
      from folders c join tree t on c.parent_id = t.id
    )
    select id from tree where visible
  )`;
}

/** Tasks in a visible folder, organization-wide top-level tasks, and their subtasks — trashed or not. */
export function tasksVisibleIncludingTrashSql(viewer: Viewer): SQL {
  return sql`(
    with recursive visible_tasks as (
      select t.id from tasks t
      where t.organization_id = ${viewer.organizationId} and (
        exists (select 1 from task_folders tf where tf.task_id = t.id and tf.folder_id in ${foldersVisibleIncludingTrashSql(viewer)})
        or (t.parent_task_id is null and not exists (select 1 from task_folders tf where tf.task_id = t.id))
      )
      union
      select c.id from tasks c join visible_tasks v on c.parent_task_id = v.id
    )
    select id from visible_tasks
  )`;
}

export function filesVisibleIncludingTrashSql(viewer: Viewer): SQL {
  return sql`(
    select f.id from files f
    where f.organization_id = ${viewer.organizationId} and (
      f.folder_id in ${foldersVisibleIncludingTrashSql(viewer)} or f.task_id in ${tasksVisibleIncludingTrashSql(viewer)}
    )
  )`;
}

/** A comment is visible when what it is about (task, folder or file version) is. */
export function commentsVisibleIncludingTrashSql(viewer: Viewer): SQL {
  return sql`(
    select c.id from comments c
    left join file_versions fv on fv.id = c.file_version_id
    where c.organization_id = ${viewer.organizationId} and (
      c.task_id in ${tasksVisibleIncludingTrashSql(viewer)}
      or c.folder_id in ${foldersVisibleIncludingTrashSql(viewer)}
      or fv.file_id in ${filesVisibleIncludingTrashSql(viewer)}
    )
  )`;
}
