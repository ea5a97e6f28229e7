"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/forms";
import { buttonClass } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import { revokeApiTokenAction } from "./actions";

/** Revoking cannot be undone, so it takes a second, explicit click. */
export function RevokeTokenForm({ id, name }: { id: string; name: string }) {
  const [state, formAction] = useActionState(revokeApiTokenAction, initialActionState);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(true)}>
        Revoke<span className="sr-only"> {name}</span>
      </button>
    );
  }
  return (
    <form action={formAction} className="flex flex-col items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <p className="max-w-xs text-right text-sm text-slate-700">
        Revoke “{name}”? Scripts using it will be refused at once. This cannot be undone.
      </p>
      <div className="flex gap-2">
        <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(false)}>
          Keep it
        </button>
        <SubmitButton variant="danger" pendingLabel="Revoking…">
          Yes, revoke
        </SubmitButton>
      </div>
      {state.status === "error" && state.error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
