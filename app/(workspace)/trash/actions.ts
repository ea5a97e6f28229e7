"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { restoreTrashItem, TRASH_ITEM_TYPES } from "@/lib/workspace/trash";
import { viewerOf } from "@/lib/workspace/visibility";

export const restoreTrashItemAction = authorizedAction({
  schema: z.object({
    type: z.enum(TRASH_ITEM_TYPES, "Choose an item to restore."),
    id: z.uuid("Choose an item to restore."),
  }),
  // Members may restore their own items; restoreTrashItem checks authorship.
  role: "member",
  async run({ type, id }, caller) {
    const { title } = await restoreTrashItem({ viewer: viewerOf(caller), type, id });
    revalidatePath("/trash");
    return `Restored “${title}”.`;
  },
});
