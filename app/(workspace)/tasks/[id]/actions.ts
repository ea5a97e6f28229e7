"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authorizedAction } from "@/lib/actions";
import { createTask, createTaskSchema, logTime, logTimeSchema, trashTask, trashTaskSchema } from "@/lib/workspace/tasks";
import { viewerOf } from "@/lib/workspace/visibility";

export const createSubtaskAction = authorizedAction({
  schema: createTaskSchema,
  role: "member",
  async run(input, caller) {
    const task = await createTask({ viewer: viewerOf(caller), input });
    if (input.parentTaskId) revalidatePath(`/tasks/${input.parentTaskId}`);
    return `Subtask “${task.title}” created.`;
  },
});

export const logTimeAction = authorizedAction({
  schema: logTimeSchema,
  role: "member",
  async run(input, caller) {
    await logTime({ viewer: viewerOf(caller), input });
    revalidatePath(`/tasks/${input.taskId}`);
    return "Time logged.";
  },
});

export const trashTaskAction = authorizedAction({
  schema: trashTaskSchema,
  role: "member",
  async run(input, caller) {
    const { parentTaskId, folderId } = await trashTask({ viewer: viewerOf(caller), input });
    revalidatePath("/folders", "layout");
    redirect(parentTaskId ? `/tasks/${parentTaskId}` : folderId ? `/folders/${folderId}` : "/folders");
  },
});
