"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms";
import { inputClass } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import { addRecipientAction, recordDecisionAction } from "./actions";
import { DECISION_LABELS, RECIPIENT_ROLE_LABELS, RECIPIENT_ROLES, RECORDABLE_DECISIONS } from "./review-options";

type Person = { id: string; name: string; email: string };

export function AddRecipientForm({
  fileId,
  members,
  contacts,
}: {
  fileId: string;
  members: Person[];
  contacts: (Person & { company: string | null })[];
}) {
  const [state, formAction] = useActionState(addRecipientAction, initialActionState);
  const personError = state.fieldErrors?.person;
  const roleError = state.fieldErrors?.role;
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="fileId" value={fileId} />
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="recipient-person" className="block text-sm font-medium text-slate-800">
            Person
          </label>
          <select
            id="recipient-person"
            name="person"
            required
            defaultValue={state.fields?.person ?? ""}
            aria-invalid={personError ? true : undefined}
            aria-describedby={personError ? "recipient-person-error" : undefined}
            className={inputClass}
          >
            <option value="" disabled>
              Choose a member or a contact…
            </option>
            <optgroup label="Members">
              {members.map((member) => (
                <option key={member.id} value={`user:${member.id}`}>
                  {member.name} ({member.email})
                </option>
              ))}
            </optgroup>
            {contacts.length > 0 && (
              <optgroup label="Contacts">
                {contacts.map((contact) => (
                  <option key={contact.id} value={`contact:${contact.id}`}>
                    {contact.name}
                    {contact.company ? `, ${contact.company}` : ""} ({contact.email})
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          {personError && (
            <p id="recipient-person-error" className="text-sm text-red-700">
              {personError}
            </p>
          )}
        </div>
        <div className="space-y-1">
          <label htmlFor="recipient-role" className="block text-sm font-medium text-slate-800">
            Role
          </label>
          <select
            id="recipient-role"
            name="role"
            defaultValue={state.fields?.role ?? "reviewer"}
            aria-invalid={roleError ? true : undefined}
            className={inputClass}
          >
            {RECIPIENT_ROLES.map((role) => (
              <option key={role} value={role}>
                {RECIPIENT_ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          {roleError && <p className="text-sm text-red-700">{roleError}</p>}
        </div>
      </div>
      <SubmitButton variant="secondary" pendingLabel="Adding…">
        Add recipient
      </SubmitButton>
    </form>
  );
}

export function DecisionForm({ fileId, recipientId }: { fileId: string; recipientId: string }) {
  const [state, formAction] = useActionState(recordDecisionAction, initialActionState);
  const id = `decision-${recipientId}`;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="fileId" value={fileId} />
      <input type="hidden" name="recipientId" value={recipientId} />
      <FormMessage state={state} />
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={id} className="block text-xs font-medium text-slate-700">
            Your decision
          </label>
          <select id={id} name="decision" defaultValue={state.fields?.decision ?? "approved"} className={inputClass}>
            {RECORDABLE_DECISIONS.map((decision) => (
              <option key={decision} value={decision}>
                {DECISION_LABELS[decision]}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          Record decision
        </SubmitButton>
      </div>
    </form>
  );
}
