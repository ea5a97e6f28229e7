"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions";
import { addFileRecipient, moveFileToTrash, recordRecipientDecision } from "@/lib/workspace/files";
import { viewerOf } from "@/lib/workspace/visibility";
import { DECISION_LABELS, RECIPIENT_ROLE_LABELS, RECIPIENT_ROLES, RECORDABLE_DECISIONS } from "./review-options";

const fileId = z.uuid("That file was not found.");

const personSchema = z
  .string("Choose a person.")
  .regex(/^(user|contact):[0-9a-f-]{36}$/i, "Choose a person.")
  .transform((value) => {
    const [type, id] = value.split(":") as ["user" | "contact", string];
    return { type, id };
  })
  .pipe(z.object({ type: z.enum(["user", "contact"]), id: z.uuid("Choose a person.") }));

export const addRecipientAction = authorizedAction({
  schema: z.object({
    fileId,
    person: personSchema,
    role: z.enum(RECIPIENT_ROLES, "Choose a role."),
  }),
  role: "member",
  async run({ fileId, person, role }, caller) {
    const { name } = await addFileRecipient({ viewer: viewerOf(caller), fileId, person, role });
    revalidatePath(`/files/${fileId}`);
    return `Added ${name} as ${RECIPIENT_ROLE_LABELS[role].toLowerCase()}.`;
  },
});

export const recordDecisionAction = authorizedAction({
  schema: z.object({
    fileId,
    recipientId: z.uuid("That reviewer was not found."),
    decision: z.enum(RECORDABLE_DECISIONS, "Choose a decision."),
  }),
  role: "member",
  async run({ fileId, recipientId, decision }, caller) {
    await recordRecipientDecision({ viewer: viewerOf(caller), recipientId, decision });
    revalidatePath(`/files/${fileId}`);
    return `Your decision was recorded: ${DECISION_LABELS[decision].toLowerCase()}.`;
  },
});

export const trashFileAction = authorizedAction({
  schema: z.object({ fileId }),
  role: "member",
  async run({ fileId }, caller) {
    const { folderId, taskId } = await moveFileToTrash({ viewer: viewerOf(caller), fileId });
    const parentPath = folderId ? `/folders/${folderId}` : taskId ? `/tasks/${taskId}` : "/folders";
    revalidatePath(parentPath);
    revalidatePath("/trash");
    redirect(parentPath);
  },
});
