"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms";
import { Badge, formatDate, formatDateTime } from "@/components/ui";
import { initialActionState } from "@/lib/action-state";
import type { TrashItem } from "@/lib/workspace/trash";
import { restoreTrashItemAction } from "./actions";

const TYPE_LABELS: Record<TrashItem["type"], string> = { folder: "Folder", task: "Task", file: "File", comment: "Comment" };

export function TrashTable({ items }: { items: TrashItem[] }) {
  const [state, formAction] = useActionState(restoreTrashItemAction, initialActionState);
  return (
    <div className="space-y-3">
      <FormMessage state={state} />
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead>
            <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-2 pr-4">Type</th>
              <th scope="col" className="py-2 pr-4">Name</th>
              <th scope="col" className="py-2 pr-4">Was in</th>
              <th scope="col" className="py-2 pr-4">Deleted</th>
              <th scope="col" className="py-2 pr-4">Purged on</th>
              <th scope="col" className="py-2 text-right">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((item) => (
              <tr key={`${item.type}-${item.id}`} className="align-top">
                <td className="py-3 pr-4">
                  <Badge>{TYPE_LABELS[item.type]}</Badge>
                </td>
                <td className="max-w-xs break-words py-3 pr-4 font-medium text-slate-900">{item.title}</td>
                <td className="max-w-xs break-words py-3 pr-4 text-slate-600">{item.location}</td>
                <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDateTime(item.deletedAt)}</td>
                <td className="whitespace-nowrap py-3 pr-4 text-slate-600">{formatDate(item.purgesAt)}</td>
                <td className="py-3 text-right">
                  {item.canRestore ? (
                    <form action={formAction}>
                      <input type="hidden" name="type" value={item.type} />
                      <input type="hidden" name="id" value={item.id} />
                      <SubmitButton variant="secondary" pendingLabel="Restoring…">
                        Restore<span className="sr-only"> {item.title}</span>
                      </SubmitButton>
                    </form>
                  ) : (
                    <span className="text-xs text-slate-500">Only its author or an admin can restore it</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
