"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms";
import { initialActionState } from "@/lib/action-state";
import type { Role } from "@/db/schema";
import { changeMemberRoleAction } from "./actions";

const ROLE_OPTIONS: Role[] = ["owner", "admin", "member"];

export function RoleForm({ userId, name, role }: { userId: string; name: string; role: Role }) {
  const [state, formAction] = useActionState(changeMemberRoleAction, initialActionState);
  const selectId = `role-${userId}`;
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="userId" value={userId} />
      <div className="flex items-center gap-2">
        <label htmlFor={selectId} className="sr-only">
          Role of {name}
        </label>
        {/* Keyed by role so that after a change the select shows the role now stored, not the one it mounted with. */}
        <select
          key={role}
          id={selectId}
          name="role"
          defaultValue={role}
          className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
        >
          {ROLE_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {option[0]!.toUpperCase() + option.slice(1)}
            </option>
          ))}
        </select>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          Change role
        </SubmitButton>
      </div>
      {state.status === "error" && state.error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {state.error}
        </p>
      )}
      {state.status === "success" && state.message && (
        <p role="status" className="max-w-xs text-right text-xs text-emerald-700">
          {state.message}
        </p>
      )}
    </form>
  );
}
