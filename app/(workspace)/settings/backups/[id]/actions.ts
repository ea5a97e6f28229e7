"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { cancelBackup, deleteBackup } from "@/lib/backups/service";
import { clientAddress } from "@/lib/client-address";

const backupIdSchema = z.object({ backupId: z.uuid("That backup was not found.") });

async function requestAddress() {
  return clientAddress((await headers()).get("x-forwarded-for"));
}

export const cancelBackupAction = authorizedAction({
  schema: backupIdSchema,
  // Owners and admins; the service also applies "restrict backups to owners" and answers 404 otherwise.
  role: "admin",
  async run({ backupId }, caller) {
    await cancelBackup({ caller, backupId, ipAddress: await requestAddress() });
    revalidatePath("/settings/backups", "layout");
  },
});

export const deleteBackupAction = authorizedAction({
  schema: backupIdSchema,
  role: "admin",
  async run({ backupId }, caller) {
    await deleteBackup({ caller, backupId, ipAddress: await requestAddress() });
    revalidatePath("/settings/backups", "layout");
  },
});
