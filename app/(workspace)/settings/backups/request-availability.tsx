import "server-only";
import Link from "next/link";
import { Alert, buttonClass } from "@/components/ui";
import type { Caller } from "@/lib/auth/caller";
import { backupRequestAvailability, type RequestAvailability } from "@/lib/backups/service";

export type RequestChoices = {
  /** A backup of at least one kind (with files or data only) may be requested now. */
  canRequest: boolean;
  withFiles: RequestAvailability;
  dataOnly: RequestAvailability;
};

/**
 * Backups with files and data-only backups have separate cooldowns (SPEC §3), so while one kind is
 * waiting the other may still be requested; the pages ask about both.
 */
export async function requestChoices(caller: Caller): Promise<RequestChoices> {
  const [withFiles, dataOnly] = await Promise.all([
    backupRequestAvailability({ caller, includeFiles: true }),
    backupRequestAvailability({ caller, includeFiles: false }),
  ]);
  return { canRequest: withFiles.allowed || dataOnly.allowed, withFiles, dataOnly };
}

/** Why a backup (of one kind or of any kind) cannot be requested now; nothing when both kinds can. */
export function RequestAvailabilityNotice({ choices }: { choices: RequestChoices }) {
  const { withFiles, dataOnly } = choices;
  const blocked = [withFiles, dataOnly].flatMap((availability) => (availability.allowed ? [] : [availability]));
  if (blocked.length === 0) return null;
  // Role, plan and a running backup block both kinds with the same message; say it once.
  const messages = [...new Set(blocked.map((availability) => availability.message))];
  const running = blocked.flatMap((availability) => ("running" in availability && availability.running ? [availability.running] : []))[0];
  return (
    <Alert tone="info">
      <p>
        {messages.join(" ")}
        {choices.canRequest && ` A backup ${withFiles.allowed ? "with" : "without"} files can be requested now.`}
      </p>
      {running && (
        <p className="mt-1">
          <Link href={`/settings/backups/${running.id}`} className={buttonClass.link}>
            See its progress
          </Link>
        </p>
      )}
    </Alert>
  );
}
