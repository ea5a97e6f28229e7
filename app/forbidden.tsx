import Link from "next/link";
import { buttonClass } from "@/components/ui";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="text-sm font-semibold text-indigo-700">403</p>
      <h1 className="text-2xl font-semibold text-slate-900">You do not have access to this page</h1>
      <p className="max-w-md text-sm text-slate-600">
        This page is for administrators of your organization. Ask an owner if you need access.
      </p>
      <Link href="/folders" className={buttonClass.secondary}>
        Back to the workspace
      </Link>
    </main>
  );
}
