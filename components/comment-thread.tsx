import type { CommentReplyView, CommentTarget, CommentView } from "@/db/queries/comments";
import { getCaller } from "@/lib/auth/caller";
import { canTrashComment } from "@/lib/workspace/comments";
import { Card, EmptyState, formatDateTime } from "./ui";
import { CommentForm, TrashCommentButton } from "./comment-form";

/**
 * A target's discussion: comments oldest first, each with its replies (one level), a reply form per
 * comment and a form for a new comment. Bodies are plain text; React escapes them.
 */
export async function CommentThread({ target, comments }: { target: CommentTarget; comments: CommentView[] }) {
  const caller = await getCaller();
  const viewer = caller ? { userId: caller.user.id, role: caller.role } : undefined;
  const mayTrash = (comment: CommentReplyView) =>
    viewer !== undefined && canTrashComment(viewer, { authorId: comment.author?.id ?? null });
  const count = comments.reduce((total, comment) => total + 1 + comment.replies.length, 0);
  return (
    <Card title={`Comments (${count})`}>
      {comments.length === 0 ? (
        <EmptyState title="No comments yet">Start the discussion below.</EmptyState>
      ) : (
        <ol className="space-y-5">
          {comments.map((comment) => (
            <li key={comment.id} className="space-y-3">
              <CommentBody comment={comment} canTrash={mayTrash(comment)} />
              {comment.replies.length > 0 && (
                <ol className="ml-6 space-y-3 border-l-2 border-slate-100 pl-4" aria-label="Replies">
                  {comment.replies.map((reply) => (
                    <li key={reply.id}>
                      <CommentBody comment={reply} canTrash={mayTrash(reply)} />
                    </li>
                  ))}
                </ol>
              )}
              <details className="ml-6 pl-4">
                <summary className="cursor-pointer text-xs font-medium text-indigo-700 hover:underline">Reply</summary>
                <div className="mt-2">
                  <CommentForm target={target} parentId={comment.id} />
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
      <div className="mt-6 border-t border-slate-100 pt-4">
        <CommentForm target={target} />
      </div>
    </Card>
  );
}

function CommentBody({ comment, canTrash }: { comment: CommentReplyView; canTrash: boolean }) {
  return (
    <article>
      <header className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium text-slate-900">{comment.author?.name ?? "Former member"}</span>
        <time dateTime={comment.createdAt.toISOString()} className="text-xs text-slate-500">
          {formatDateTime(comment.createdAt)}
        </time>
        {canTrash && <TrashCommentButton commentId={comment.id} />}
      </header>
      <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-700">{comment.body}</p>
    </article>
  );
}

export type { CommentTarget, CommentView } from "@/db/queries/comments";
