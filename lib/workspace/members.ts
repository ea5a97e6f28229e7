import "server-only";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import { findMemberForUpdate, lockOwnerMemberships, updateMemberRole } from "@/db/queries/organizations";
import type { Role } from "@/db/schema";
import { AppError } from "@/lib/errors";

export const ROLES = ["owner", "admin", "member"] as const satisfies readonly Role[];

/**
 * Changes a member's role. Only an owner may, and an organization always keeps at least one owner.
 * The actor's role is read again inside the transaction, so a just-demoted owner cannot act.
 */
export async function changeMemberRole({
  organizationId,
  actorId,
  userId,
  role,
}: {
  organizationId: string;
  actorId: string;
  userId: string;
  role: Role;
}): Promise<{ name: string; previousRole: Role; role: Role; changed: boolean }> {
  return db.transaction(async (tx) => {
    const owners = await lockOwnerMemberships({ organizationId, executor: tx });
    if (!owners.some((owner) => owner.userId === actorId)) {
      throw new AppError("forbidden", "Only an owner can change roles.");
    }
    const member = await findMemberForUpdate({ organizationId, userId, executor: tx });
    if (!member) throw new AppError("not_found", "That person is not a member of this organization.");
    if (member.role === role) return { name: member.name, previousRole: member.role, role, changed: false };
    if (member.role === "owner" && owners.length === 1) {
      throw new AppError(
        "conflict",
        `${member.name} is the last owner of this organization. Make someone else an owner before changing this role.`,
      );
    }
    await updateMemberRole({ organizationId, userId, role, executor: tx });
    await insertAuditEvent({
      organizationId,
      actorId,
      action: "member.role_changed",
      targetType: "user",
      targetId: userId,
      metadata: { from: member.role, to: role },
      executor: tx,
    });
    return { name: member.name, previousRole: member.role, role, changed: true };
  });
}
