"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms";
import { initialActionState } from "@/lib/action-state";
import { updateBackupRestrictionAction } from "./actions";

export function BackupRestrictionForm({ enabled, editable }: { enabled: boolean; editable: boolean }) {
  const [state, formAction] = useActionState(updateBackupRestrictionAction, initialActionState);
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage state={state} />
      <div className="flex items-start gap-3">
        <input
          id="restrict-backups-to-owners"
          name="restrictBackupsToOwners"
          type="checkbox"
          defaultChecked={enabled}
          disabled={!editable}
          aria-describedby="restrict-backups-to-owners-help"
          className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 disabled:opacity-60"
        />
        <div>
          <label htmlFor="restrict-backups-to-owners" className="text-sm font-medium text-slate-900">
            Restrict backups to owners
          </label>
          <p id="restrict-backups-to-owners-help" className="text-sm text-slate-600">
            When on, admins can no longer see, request, download or delete backups; only owners can.
          </p>
        </div>
      </div>
      {editable ? (
        <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
      ) : (
        <p className="text-sm text-slate-500">Only an owner can change this setting.</p>
      )}
    </form>
  );
}
