"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { signOut, updateSession } from "@/lib/auth";
import { AppError } from "@/lib/errors";

export const switchOrganizationAction = authorizedAction({
  schema: z.object({ organizationId: z.uuid("Choose an organization.") }),
  role: "member",
  async run({ organizationId }, caller) {
    if (!caller.organizations.some((organization) => organization.id === organizationId)) {
      throw new AppError("not_found", "You are not a member of that organization.");
    }
    await updateSession({ activeOrganizationId: organizationId });
    redirect("/folders");
  },
});

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
