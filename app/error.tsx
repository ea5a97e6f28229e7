"use client";

import { buttonClass } from "@/components/ui";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold text-slate-900">Something went wrong</h1>
      <p className="max-w-md text-sm text-slate-600">The page could not be shown. Nothing was changed. Please try again.</p>
      <button type="button" onClick={reset} className={buttonClass.secondary}>
        Try again
      </button>
    </main>
  );
}
