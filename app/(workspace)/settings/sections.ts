import type { Caller } from "@/lib/auth/caller";
import { canManageBackups } from "@/lib/backups/access";
import type { SettingsSection } from "./settings-nav";

type SectionRule = SettingsSection & { visibleTo: (caller: Caller) => boolean };

const isAdmin = (caller: Caller) => caller.role === "owner" || caller.role === "admin";

/** Every settings page, in menu order. A page joins the sub-navigation by adding itself here. */
const SECTIONS: SectionRule[] = [
  { href: "/settings", label: "Organization", visibleTo: isAdmin },
  { href: "/settings/backups", label: "Backups", visibleTo: canManageBackups },
  { href: "/settings/audit-log", label: "Audit log", visibleTo: canManageBackups },
  { href: "/settings/api-tokens", label: "API tokens", visibleTo: isAdmin },
];

export function settingsSections(caller: Caller): SettingsSection[] {
  return SECTIONS.filter((section) => section.visibleTo(caller)).map(({ href, label }) => ({ href, label }));
}
