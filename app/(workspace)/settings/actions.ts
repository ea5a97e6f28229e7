"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { setRestrictBackupsToOwners } from "@/lib/workspace/organization-settings";

export const updateBackupRestrictionAction = authorizedAction({
  // An unchecked checkbox sends nothing, so absence means "off".
  schema: z.object({ restrictBackupsToOwners: z.literal("on").optional() }),
  role: "owner",
  refuse: (caller) =>
    caller.organization.plan === "enterprise" ? undefined : "Restricting backups to owners is available on the Enterprise plan.",
  async run({ restrictBackupsToOwners }, caller) {
    const enabled = restrictBackupsToOwners === "on";
    const { changed } = await setRestrictBackupsToOwners({
      organizationId: caller.organization.id,
      actorId: caller.user.id,
      actorRole: caller.role,
      restrictBackupsToOwners: enabled,
    });
    revalidatePath("/settings", "layout");
    if (!changed) return "No changes to save.";
    return enabled ? "Backups are now restricted to owners." : "Admins can now manage backups again.";
  },
});
