"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const REFRESH_EVERY_MS = 2000;

/**
 * The build runs in the background and records its progress in the database; re-rendering the page
 * every 2 s shows it move, and the page stops refreshing once the backup is no longer in progress.
 */
export function BackupProgress({ percent, inProgress }: { percent: number; inProgress: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!inProgress) return;
    const timer = setInterval(() => router.refresh(), REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [inProgress, router]);
  if (!inProgress) return null;
  return (
    <div className="mt-2 flex max-w-sm items-center gap-3">
      <div
        role="progressbar"
        aria-label="Backup progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="w-10 text-right text-sm tabular-nums text-slate-600">{percent}%</span>
    </div>
  );
}
