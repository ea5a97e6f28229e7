"use client";

import Link from "next/link";
import { startTransition, useActionState, useState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms";
import { buttonClass, formatBytes, inputClass } from "@/components/ui";
import { initialActionState, type ActionState } from "@/lib/action-state";
import { BACKUP_CONFIG, estimateBackupPrice, formatPrice, formatRate } from "@/lib/backups/config";
import { BACKUP_FORMATS, CSV_ENCODINGS } from "@/lib/backups/request-schema";
import { CSV_ENCODING_LABELS, FORMAT_LABELS } from "../backup-options";
import { requestBackupAction } from "./actions";

const checkboxClass = "mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600";

export function BackupRequestForm({
  contentBytes,
  includeFilesByDefault,
  offersBi,
}: {
  /** Bytes of every file version not in the trash: what a backup with files packs. */
  contentBytes: number;
  /** Off while only a data-only backup may be requested (its cooldown is shorter). */
  includeFilesByDefault: boolean;
  /** The BI export is an Enterprise option. */
  offersBi: boolean;
}) {
  const [state, formAction] = useActionState(requestBackupAction, initialActionState);
  const [includeFiles, setIncludeFiles] = useState(includeFilesByDefault);
  const price = estimateBackupPrice({ contentBytes: includeFiles ? contentBytes : 0 });
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        // React resets a form submitted through its action prop once the action returns, and resets
        // checkboxes and selects with it even when controlled (react#31695). A refused request must
        // keep every choice, so submit in a transition of our own, which React does not reset.
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      className="space-y-5"
    >
      <FormMessage state={state} />
      <TextField label="Name" name="name" required maxLength={100} state={state} />
      <TextField label="Description" name="description" multiline maxLength={1000} state={state} />

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-800">What to include</legend>
        <Checkbox
          name="includeFiles"
          label="Include files"
          help="The content of every version of every file, as uploaded. Without it the archive holds the data only (folders, tasks, comments, file details)."
          checked={includeFiles}
          onChange={setIncludeFiles}
        />
        {offersBi && (
          <Checkbox
            name="includeBi"
            label="Include BI export"
            help="One flat CSV per fact (tasks, time logs, comments, file versions) with names instead of ids, ready for a BI tool."
          />
        )}
      </fieldset>

      <fieldset className="space-y-2" aria-describedby={state.fieldErrors?.formats ? "formats-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Data formats</legend>
        <div className="flex gap-6">
          {BACKUP_FORMATS.map((format) => (
            <label key={format} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="formats" value={format} defaultChecked className={checkboxClass} />
              {FORMAT_LABELS[format]}
            </label>
          ))}
        </div>
        <FieldError id="formats-error" state={state} name="formats" />
      </fieldset>

      <div className="max-w-xs space-y-1">
        <label htmlFor="field-csvEncoding" className="block text-sm font-medium text-slate-800">
          CSV encoding
        </label>
        <select id="field-csvEncoding" name="csvEncoding" defaultValue="utf-8" className={inputClass}>
          {CSV_ENCODINGS.map((encoding) => (
            <option key={encoding} value={encoding}>
              {CSV_ENCODING_LABELS[encoding]}
            </option>
          ))}
        </select>
        <FieldError id="csvEncoding-error" state={state} name="csvEncoding" />
      </div>

      <section aria-labelledby="backup-price-heading" className="rounded-md bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
        <h2 id="backup-price-heading" className="text-sm font-semibold text-slate-900">
          Price
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-slate-600">This backup (processing)</dt>
          <dd className="font-medium text-slate-900" data-testid="processing-price">
            {formatPrice(price.processingUsd)}
          </dd>
          <dt className="text-slate-600">Keeping it (storage)</dt>
          <dd className="font-medium text-slate-900" data-testid="storage-price">
            {formatPrice(price.storagePerMonthUsd)} per month
          </dd>
        </dl>
        <p className="mt-2 text-xs text-slate-500">
          {includeFiles
            ? `Estimated from the ${formatBytes(contentBytes)} of file content in your organization today (the trash is not counted).`
            : "Without files only the data is packed."}{" "}
          Processing costs {formatRate(BACKUP_CONFIG.price.processingBaseUsd)} plus{" "}
          {formatRate(BACKUP_CONFIG.price.processingPerGibUsd)} per GiB packed; storage costs{" "}
          {formatRate(BACKUP_CONFIG.price.storagePerGibMonthUsd)} per GiB per month until the backup expires or is deleted.
        </p>
      </section>

      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Requesting…">Request backup</SubmitButton>
        <Link href="/settings/backups" className={buttonClass.secondary}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function Checkbox({
  name,
  label,
  help,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  help: string;
  checked?: boolean;
  onChange?: (checked: boolean) => void;
}) {
  const id = `field-${name}`;
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        onChange={onChange && ((event) => onChange(event.target.checked))}
        aria-describedby={`${id}-help`}
        className={checkboxClass}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          {label}
        </label>
        <p id={`${id}-help`} className="text-sm text-slate-600">
          {help}
        </p>
      </div>
    </div>
  );
}

function FieldError({ id, state, name }: { id: string; state: ActionState; name: string }) {
  const error = state.fieldErrors?.[name];
  return error ? (
    <p id={id} className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}
