"use client";

import { useActionState, useState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms";
import { inputClass } from "@/components/ui";
import { initialActionState, type ActionState } from "@/lib/action-state";
import { PROJECT_STATUSES } from "@/lib/workspace/options";
import { createFolderAction } from "./actions";

type Member = { id: string; name: string; email: string };

export function CreateFolderForm({ parentId, members, currentUserId }: { parentId?: string; members: Member[]; currentUserId: string }) {
  const [state, formAction] = useActionState(createFolderAction, initialActionState);
  const [visibility, setVisibility] = useState(state.fields?.visibility ?? "organization");
  const [isProject, setIsProject] = useState(state.fields?.isProject === "on");
  const others = members.filter((member) => member.id !== currentUserId);
  return (
    <form action={formAction} className="space-y-4">
      {parentId && <input type="hidden" name="parentId" value={parentId} />}
      <FormMessage state={state} />
      <TextField label="Title" name="title" required maxLength={200} state={state} />
      <TextField label="Description" name="description" multiline maxLength={5000} state={state} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-800">Who can see it</legend>
        {(
          [
            ["organization", "Everyone in the organization" + (parentId ? " who can see this folder" : "")],
            ["private", "Only people I share it with (and owners)"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="visibility" value={value} checked={visibility === value} onChange={() => setVisibility(value)} />
            {label}
          </label>
        ))}
        <FieldError state={state} name="visibility" />
      </fieldset>
      {visibility === "private" && (
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">Share with</legend>
          {others.length === 0 ? (
            <p className="text-sm text-slate-500">No other members yet: only you and the owners will see it.</p>
          ) : (
            others.map((member) => (
              <label key={member.id} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="sharedWith" value={member.id} />
                {member.name} <span className="text-slate-500">{member.email}</span>
              </label>
            ))
          )}
          <FieldError state={state} name="sharedWith" />
        </fieldset>
      )}
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" name="isProject" checked={isProject} onChange={(event) => setIsProject(event.target.checked)} />
        This folder is a project
      </label>
      {isProject && (
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="space-y-1">
            <label htmlFor="field-projectStatus" className="block text-sm font-medium text-slate-800">
              Project status
            </label>
            <select id="field-projectStatus" name="projectStatus" defaultValue={state.fields?.projectStatus ?? "Not started"} className={inputClass}>
              {PROJECT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
            <FieldError state={state} name="projectStatus" />
          </div>
          <TextField label="Start date" name="startDate" type="date" state={state} />
          <TextField label="End date" name="endDate" type="date" state={state} />
        </div>
      )}
      <SubmitButton pendingLabel="Creating…">{parentId ? "Create subfolder" : "Create folder"}</SubmitButton>
    </form>
  );
}

function FieldError({ state, name }: { state: ActionState; name: string }) {
  const error = state.fieldErrors?.[name];
  return error ? <p className="text-sm text-red-700">{error}</p> : null;
}
