import { Badge, formatDate } from "@/components/ui";

type FolderFlags = {
  visibility: "organization" | "private";
  isProject: boolean;
  projectStatus: string | null;
  startDate: string | null;
  endDate: string | null;
};

const STATUS_TONES: Record<string, "green" | "yellow" | "red" | "blue" | "gray"> = {
  "In progress": "blue",
  "At risk": "red",
  "On hold": "yellow",
  Completed: "green",
};

/** The marks a folder carries wherever it is listed: project (status, dates) and private. */
export function FolderBadges({ folder }: { folder: FolderFlags }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {folder.isProject && <Badge tone="blue">Project</Badge>}
      {folder.isProject && folder.projectStatus && <Badge tone={STATUS_TONES[folder.projectStatus] ?? "gray"}>{folder.projectStatus}</Badge>}
      {folder.isProject && (folder.startDate || folder.endDate) && (
        <span className="text-xs text-slate-500">
          {formatDate(folder.startDate)} – {formatDate(folder.endDate)}
        </span>
      )}
      {folder.visibility === "private" && <Badge tone="yellow">Private</Badge>}
    </span>
  );
}
