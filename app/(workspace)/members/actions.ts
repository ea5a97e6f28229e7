"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { changeMemberRole, ROLES } from "@/lib/workspace/members";

export const changeMemberRoleAction = authorizedAction({
  schema: z.object({
    userId: z.uuid("Choose a member."),
    role: z.enum(ROLES, "Choose owner, admin or member."),
  }),
  role: "owner",
  async run({ userId, role }, caller) {
    const result = await changeMemberRole({ organizationId: caller.organization.id, actorId: caller.user.id, userId, role });
    revalidatePath("/members");
    return result.changed ? `${result.name} is now ${article(role)} ${role}.` : `${result.name} is already ${article(role)} ${role}.`;
  },
});

function article(role: string) {
  return role === "owner" || role === "admin" ? "an" : "a";
}
