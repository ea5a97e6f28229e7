"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { createTask, createTaskSchema } from "@/lib/workspace/tasks";
import { viewerOf } from "@/lib/workspace/visibility";

export const createFolderTaskAction = authorizedAction({
  schema: createTaskSchema,
  role: "member",
  async run(input, caller) {
    const task = await createTask({ viewer: viewerOf(caller), input });
    if (input.folderId) revalidatePath(`/folders/${input.folderId}`);
    return `Task “${task.title}” created.`;
  },
});
