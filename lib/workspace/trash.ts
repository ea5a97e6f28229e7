import "server-only";
import { db, type Executor } from "@/db/connection";
import { insertAuditEvent } from "@/db/queries/audit-events";
import {
  clearDeletedAt,
  deleteExpiredTrash,
  findCommentPlacement,
  findFilePlacement,
  findFolderPlacement,
  findTaskPlacement,
  findTrashedFolderInChain,
  findTrashedItem,
  findTrashedTaskInChain,
  hasExpiredTrash,
  isVisibleInWorkspace,
  listExpiredVersionStorageKeys,
  listTaskFolderIds,
  listTrashedComments,
  listTrashedFiles,
  listTrashedFolders,
  listTrashedTasks,
  lockExpiredTrash,
  type TrashItemType,
} from "@/db/queries/trash";
import { AppError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import type { Viewer } from "./visibility";

export { TRASH_ITEM_TYPES, type TrashItemType } from "@/db/queries/trash";

export const TRASH_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const COMMENT_TITLE_LENGTH = 80;

/** Items deleted before this instant have outlived the retention period. */
export function trashCutoff(now: Date): Date {
  return new Date(now.getTime() - TRASH_RETENTION_DAYS * DAY_MS);
}

export function purgeDateOf(deletedAt: Date): Date {
  return new Date(deletedAt.getTime() + TRASH_RETENTION_DAYS * DAY_MS);
}

export type TrashItem = {
  type: TrashItemType;
  id: string;
  title: string;
  location: string;
  deletedAt: Date;
  purgesAt: Date;
  canRestore: boolean;
};

function canRestore(viewer: Viewer, authorId: string | null): boolean {
  return viewer.role !== "member" || authorId === viewer.userId;
}

export function commentTitle(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > COMMENT_TITLE_LENGTH ? `${flat.slice(0, COMMENT_TITLE_LENGTH).trimEnd()}…` : flat;
}

const quoted = (text: string) => `“${text}”`;

/** Everything of the viewer's organization in the trash that they could see once restored, newest first. */
export async function listTrash({ viewer, now = new Date() }: { viewer: Viewer; now?: Date }): Promise<TrashItem[]> {
  const query = { viewer, deletedSince: trashCutoff(now) };
  const [trashedFolders, trashedTasks, trashedFiles, trashedComments] = await Promise.all([
    listTrashedFolders(query),
    listTrashedTasks(query),
    listTrashedFiles(query),
    listTrashedComments(query),
  ]);
  const item = (type: TrashItemType, row: { id: string; authorId: string | null; deletedAt: Date | null }, title: string, location: string): TrashItem => {
    const deletedAt = row.deletedAt!;
    return { type, id: row.id, title, location, deletedAt, purgesAt: purgeDateOf(deletedAt), canRestore: canRestore(viewer, row.authorId) };
  };
  const items = [
    ...trashedFolders.map((row) =>
      item("folder", row, row.title, row.parentTitle ? `Folder ${quoted(row.parentTitle)}` : "Top level"),
    ),
    ...trashedTasks.map((row) =>
      item(
        "task",
        row,
        row.title,
        row.parentTaskTitle
          ? `Subtask of ${quoted(row.parentTaskTitle)}`
          : row.folderTitles
            ? `Folder ${quoted(row.folderTitles)}`
            : "Organization-wide tasks",
      ),
    ),
    ...trashedFiles.map((row) =>
      item("file", row, row.name, row.folderTitle ? `Folder ${quoted(row.folderTitle)}` : `Task ${quoted(row.taskTitle ?? "")}`),
    ),
    ...trashedComments.map((row) =>
      item(
        "comment",
        row,
        commentTitle(row.body),
        row.taskTitle
          ? `Task ${quoted(row.taskTitle)}`
          : row.folderTitle
            ? `Folder ${quoted(row.folderTitle)}`
            : `File ${quoted(row.fileName ?? "")}, version ${row.fileVersion}`,
      ),
    ),
  ];
  return items.sort((a, b) => b.deletedAt.getTime() - a.deletedAt.getTime());
}

/**
 * Takes one item out of the trash. Only its author or an administrator may, and only when it lands
 * somewhere visible: an item inside something that is still in the trash would stay hidden, so the
 * container has to be restored first.
 */
export async function restoreTrashItem({
  viewer,
  type,
  id,
  now = new Date(),
}: {
  viewer: Viewer;
  type: TrashItemType;
  id: string;
  now?: Date;
}): Promise<{ title: string }> {
  const item = await findTrashedItem({ viewer, type, id, deletedSince: trashCutoff(now) });
  if (!item) throw new AppError("not_found", "That item is no longer in the trash.");
  if (!canRestore(viewer, item.authorId)) {
    throw new AppError("forbidden", "Only the person who created this item or an administrator can restore it.");
  }
  const title = type === "comment" ? commentTitle(item.title) : item.title;
  await db.transaction(async (tx) => {
    const restored = await clearDeletedAt({ type, id, organizationId: viewer.organizationId, executor: tx });
    if (!restored) throw new AppError("not_found", "That item is no longer in the trash.");
    if (!(await isVisibleInWorkspace({ viewer, type, id, executor: tx }))) {
      throw new AppError("conflict", await blockedRestoreMessage({ type, id, title, executor: tx }));
    }
    await insertAuditEvent({
      organizationId: viewer.organizationId,
      actorId: viewer.userId,
      action: "trash.restored",
      targetType: type,
      targetId: id,
      metadata: { title },
      executor: tx,
    });
  });
  return { title };
}

type Blocker = { kind: TrashItemType; title: string };

async function blockedRestoreMessage({
  type,
  id,
  title,
  executor,
}: {
  type: TrashItemType;
  id: string;
  title: string;
  executor: Executor;
}): Promise<string> {
  const blocker = await findBlocker(type, id, executor);
  if (!blocker) return `${quoted(title)} is inside something that is also in the trash. Restore that first.`;
  if (blocker.kind === "comment") return "This is a reply to a comment that is also in the trash. Restore that comment first.";
  return `${quoted(title)} is inside the ${blocker.kind} ${quoted(blocker.title)}, which is also in the trash. Restore ${quoted(blocker.title)} first.`;
}

async function findBlocker(type: TrashItemType, id: string, executor: Executor): Promise<Blocker | undefined> {
  switch (type) {
    case "folder": {
      const placement = await findFolderPlacement({ id, executor });
      return placement?.parentId ? folderBlocker(placement.parentId, executor) : undefined;
    }
    case "task":
      return taskBlocker(id, { includeSelf: false }, executor);
    case "file":
      return fileBlocker(id, { includeSelf: false }, executor);
    case "comment": {
      const placement = await findCommentPlacement({ id, executor });
      if (!placement) return undefined;
      if (placement.parentBody !== null) return { kind: "comment", title: commentTitle(placement.parentBody) };
      if (placement.taskId) return taskBlocker(placement.taskId, { includeSelf: true }, executor);
      if (placement.folderId) return folderBlocker(placement.folderId, executor);
      if (placement.fileId) return fileBlocker(placement.fileId, { includeSelf: true }, executor);
      return undefined;
    }
  }
}

async function folderBlocker(folderId: string, executor: Executor): Promise<Blocker | undefined> {
  const trashed = await findTrashedFolderInChain({ folderId, executor });
  return trashed && { kind: "folder", title: trashed.title };
}

async function taskBlocker(taskId: string, { includeSelf }: { includeSelf: boolean }, executor: Executor): Promise<Blocker | undefined> {
  const placement = await findTaskPlacement({ id: taskId, executor });
  if (!placement) return undefined;
  const start = includeSelf ? taskId : placement.parentTaskId;
  const trashedTask = start ? await findTrashedTaskInChain({ taskId: start, executor }) : undefined;
  if (trashedTask) return { kind: "task", title: trashedTask.title };
  for (const folderId of await listTaskFolderIds({ taskId, executor })) {
    const blocker = await folderBlocker(folderId, executor);
    if (blocker) return blocker;
  }
  return placement.parentTaskId ? taskBlocker(placement.parentTaskId, { includeSelf: false }, executor) : undefined;
}

async function fileBlocker(fileId: string, { includeSelf }: { includeSelf: boolean }, executor: Executor): Promise<Blocker | undefined> {
  const placement = await findFilePlacement({ id: fileId, executor });
  if (!placement) return undefined;
  if (includeSelf && placement.deletedAt) return { kind: "file", title: placement.name };
  if (placement.folderId) return folderBlocker(placement.folderId, executor);
  if (placement.taskId) return taskBlocker(placement.taskId, { includeSelf: true }, executor);
  return undefined;
}

export type PurgeResult = { folders: number; tasks: number; files: number; comments: number; blobsDeleted: number };

/**
 * Deletes everything that has been in the trash longer than the retention period, with what the
 * database cascade removes beneath it, then the stored content of every file version removed.
 * Blobs go only after the rows are committed, so a failed purge never leaves rows without content.
 */
export async function purgeExpiredTrash({ now = new Date() }: { now?: Date } = {}): Promise<PurgeResult> {
  const cutoff = trashCutoff(now);
  if (!(await hasExpiredTrash({ cutoff }))) return { folders: 0, tasks: 0, files: 0, comments: 0, blobsDeleted: 0 };
  const { counts, storageKeys } = await db.transaction(async (tx) => {
    await lockExpiredTrash({ cutoff, executor: tx });
    const storageKeys = await listExpiredVersionStorageKeys({ cutoff, executor: tx });
    const counts = await deleteExpiredTrash({ cutoff, executor: tx });
    return { counts, storageKeys };
  });
  let blobsDeleted = 0;
  for (const key of new Set(storageKeys)) {
    try {
      await storage().delete(key);
      blobsDeleted += 1;
    } catch (error) {
      // The rows are gone either way; an orphaned blob costs storage, not correctness.
      console.error(`Could not delete the stored content ${key} of a purged file version`, error);
    }
  }
  return { ...counts, blobsDeleted };
}
