"use client";

import { useActionState, useState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms";
import { buttonClass, inputClass } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import { API_TOKEN_NAME_MAX_LENGTH } from "@/lib/api/token-schemas";
import { createApiTokenAction } from "./actions";

export function CreateTokenForm() {
  const [state, formAction] = useActionState(createApiTokenAction, initialActionState);
  const secret = state.status === "success" ? state.data?.secret : undefined;
  return (
    <div className="space-y-4">
      <form action={formAction} className="space-y-3">
        <FormMessage state={state} />
        <TextField label="Token name" name="name" state={state} required maxLength={API_TOKEN_NAME_MAX_LENGTH} autoComplete="off" />
        <p className="text-sm text-slate-600">Name it after where it will be used, e.g. “Nightly backup script”.</p>
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </form>
      {secret && <NewTokenSecret secret={secret} />}
    </div>
  );
}

function NewTokenSecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  }
  return (
    <div className="space-y-2 rounded-md bg-amber-50 p-3 ring-1 ring-inset ring-amber-200">
      <label htmlFor="new-token-secret" className="block text-sm font-semibold text-amber-900">
        Your new token
      </label>
      <div className="flex gap-2">
        <input
          id="new-token-secret"
          readOnly
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} font-mono`}
          aria-describedby="new-token-secret-hint"
        />
        <button type="button" onClick={copy} className={buttonClass.secondary}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p id="new-token-secret-hint" className="text-sm text-amber-900">
        Copy it now and keep it somewhere safe: this is the only time it is shown. Archivist stores only a hash of it.
      </p>
    </div>
  );
}
