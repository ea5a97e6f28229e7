import Link from "next/link";
import { buttonClass } from "@/components/ui";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="text-2xl font-semibold text-slate-900">We could not find that page</h1>
      <p className="max-w-md text-sm text-slate-600">It may have been moved to the trash, or it belongs to another organization.</p>
      <Link href="/folders" className={buttonClass.secondary}>
        Back to the workspace
      </Link>
    </main>
  );
}
