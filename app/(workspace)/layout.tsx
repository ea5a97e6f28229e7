import Link from "next/link";
import { hasRole, requireCaller } from "@/lib/auth/caller";
import { Badge } from "@/components/ui";
import { signOutAction } from "./actions";
import { OrganizationSwitcher } from "./organization-switcher";

export default async function WorkspaceLayout({ children }: { children: React.ReactNode }) {
  const caller = await requireCaller();
  const navigation = [
    { href: "/folders", label: "Folders" },
    { href: "/trash", label: "Trash" },
    { href: "/members", label: "Members" },
    ...(hasRole(caller, "admin") ? [{ href: "/settings", label: "Settings" }] : []),
    ...(process.env.NODE_ENV !== "production" ? [{ href: "/dev/outbox", label: "Dev outbox" }] : []),
  ];
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col gap-6 overflow-y-auto bg-slate-900 px-4 py-5 text-slate-200">
        <Link href="/folders" className="text-lg font-bold tracking-tight text-white">
          Archivist
        </Link>
        {caller.organizations.length > 1 ? (
          <OrganizationSwitcher organizations={caller.organizations} activeId={caller.organization.id} />
        ) : (
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-400">Organization</p>
            <p className="text-sm text-white">{caller.organization.name}</p>
          </div>
        )}
        <nav aria-label="Main" className="flex flex-col gap-1">
          {navigation.map((item) => (
            <Link key={item.href} href={item.href} className="rounded-md px-2 py-1.5 text-sm hover:bg-slate-800 hover:text-white">
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="mt-auto space-y-2 border-t border-slate-800 pt-4 text-sm">
          <p className="truncate text-white" title={caller.user.email}>
            {caller.user.name}
          </p>
          <p className="flex items-center gap-2 text-xs text-slate-400">
            <span className="truncate">{caller.user.email}</span>
            <Badge tone="blue">{caller.role}</Badge>
          </p>
          <form action={signOutAction}>
            <button type="submit" className="text-sm text-slate-300 hover:text-white hover:underline">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
