import "server-only";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  findContact,
  findMemberUser,
  findRecipient,
  findRecipientOfFile,
  findVisibleFile,
  insertRecipient,
  lockVisibleFile,
  markFileTrashed,
  updateRecipientDecision,
} from "@/db/queries/files";
import type { FileRecord, Recipient } from "@/db/schema";
import { AppError, forbidden } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import type { Viewer } from "@/lib/workspace/visibility";

export type RecipientPerson = { type: "user"; id: string } | { type: "contact"; id: string };
export type RecordableDecision = Exclude<Recipient["decision"], "pending">;

const fileNotFound = () => new AppError("not_found", "That file was not found.");

/** Administrators, owners and whoever uploaded the file manage it: its recipients and moving it to the trash. */
export function canManageFile(viewer: Viewer, file: Pick<FileRecord, "createdBy">): boolean {
  return viewer.role === "owner" || viewer.role === "admin" || file.createdBy === viewer.userId;
}

export async function addFileRecipient({
  viewer,
  fileId,
  person,
  role,
}: {
  viewer: Viewer;
  fileId: string;
  person: RecipientPerson;
  role: Recipient["role"];
}): Promise<{ recipientId: string; name: string }> {
  return db.transaction(async (tx) => {
    // Locked so that two people adding the same reviewer at once cannot both succeed.
    const file = await lockVisibleFile({ viewer, fileId, executor: tx });
    if (!file) throw fileNotFound();
    if (!canManageFile(viewer, file)) throw forbidden("Only the file's creator or an administrator can add recipients.");
    const found =
      person.type === "user"
        ? await findMemberUser({ organizationId: viewer.organizationId, userId: person.id, executor: tx })
        : await findContact({ organizationId: viewer.organizationId, contactId: person.id, executor: tx });
    if (!found) {
      throw new AppError("invalid_input", "Choose a member or a contact of this organization.", { field: "person" });
    }
    const existing = await findRecipientOfFile({
      fileId: file.id,
      person: person.type === "user" ? { userId: person.id } : { contactId: person.id },
      executor: tx,
    });
    if (existing) throw new AppError("conflict", `${found.name} is already a recipient of this file.`, { field: "person" });
    const recipient = await insertRecipient({
      executor: tx,
      values: {
        uid: newUid(),
        fileId: file.id,
        userId: person.type === "user" ? person.id : null,
        contactId: person.type === "contact" ? person.id : null,
        role,
      },
    });
    await insertAuditEvent({
      executor: tx,
      organizationId: viewer.organizationId,
      actorId: viewer.userId,
      action: "file.recipient_added",
      targetType: "recipient",
      targetId: recipient.id,
      metadata: { fileId: file.id, personType: person.type, personId: person.id, role },
    });
    return { recipientId: recipient.id, name: found.name };
  });
}

/** A user recipient records their own decision on the file; nobody can decide on someone else's behalf. */
export async function recordRecipientDecision({
  viewer,
  recipientId,
  decision,
}: {
  viewer: Viewer;
  recipientId: string;
  decision: RecordableDecision;
}) {
  return db.transaction(async (tx) => {
    const recipient = await findRecipient({ recipientId, executor: tx });
    const file = recipient ? await findVisibleFile({ viewer, fileId: recipient.fileId, executor: tx }) : undefined;
    if (!recipient || !file) throw new AppError("not_found", "That reviewer was not found.");
    if (recipient.userId !== viewer.userId) throw forbidden("Only the reviewer themself can record their decision.");
    const updated = await updateRecipientDecision({ recipientId, decision, decidedAt: new Date(), executor: tx });
    await insertAuditEvent({
      executor: tx,
      organizationId: viewer.organizationId,
      actorId: viewer.userId,
      action: "file.decision_recorded",
      targetType: "recipient",
      targetId: recipientId,
      metadata: { fileId: file.id, decision },
    });
    return updated;
  });
}

/** Moves a file to the trash (restorable for 30 days) and says where it lived, to go back there. */
export async function moveFileToTrash({ viewer, fileId }: { viewer: Viewer; fileId: string }) {
  return db.transaction(async (tx) => {
    const file = await lockVisibleFile({ viewer, fileId, executor: tx });
    if (!file) throw fileNotFound();
    if (!canManageFile(viewer, file)) throw forbidden("Only the file's creator or an administrator can move it to the trash.");
    await markFileTrashed({ fileId: file.id, executor: tx });
    await insertAuditEvent({
      executor: tx,
      organizationId: viewer.organizationId,
      actorId: viewer.userId,
      action: "file.trashed",
      targetType: "file",
      targetId: file.id,
      metadata: { fileName: file.name },
    });
    return { folderId: file.folderId, taskId: file.taskId, name: file.name };
  });
}
