"use client";

import { useActionState, useEffect, useRef } from "react";
import { FormMessage, SubmitButton } from "@/components/forms";
import { inputClass } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import { addCommentAction, trashCommentAction } from "./comment-actions";

type Target = { type: "folder" | "task" | "fileVersion"; id: string };

export function CommentForm({ target, parentId }: { target: Target; parentId?: string }) {
  const [state, formAction] = useActionState(addCommentAction, initialActionState);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") formRef.current?.reset();
  }, [state]);
  const id = `comment-body-${parentId ?? target.id}`;
  const error = state.fieldErrors?.body;
  const label = parentId ? "Reply" : "Add comment";
  return (
    <form ref={formRef} action={formAction} className="space-y-2">
      <input type="hidden" name="targetType" value={target.type} />
      <input type="hidden" name="targetId" value={target.id} />
      {parentId && <input type="hidden" name="parentId" value={parentId} />}
      <FormMessage state={state} />
      <label htmlFor={id} className={parentId ? "sr-only" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        rows={parentId ? 2 : 3}
        required
        maxLength={5000}
        defaultValue={state.status === "error" ? state.fields?.body : undefined}
        placeholder={parentId ? "Write a reply…" : "Write a comment…"}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={inputClass}
      />
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
      <SubmitButton variant={parentId ? "secondary" : "primary"} pendingLabel="Posting…">
        {parentId ? "Post reply" : "Post comment"}
      </SubmitButton>
    </form>
  );
}

export function TrashCommentButton({ commentId }: { commentId: string }) {
  const [state, formAction, pending] = useActionState(trashCommentAction, initialActionState);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm("Move this comment to the trash?")) event.preventDefault();
      }}
      className="inline"
    >
      <input type="hidden" name="commentId" value={commentId} />
      <button type="submit" disabled={pending} className="text-xs font-medium text-slate-500 hover:text-red-700 hover:underline disabled:opacity-60">
        {pending ? "Moving…" : "Move to trash"}
      </button>
      {state.status === "error" && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}

