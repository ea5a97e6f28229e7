import "server-only";
import { db } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import { findOrganizationById, updateOrganizationSettings } from "@/db/queries/organizations";
import type { Role } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** "Restrict backups to owners" is an Enterprise setting that only owners may change. */
export async function setRestrictBackupsToOwners({
  organizationId,
  actorId,
  actorRole,
  restrictBackupsToOwners,
}: {
  organizationId: string;
  actorId: string;
  actorRole: Role;
  restrictBackupsToOwners: boolean;
}): Promise<{ changed: boolean }> {
  if (actorRole !== "owner") throw new AppError("forbidden", "Only an owner can change this setting.");
  return db.transaction(async (tx) => {
    const organization = await findOrganizationById({ id: organizationId, executor: tx });
    if (!organization) throw new AppError("not_found", "The organization was not found.");
    if (organization.plan !== "enterprise") {
      throw new AppError("forbidden", "Restricting backups to owners is available on the Enterprise plan.");
    }
    const previous = organization.settings.restrictBackupsToOwners === true;
    if (previous === restrictBackupsToOwners) return { changed: false };
    await updateOrganizationSettings({ organizationId, settings: { restrictBackupsToOwners }, executor: tx });
    await insertAuditEvent({
      organizationId,
      actorId,
      action: "organization.settings_changed",
      targetType: "organization",
      targetId: organizationId,
      metadata: { setting: "restrictBackupsToOwners", from: previous, to: restrictBackupsToOwners },
      executor: tx,
    });
    return { changed: true };
  });
}
