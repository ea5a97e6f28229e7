"use client";

import { useActionState, useEffect, useRef } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms";
import { inputClass } from "@/components/ui";
import { initialActionState, type ActionState } from "@/lib/action-state";
import { IMPORTANCE_LABELS, TASK_IMPORTANCES, TASK_STATUSES, TASK_STATUS_LABELS } from "@/lib/workspace/options";

type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** Empties a form once its action succeeded, so the next item starts from a blank form. */
function useResetOnSuccess(state: ActionState) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") formRef.current?.reset();
  }, [state]);
  return formRef;
}

export function CreateTaskForm({
  action,
  parent,
  submitLabel,
}: {
  action: FormAction;
  parent: { folderId: string } | { parentTaskId: string };
  submitLabel: string;
}) {
  const [state, formAction] = useActionState(action, initialActionState);
  const formRef = useResetOnSuccess(state);
  return (
    <form ref={formRef} action={formAction} className="space-y-4">
      {"folderId" in parent ? (
        <input type="hidden" name="folderId" value={parent.folderId} />
      ) : (
        <input type="hidden" name="parentTaskId" value={parent.parentTaskId} />
      )}
      <FormMessage state={state} />
      <TextField label="Title" name="title" required maxLength={200} state={state} />
      <div className="space-y-1">
        <TextField label="Description" name="descriptionHtml" multiline maxLength={50000} state={state} />
        <p className="text-xs text-slate-500">Basic HTML is kept: paragraphs, bold, italics, lists, links, code, headings and quotes.</p>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Status" name="status" state={state} defaultValue="active" options={TASK_STATUSES.map((value) => [value, TASK_STATUS_LABELS[value]])} />
        <SelectField
          label="Importance"
          name="importance"
          state={state}
          defaultValue="normal"
          options={TASK_IMPORTANCES.map((value) => [value, IMPORTANCE_LABELS[value]])}
        />
      </div>
      <SubmitButton pendingLabel="Creating…">{submitLabel}</SubmitButton>
    </form>
  );
}

function SelectField({
  label,
  name,
  state,
  defaultValue,
  options,
}: {
  label: string;
  name: string;
  state: ActionState;
  defaultValue: string;
  options: (readonly [string, string])[];
}) {
  const error = state.fieldErrors?.[name];
  const id = `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} defaultValue={state.fields?.[name] ?? defaultValue} className={inputClass} aria-invalid={error ? true : undefined}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {error && <p className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

export function LogTimeForm({ action, taskId, today }: { action: FormAction; taskId: string; today: string }) {
  const [state, formAction] = useActionState(action, initialActionState);
  const formRef = useResetOnSuccess(state);
  return (
    <form ref={formRef} action={formAction} className="space-y-4">
      <input type="hidden" name="taskId" value={taskId} />
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Date" name="loggedOn" type="date" required defaultValue={today} state={state} />
        <HoursField state={state} />
      </div>
      <TextField label="Comment" name="comment" maxLength={1000} state={state} />
      <SubmitButton pendingLabel="Logging…">Log time</SubmitButton>
    </form>
  );
}

function HoursField({ state }: { state: ActionState }) {
  const error = state.fieldErrors?.hours;
  return (
    <div className="space-y-1">
      <label htmlFor="field-hours" className="block text-sm font-medium text-slate-800">
        Hours
      </label>
      <input
        id="field-hours"
        name="hours"
        type="number"
        min={0.25}
        max={24}
        step={0.25}
        required
        defaultValue={state.fields?.hours}
        aria-invalid={error ? true : undefined}
        className={inputClass}
      />
      {error && <p className="text-sm text-red-700">{error}</p>}
    </div>
  );
}
