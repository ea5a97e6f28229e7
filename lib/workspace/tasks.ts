import "server-only";
import { z } from "zod";
import { db } from "@/db/connection";
import { findVisibleFolder } from "@/db/queries/folders";
import { findVisibleTask, insertTask, insertTimeLog, listTaskFolders, markTaskTrashed } from "@/db/queries/tasks";
import { forbidden, notFound } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import { canTrashItem } from "./folders";
import { TASK_IMPORTANCES, TASK_STATUSES } from "./options";
import { blankAsNull, optionalText, parseInput } from "./parse-input";
import type { Viewer } from "./visibility";

export const TASK_DESCRIPTION_MAX = 50_000;

export const createTaskSchema = z
  .object({
    folderId: blankAsNull(z.uuid("The folder was not found.")),
    parentTaskId: blankAsNull(z.uuid("The parent task was not found.")),
    title: z
      .string("Give the task a title.")
      .trim()
      .min(1, "Give the task a title.")
      .max(200, "A title can be at most 200 characters."),
    descriptionHtml: optionalText(TASK_DESCRIPTION_MAX, "The description"),
    status: z.enum(TASK_STATUSES, "Choose a status from the list.").default("active"),
    importance: z.enum(TASK_IMPORTANCES, "Choose an importance from the list.").default("normal"),
  })
  .refine((input) => (input.folderId === null) !== (input.parentTaskId === null), {
    message: "A task is created either in a folder or under a parent task.",
    path: ["folderId"],
  });

export const logTimeSchema = z.object({
  taskId: z.uuid("That task was not found."),
  loggedOn: z.iso
    .date("Enter the date the time was spent.")
    .refine((value) => value >= "2000-01-01" && value <= "2100-12-31", "Enter a date between 2000 and 2100."),
  hours: z.coerce
    .number("Enter the hours as a number, for example 1.5.")
    .min(0.25, "Log at least 0.25 hours.")
    .max(24, "You cannot log more than 24 hours at once.")
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "Use at most two decimals for the hours."),
  comment: optionalText(1_000, "The comment"),
});

export const trashTaskSchema = z.object({ taskId: z.uuid("That task was not found.") });

/** Creates a task in a folder the viewer can see, or a subtask of a task they can see. */
export async function createTask({ viewer, input }: { viewer: Viewer; input: z.input<typeof createTaskSchema> }) {
  const data = parseInput(createTaskSchema, input);
  if (data.folderId && !(await findVisibleFolder({ viewer, id: data.folderId }))) throw notFound("The folder");
  if (data.parentTaskId && !(await findVisibleTask({ viewer, id: data.parentTaskId }))) throw notFound("The parent task");
  return db.transaction((executor) =>
    insertTask({
      executor,
      folderId: data.folderId,
      values: {
        uid: newUid(),
        organizationId: viewer.organizationId,
        parentTaskId: data.parentTaskId,
        title: data.title,
        descriptionHtml: data.descriptionHtml,
        status: data.status,
        importance: data.importance,
        authorId: viewer.userId,
      },
    }),
  );
}

/** Records time the viewer spent on a task they can see. */
export async function logTime({ viewer, input }: { viewer: Viewer; input: z.input<typeof logTimeSchema> }) {
  const data = parseInput(logTimeSchema, input);
  if (!(await findVisibleTask({ viewer, id: data.taskId }))) throw notFound("That task");
  return insertTimeLog({
    values: {
      uid: newUid(),
      taskId: data.taskId,
      userId: viewer.userId,
      loggedOn: data.loggedOn,
      hours: data.hours.toFixed(2),
      comment: data.comment,
    },
  });
}

/**
 * Moves a task (and its subtasks with it) to the trash: its author may, and so may admins and owners.
 * Returns where the task lived, so the caller can go back there.
 */
export async function trashTask({ viewer, input }: { viewer: Viewer; input: z.input<typeof trashTaskSchema> }) {
  const { taskId } = parseInput(trashTaskSchema, input);
  const found = await findVisibleTask({ viewer, id: taskId });
  if (!found) throw notFound("That task");
  if (!canTrashItem(viewer, found.task)) throw forbidden("Only the task's author or an administrator can move it to the trash.");
  const [firstFolder] = await listTaskFolders({ viewer, taskId });
  await markTaskTrashed({ organizationId: viewer.organizationId, id: taskId });
  return { parentTaskId: found.task.parentTaskId, folderId: firstFolder?.id ?? null };
}

/** Sum of logged hours, exact to the hundredth (hours are stored as numeric(6,2) strings). */
export function totalHours(logs: { hours: string }[]): number {
  return logs.reduce((total, log) => total + Math.round(Number(log.hours) * 100), 0) / 100;
}

