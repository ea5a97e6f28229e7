import Link from "next/link";
import { UploadNewFile } from "@/components/upload-new-file";
import { Card, EmptyState, formatBytes, formatDateTime, DataTable } from "@/components/ui";
import type { listAttachedFiles, FileParent } from "@/db/queries/attached-files";

type AttachedFile = Awaited<ReturnType<typeof listAttachedFiles>>[number];

/** The files attached to a folder or a task, with the form that uploads a new one there. */
export function AttachedFilesCard({ parent, files }: { parent: FileParent; files: AttachedFile[] }) {
  return (
    <Card title={`Files (${files.length})`}>
      {files.length === 0 ? (
        <EmptyState title="No files yet">Upload the first one below.</EmptyState>
      ) : (
        <DataTable columns={["Name", "Version", "Type", "Size", "Updated"]}>
              {files.map((file) => (
                <tr key={file.id}>
                  <td className="py-2 pr-4">
                    <Link href={`/files/${file.id}`} className="font-medium text-indigo-700 hover:underline">
                      {file.name}
                    </Link>
                  </td>
                  <td className="py-2 pr-4 text-slate-700">v{file.currentVersion}</td>
                  <td className="py-2 pr-4 text-slate-600">{file.contentType}</td>
                  <td className="py-2 pr-4 text-slate-600">{file.sizeBytes === null ? "—" : formatBytes(file.sizeBytes)}</td>
                  <td className="py-2 text-slate-600">{formatDateTime(file.uploadedAt)}</td>
                </tr>
              ))}
            </DataTable>
      )}
      <div className="mt-4 border-t border-slate-100 pt-4">
        <UploadNewFile parent={parent} />
      </div>
    </Card>
  );
}
