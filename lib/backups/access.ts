import type { Caller } from "@/lib/auth/caller";
import { AppError } from "@/lib/errors";
import { BACKUP_CONFIG } from "./config";

/**
 * SPEC §1: owners always; admins unless the organization restricts backups to owners; members never.
 * Read from the caller, whose role and organization come from the database on every request.
 */
export function canManageBackups(caller: Pick<Caller, "role" | "organization">): boolean {
  if (caller.role === "owner") return true;
  if (caller.role === "admin") return !caller.organization.settings.restrictBackupsToOwners;
  return false;
}

export function planAllowsBackups(caller: Pick<Caller, "organization">): boolean {
  return (BACKUP_CONFIG.plansWithBackups as readonly string[]).includes(caller.organization.plan);
}

/** For the list and the request form: a member (or a restricted admin) gets 403. */
export function assertCanListBackups(caller: Pick<Caller, "role" | "organization">) {
  if (!canManageBackups(caller)) {
    throw new AppError(
      "forbidden",
      caller.role === "admin"
        ? "This organization restricts backups to owners."
        : "Only owners and admins can manage backups.",
    );
  }
}

/** For one backup: anyone who may not manage backups is told it does not exist (404), never that it does. */
export function assertCanOpenBackup(caller: Pick<Caller, "role" | "organization">) {
  if (!canManageBackups(caller)) throw new AppError("not_found", "That backup was not found.");
}
