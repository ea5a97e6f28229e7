import Link from "next/link";
import { Badge, EmptyState, DataTable } from "@/components/ui";
import { IMPORTANCE_LABELS, TASK_STATUS_LABELS } from "@/lib/workspace/options";

type TaskRow = {
  id: string;
  title: string;
  status: keyof typeof TASK_STATUS_LABELS;
  importance: keyof typeof IMPORTANCE_LABELS;
  assignees: { id: string; name: string }[];
};

const STATUS_TONES = { active: "blue", completed: "green", deferred: "yellow", cancelled: "gray" } as const;
const IMPORTANCE_TONES = { high: "red", normal: "gray", low: "gray" } as const;

export function TaskStatusBadge({ status }: { status: TaskRow["status"] }) {
  return <Badge tone={STATUS_TONES[status]}>{TASK_STATUS_LABELS[status]}</Badge>;
}

export function ImportanceBadge({ importance }: { importance: TaskRow["importance"] }) {
  return <Badge tone={IMPORTANCE_TONES[importance]}>{IMPORTANCE_LABELS[importance]}</Badge>;
}

export function TaskTable({ tasks, emptyTitle, emptyHint }: { tasks: TaskRow[]; emptyTitle: string; emptyHint: string }) {
  if (tasks.length === 0) return <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>;
  return (
    <DataTable columns={["Title", "Status", "Importance", "Assignees"]}>
          {tasks.map((task) => (
            <tr key={task.id}>
              <td className="py-2 pr-4">
                <Link href={`/tasks/${task.id}`} className="font-medium text-indigo-700 hover:underline">
                  {task.title}
                </Link>
              </td>
              <td className="py-2 pr-4">
                <TaskStatusBadge status={task.status} />
              </td>
              <td className="py-2 pr-4">
                <ImportanceBadge importance={task.importance} />
              </td>
              <td className="py-2 text-slate-700">
                {task.assignees.length === 0 ? <span className="text-slate-400">Unassigned</span> : task.assignees.map((user) => user.name).join(", ")}
              </td>
            </tr>
          ))}
        </DataTable>
  );
}
