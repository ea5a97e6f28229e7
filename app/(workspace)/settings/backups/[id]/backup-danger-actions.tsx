"use client";

import { useActionState, useState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms";
import { buttonClass } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import { cancelBackupAction, deleteBackupAction } from "./actions";

/**
 * Cancel (while building) or delete (afterwards), each behind an explicit second step: the first
 * button only opens a panel that says what will happen and holds the real submit button. On success
 * the page re-renders with the new status, which is the confirmation.
 */
export function BackupDangerActions({ backupId, backupName, action }: { backupId: string; backupName: string; action: "cancel" | "delete" }) {
  const [confirming, setConfirming] = useState(false);
  const [state, formAction] = useActionState(action === "cancel" ? cancelBackupAction : deleteBackupAction, initialActionState);
  const words =
    action === "cancel"
      ? {
          open: "Cancel backup…",
          question: `Stop building “${backupName}”? What has been packed so far is removed, and you can request a new backup afterwards.`,
          confirm: "Yes, cancel this backup",
          pending: "Cancelling…",
          keep: "Keep building",
        }
      : {
          open: "Delete backup…",
          question: `Delete “${backupName}”? Its archive is removed from storage at once and cannot be downloaded again. The entry stays in the list as deleted.`,
          confirm: "Yes, delete this backup",
          pending: "Deleting…",
          keep: "Keep it",
        };
  return (
    <div className="space-y-3">
      <FormMessage state={state} />
      {confirming ? (
        <form action={formAction} className="space-y-3 rounded-md bg-red-50 p-4 ring-1 ring-inset ring-red-200">
          <input type="hidden" name="backupId" value={backupId} />
          <p className="text-sm text-red-900">{words.question}</p>
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pendingLabel={words.pending}>
              {words.confirm}
            </SubmitButton>
            <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(false)}>
              {words.keep}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className={buttonClass.danger} onClick={() => setConfirming(true)}>
          {words.open}
        </button>
      )}
    </div>
  );
}
