"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authorizedAction } from "@/lib/actions";
import { backupRequestFormSchema } from "@/lib/backups/request-schema";
import { requestBackup } from "@/lib/backups/service";
import { clientAddress } from "@/lib/client-address";

export const requestBackupAction = authorizedAction({
  schema: backupRequestFormSchema,
  // Owners and admins; requestBackup also applies the "restrict backups to owners" setting and the plan.
  role: "admin",
  async run(input, caller) {
    const ipAddress = clientAddress((await headers()).get("x-forwarded-for"));
    const backup = await requestBackup({ caller, input, ipAddress });
    revalidatePath("/settings/backups");
    redirect(`/settings/backups/${backup.id}`);
  },
});
