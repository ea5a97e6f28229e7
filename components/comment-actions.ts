"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { addComment, addCommentSchema, trashComment, trashCommentSchema } from "@/lib/workspace/comments";
import { viewerOf } from "@/lib/workspace/visibility";

export const addCommentAction = authorizedAction({
  schema: addCommentSchema,
  role: "member",
  async run(input, caller) {
    const { pagePath } = await addComment({ viewer: viewerOf(caller), input });
    revalidatePath(pagePath, "layout");
    return input.parentId ? "Reply posted." : "Comment posted.";
  },
});

export const trashCommentAction = authorizedAction({
  schema: trashCommentSchema,
  role: "member",
  async run(input, caller) {
    const { pagePath } = await trashComment({ viewer: viewerOf(caller), input });
    revalidatePath(pagePath, "layout");
    return "Comment moved to the trash.";
  },
});
