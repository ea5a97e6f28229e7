import "server-only";
import { z } from "zod";
import {
  COMMENT_TARGET_TYPES,
  findComment,
  findVisibleCommentTarget,
  insertComment,
  markCommentTrashed,
  targetOfComment,
  type CommentTarget,
} from "@/db/queries/comments";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import { blankAsNull, parseInput } from "./parse-input";
import type { Viewer } from "./visibility";

export const COMMENT_BODY_MAX = 5_000;

export const addCommentSchema = z.object({
  targetType: z.enum(COMMENT_TARGET_TYPES, "Choose what the comment is about."),
  targetId: z.uuid("The item to comment on was not found."),
  parentId: blankAsNull(z.uuid("The comment you are replying to was not found.")),
  body: z
    .string("Write a comment first.")
    .trim()
    .min(1, "Write a comment first.")
    .max(COMMENT_BODY_MAX, `A comment can be at most ${COMMENT_BODY_MAX.toLocaleString("en-US")} characters.`),
});

export const trashCommentSchema = z.object({ commentId: z.uuid("That comment was not found.") });

/**
 * Adds a comment (or a reply to a top-level comment on the same target) on something the viewer
 * can see. Returns the page to refresh.
 */
export async function addComment({ viewer, input }: { viewer: Viewer; input: z.input<typeof addCommentSchema> }) {
  const { targetType, targetId, parentId, body } = parseInput(addCommentSchema, input);
  const target: CommentTarget = { type: targetType, id: targetId };
  const found = await findVisibleCommentTarget({ viewer, target });
  if (!found) throw notFound("The item you are commenting on");
  if (parentId) {
    const parent = await findComment({ organizationId: viewer.organizationId, id: parentId });
    if (!parent) throw notFound("The comment you are replying to");
    const parentTarget = targetOfComment(parent);
    if (parentTarget.type !== target.type || parentTarget.id !== target.id) {
      throw new AppError("invalid_input", "You can only reply to a comment on the same item.", { field: "parentId" });
    }
    if (parent.parentId !== null) {
      throw new AppError("invalid_input", "Replies cannot be replied to; reply to the original comment instead.", {
        field: "parentId",
      });
    }
  }
  const comment = await insertComment({
    organizationId: viewer.organizationId,
    authorId: viewer.userId,
    target,
    parentId,
    body,
    uid: newUid(),
  });
  return { comment, pagePath: found.pagePath };
}

/** Moves a comment to the trash: its author may, and so may admins and owners. */
export async function trashComment({ viewer, input }: { viewer: Viewer; input: z.input<typeof trashCommentSchema> }) {
  const { commentId } = parseInput(trashCommentSchema, input);
  const comment = await findComment({ organizationId: viewer.organizationId, id: commentId });
  if (!comment) throw notFound("That comment");
  const found = await findVisibleCommentTarget({ viewer, target: targetOfComment(comment) });
  if (!found) throw notFound("That comment");
  if (!canTrashComment(viewer, comment)) throw forbidden("Only the comment's author or an administrator can move it to the trash.");
  await markCommentTrashed({ organizationId: viewer.organizationId, id: comment.id });
  return { pagePath: found.pagePath };
}

export function canTrashComment(viewer: Pick<Viewer, "userId" | "role">, comment: { authorId: string | null }): boolean {
  return viewer.role === "owner" || viewer.role === "admin" || comment.authorId === viewer.userId;
}
