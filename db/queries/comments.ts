import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/connection";
import { comments, fileVersions, files, folders, tasks, users } from "@/db/schema";
import { visibleFileIdsSql, visibleFolderIdsSql, visibleTaskIdsSql, type Viewer } from "@/lib/workspace/visibility";

export const COMMENT_TARGET_TYPES = ["folder", "task", "fileVersion"] as const;
export type CommentTargetType = (typeof COMMENT_TARGET_TYPES)[number];
export type CommentTarget = { type: CommentTargetType; id: string };

export type CommentReplyView = {
  id: string;
  body: string;
  createdAt: Date;
  author: { id: string; name: string } | null;
};
export type CommentView = CommentReplyView & { replies: CommentReplyView[] };

function targetColumn(type: CommentTargetType) {
  if (type === "folder") return comments.folderId;
  if (type === "task") return comments.taskId;
  return comments.fileVersionId;
}

function targetColumns(target: CommentTarget) {
  return {
    folderId: target.type === "folder" ? target.id : null,
    taskId: target.type === "task" ? target.id : null,
    fileVersionId: target.type === "fileVersion" ? target.id : null,
  };
}

/** Non-trashed comments on one target, oldest first, with their (non-trashed) replies nested. */
export async function listCommentThread({
  organizationId,
  target,
  executor = db,
}: {
  organizationId: string;
  target: CommentTarget;
  executor?: Executor;
}): Promise<CommentView[]> {
  const rows = await executor
    .select({
      id: comments.id,
      parentId: comments.parentId,
      body: comments.body,
      createdAt: comments.createdAt,
      authorId: users.id,
      authorName: users.name,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(
      and(eq(comments.organizationId, organizationId), eq(targetColumn(target.type), target.id), isNull(comments.deletedAt)),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id));

  const topLevel = new Map<string, CommentView>();
  for (const row of rows) {
    if (row.parentId === null) topLevel.set(row.id, { ...toReplyView(row), replies: [] });
  }
  for (const row of rows) {
    if (row.parentId !== null) topLevel.get(row.parentId)?.replies.push(toReplyView(row));
  }
  return [...topLevel.values()];
}

function toReplyView(row: { id: string; body: string; createdAt: Date; authorId: string | null; authorName: string | null }) {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt,
    author: row.authorId && row.authorName !== null ? { id: row.authorId, name: row.authorName } : null,
  };
}

/**
 * The page a comment target lives on, if the target exists in the viewer's organization and the
 * viewer may see it; undefined otherwise (callers answer "not found" either way, revealing nothing).
 */
export async function findVisibleCommentTarget({
  viewer,
  target,
  executor = db,
}: {
  viewer: Viewer;
  target: CommentTarget;
  executor?: Executor;
}): Promise<{ pagePath: string } | undefined> {
  if (target.type === "folder") {
    const [row] = await executor
      .select({ id: folders.id })
      .from(folders)
      .where(and(eq(folders.id, target.id), eq(folders.organizationId, viewer.organizationId), sql`${folders.id} in ${visibleFolderIdsSql(viewer)}`))
      .limit(1);
    return row && { pagePath: `/folders/${row.id}` };
  }
  if (target.type === "task") {
    const [row] = await executor
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.id, target.id), eq(tasks.organizationId, viewer.organizationId), sql`${tasks.id} in ${visibleTaskIdsSql(viewer)}`))
      .limit(1);
    return row && { pagePath: `/tasks/${row.id}` };
  }
  const [row] = await executor
    .select({ fileId: files.id })
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .where(and(eq(fileVersions.id, target.id), eq(files.organizationId, viewer.organizationId), sql`${files.id} in ${visibleFileIdsSql(viewer)}`))
    .limit(1);
  return row && { pagePath: `/files/${row.fileId}` };
}

export async function findComment({ organizationId, id, executor = db }: { organizationId: string; id: string; executor?: Executor }) {
  const [row] = await executor
    .select()
    .from(comments)
    .where(and(eq(comments.id, id), eq(comments.organizationId, organizationId), isNull(comments.deletedAt)))
    .limit(1);
  return row;
}

export function targetOfComment(comment: { folderId: string | null; taskId: string | null; fileVersionId: string | null }): CommentTarget {
  if (comment.folderId) return { type: "folder", id: comment.folderId };
  if (comment.taskId) return { type: "task", id: comment.taskId };
  if (comment.fileVersionId) return { type: "fileVersion", id: comment.fileVersionId };
  throw new Error("Comment has no target");
}

export async function insertComment({
  organizationId,
  authorId,
  target,
  parentId,
  body,
  uid,
  executor = db,
}: {
  organizationId: string;
  authorId: string;
  target: CommentTarget;
  parentId: string | null;
  body: string;
  uid: string;
  executor?: Executor;
}) {
  const [row] = await executor
    .insert(comments)
    .values({ uid, organizationId, authorId, parentId, body, ...targetColumns(target) })
    .returning();
  if (!row) throw new Error("Comment insert returned no row");
  return row;
}

export async function markCommentTrashed({ organizationId, id, executor = db }: { organizationId: string; id: string; executor?: Executor }) {
  await executor
    .update(comments)
    .set({ deletedAt: new Date() })
    .where(and(eq(comments.id, id), eq(comments.organizationId, organizationId), isNull(comments.deletedAt)));
}
