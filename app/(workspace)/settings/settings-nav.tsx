"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type SettingsSection = { href: string; label: string };

/**
 * The settings pages' shared sub-navigation. Each settings page renders it with the sections the
 * caller may open (see settingsSections in ./sections.ts), so a new page joins by adding a section there.
 */
export function SettingsNav({ sections }: { sections: SettingsSection[] }) {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label="Settings" className="mb-6 flex gap-1 border-b border-slate-200">
      {sections.map((section) => {
        const active = section.href === "/settings" ? pathname === section.href : pathname.startsWith(section.href);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
            }`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
