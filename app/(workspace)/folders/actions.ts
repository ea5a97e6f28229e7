"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authorizedAction } from "@/lib/actions";
import { createFolder, createFolderSchema, trashFolder, trashFolderSchema } from "@/lib/workspace/folders";
import { viewerOf } from "@/lib/workspace/visibility";

export const createFolderAction = authorizedAction({
  schema: createFolderSchema,
  role: "member",
  async run(input, caller) {
    const folder = await createFolder({ viewer: viewerOf(caller), input });
    revalidatePath("/folders", "layout");
    redirect(`/folders/${folder.id}`);
  },
});

export const trashFolderAction = authorizedAction({
  schema: trashFolderSchema,
  role: "member",
  async run(input, caller) {
    const { parentId } = await trashFolder({ viewer: viewerOf(caller), input });
    revalidatePath("/folders", "layout");
    redirect(parentId ? `/folders/${parentId}` : "/folders");
  },
});
