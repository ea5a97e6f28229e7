import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { fileVersions, files } from "@/db/schema";
import { visibleFileIdsSql, type Viewer } from "@/lib/workspace/visibility";

export type FileParent = { type: "folder" | "task"; id: string };

/** Files attached to a folder or a task that the viewer may see, with their current version's size. */
export async function listAttachedFiles({ viewer, parent, executor = db }: { viewer: Viewer; parent: FileParent; executor?: Executor }) {
  return executor
    .select({
      id: files.id,
      name: files.name,
      contentType: files.contentType,
      currentVersion: files.currentVersion,
      sizeBytes: fileVersions.sizeBytes,
      uploadedAt: fileVersions.uploadedAt,
    })
    .from(files)
    .leftJoin(fileVersions, and(eq(fileVersions.fileId, files.id), eq(fileVersions.version, files.currentVersion)))
    .where(
      and(
        eq(files.organizationId, viewer.organizationId),
        eq(parent.type === "folder" ? files.folderId : files.taskId, parent.id),
        sql`${files.id} in ${visibleFileIdsSql(viewer)}`,
      ),
    )
    .orderBy(asc(files.name), asc(files.id));
}
