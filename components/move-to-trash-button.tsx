"use client";

import { useActionState } from "react";
import { initialActionState, type ActionState } from "@/lib/action-state";
import { SubmitButton } from "./forms";

/** "Move to trash" for a folder, task or file: asks first, then shows the refusal if there is one. */
export function MoveToTrashButton({
  action,
  fields,
  confirmation,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  /** The hidden inputs naming what to trash, e.g. { folderId }. */
  fields: Record<string, string>;
  confirmation: string;
}) {
  const [state, formAction] = useActionState(action, initialActionState);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(confirmation)) event.preventDefault();
      }}
      className="flex items-center gap-2"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state.status === "error" && (
        <span role="alert" className="text-sm text-red-700">
          {state.error}
        </span>
      )}
      <SubmitButton variant="secondary" pendingLabel="Moving…">
        Move to trash
      </SubmitButton>
    </form>
  );
}
