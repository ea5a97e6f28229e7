import { env } from "@/lib/env";
import { FileUploader } from "./file-uploader";

/** Upload form that creates a new file (version 1) in a folder or a task. */
export function UploadNewFile({ parent, maxBytes = env.UPLOAD_MAX_BYTES }: { parent: { type: "folder" | "task"; id: string }; maxBytes?: number }) {
  const uploadUrl = `/api/${parent.type === "folder" ? "folders" : "tasks"}/${encodeURIComponent(parent.id)}/files`;
  return <FileUploader uploadUrl={uploadUrl} maxBytes={maxBytes} submitLabel="Upload" linkToNewFile />;
}
