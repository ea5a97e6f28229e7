"use client";

import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/action-state";
import { Alert, buttonClass, inputClass } from "./ui";

export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
}: {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: keyof typeof buttonClass;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={buttonClass[variant]} disabled={pending} aria-disabled={pending}>
      {pending ? (pendingLabel ?? "Working…") : children}
    </button>
  );
}

export function FormMessage({ state }: { state: ActionState }) {
  if (state.status === "error" && state.error) return <Alert>{state.error}</Alert>;
  if (state.status === "success" && state.message) return <Alert tone="success">{state.message}</Alert>;
  return null;
}

export function TextField({
  label,
  name,
  state,
  type = "text",
  required,
  defaultValue,
  multiline,
  maxLength,
  autoComplete,
}: {
  label: string;
  name: string;
  state: ActionState;
  type?: string;
  required?: boolean;
  defaultValue?: string;
  multiline?: boolean;
  maxLength?: number;
  autoComplete?: string;
}) {
  const error = state.fieldErrors?.[name];
  const value = state.fields?.[name] ?? defaultValue;
  const id = `field-${name}`;
  const shared = {
    id,
    name,
    required,
    maxLength,
    defaultValue: value,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
    className: inputClass,
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {multiline ? <textarea rows={3} {...shared} /> : <input type={type} autoComplete={autoComplete} {...shared} />}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
