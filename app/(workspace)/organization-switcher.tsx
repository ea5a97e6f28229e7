"use client";

import { useActionState } from "react";
import { initialActionState } from "@/lib/action-state";
import { switchOrganizationAction } from "./actions";

export function OrganizationSwitcher({
  organizations,
  activeId,
}: {
  organizations: { id: string; name: string }[];
  activeId: string;
}) {
  const [state, formAction, pending] = useActionState(switchOrganizationAction, initialActionState);
  return (
    <form action={formAction} className="space-y-1">
      <label htmlFor="organization-switcher" className="block text-xs font-medium uppercase tracking-wide text-slate-400">
        Organization
      </label>
      <select
        id="organization-switcher"
        name="organizationId"
        defaultValue={activeId}
        disabled={pending}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="block w-full rounded-md border-0 bg-slate-800 px-2 py-1.5 text-sm text-white ring-1 ring-slate-700"
      >
        {organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </select>
      {state.status === "error" && <p className="text-xs text-red-300">{state.error}</p>}
    </form>
  );
}
