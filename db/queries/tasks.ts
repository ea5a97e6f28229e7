import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { folders, taskAssignees, taskFolders, tasks, timeLogs, users, type NewTask } from "@/db/schema";
import { visibleFolderIdsSql, visibleTaskIdsSql, type Viewer } from "@/lib/workspace/visibility";

const isVisibleTo = (viewer: Viewer) => sql`${tasks.id} in ${visibleTaskIdsSql(viewer)}`;

const taskSummaryColumns = {
  id: tasks.id,
  title: tasks.title,
  status: tasks.status,
  importance: tasks.importance,
  parentTaskId: tasks.parentTaskId,
  updatedAt: tasks.updatedAt,
};


async function withAssignees<Row extends { id: string }>(rows: Row[], executor: Executor) {
  const assignees = await listTaskAssignees({ taskIds: rows.map((row) => row.id), executor });
  return rows.map((row) => ({ ...row, assignees: assignees.get(row.id) ?? [] }));
}

export async function listTaskAssignees({ taskIds, executor = db }: { taskIds: string[]; executor?: Executor }) {
  const byTask = new Map<string, { id: string; name: string }[]>();
  if (taskIds.length === 0) return byTask;
  const rows = await executor
    .select({ taskId: taskAssignees.taskId, id: users.id, name: users.name })
    .from(taskAssignees)
    .innerJoin(users, eq(users.id, taskAssignees.userId))
    .where(inArray(taskAssignees.taskId, taskIds))
    .orderBy(asc(users.name));
  for (const { taskId, ...user } of rows) byTask.set(taskId, [...(byTask.get(taskId) ?? []), user]);
  return byTask;
}

/** Tasks placed in a folder, with their assignees (the folder itself has already been checked visible). */
export async function listFolderTasks({ viewer, folderId, executor = db }: { viewer: Viewer; folderId: string; executor?: Executor }) {
  const rows = await executor
    .select(taskSummaryColumns)
    .from(tasks)
    .innerJoin(taskFolders, eq(taskFolders.taskId, tasks.id))
    .where(and(eq(taskFolders.folderId, folderId), eq(tasks.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  return withAssignees(rows, executor);
}

export async function findVisibleTask({ viewer, id, executor = db }: { viewer: Viewer; id: string; executor?: Executor }) {
  const [row] = await executor
    .select({ task: tasks, authorName: users.name })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.authorId))
    .where(and(eq(tasks.id, id), eq(tasks.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .limit(1);
  return row;
}

export async function listVisibleSubtasks({ viewer, taskId, executor = db }: { viewer: Viewer; taskId: string; executor?: Executor }) {
  const rows = await executor
    .select(taskSummaryColumns)
    .from(tasks)
    .where(and(eq(tasks.parentTaskId, taskId), eq(tasks.organizationId, viewer.organizationId), isVisibleTo(viewer)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  return withAssignees(rows, executor);
}

/** The visible folders a task is placed in (it may also sit in folders this viewer cannot see). */
export async function listTaskFolders({ viewer, taskId, executor = db }: { viewer: Viewer; taskId: string; executor?: Executor }) {
  return executor
    .select({ id: folders.id, title: folders.title, isProject: folders.isProject })
    .from(taskFolders)
    .innerJoin(folders, eq(folders.id, taskFolders.folderId))
    .where(and(eq(taskFolders.taskId, taskId), sql`${folders.id} in ${visibleFolderIdsSql(viewer)}`))
    .orderBy(asc(folders.title));
}

export async function listTimeLogs({ taskId, executor = db }: { taskId: string; executor?: Executor }) {
  return executor
    .select({
      id: timeLogs.id,
      loggedOn: timeLogs.loggedOn,
      hours: timeLogs.hours,
      comment: timeLogs.comment,
      userId: users.id,
      userName: users.name,
    })
    .from(timeLogs)
    .leftJoin(users, eq(users.id, timeLogs.userId))
    .where(eq(timeLogs.taskId, taskId))
    .orderBy(desc(timeLogs.loggedOn), desc(timeLogs.createdAt));
}

export async function insertTask({
  values,
  folderId,
  executor = db,
}: {
  values: NewTask;
  folderId: string | null;
  executor?: Executor;
}) {
  const [task] = await executor.insert(tasks).values(values).returning();
  if (!task) throw new Error("Task insert returned no row");
  if (folderId) await executor.insert(taskFolders).values({ taskId: task.id, folderId });
  return task;
}

export async function insertTimeLog({ values, executor = db }: { values: typeof timeLogs.$inferInsert; executor?: Executor }) {
  const [row] = await executor.insert(timeLogs).values(values).returning();
  if (!row) throw new Error("Time log insert returned no row");
  return row;
}

export async function markTaskTrashed({ organizationId, id, executor = db }: { organizationId: string; id: string; executor?: Executor }) {
  await executor
    .update(tasks)
    .set({ deletedAt: new Date() })
    .where(and(eq(tasks.id, id), eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt)));
}
