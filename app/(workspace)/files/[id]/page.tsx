import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CommentThread } from "@/components/comment-thread";
import { Badge, Card, EmptyState, PageHeader, buttonClass, formatBytes, formatDateTime } from "@/components/ui";
import { UploadNewVersion } from "@/components/upload-new-version";
import { listCommentThread } from "@/db/queries/comments";
import {
  findFileLocation,
  findVisibleFile,
  listFileRecipients,
  listFileVersions,
  listRecipientCandidates,
  type FileRecipientRow,
} from "@/db/queries/files";
import type { Recipient } from "@/db/schema";
import { requireCaller } from "@/lib/auth/caller";
import { canManageFile } from "@/lib/workspace/files";
import { viewerOf } from "@/lib/workspace/visibility";
import { DECISION_LABELS, RECIPIENT_ROLE_LABELS } from "./review-options";
import { AddRecipientForm, DecisionForm } from "./review-forms";
import { trashFileAction } from "./actions";
import { MoveToTrashButton } from "@/components/move-to-trash-button";

export const metadata: Metadata = { title: "File · Archivist" };

const DECISION_TONES = {
  pending: "gray",
  approved: "green",
  changes_requested: "yellow",
  rejected: "red",
} as const satisfies Record<Recipient["decision"], string>;

export default async function FilePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const caller = await requireCaller();
  const viewer = viewerOf(caller);
  const file = await findVisibleFile({ viewer, fileId: id });
  if (!file) notFound();

  const manages = canManageFile(viewer, file);
  const [location, versions, recipients, candidates] = await Promise.all([
    findFileLocation({ viewer, file }),
    listFileVersions({ fileId: file.id }),
    listFileRecipients({ fileId: file.id }),
    manages ? listRecipientCandidates({ organizationId: caller.organization.id }) : null,
  ]);
  const threads = await Promise.all(
    versions.map((version) =>
      listCommentThread({ organizationId: caller.organization.id, target: { type: "fileVersion", id: version.id } }),
    ),
  );
  const current = versions.find((version) => version.version === file.currentVersion);

  const breadcrumbs = [
    { href: "/folders", label: "Folders" },
    ...location.folders.map((folder) => ({ href: `/folders/${folder.id}`, label: folder.title })),
    ...(location.task?.parentTask ? [{ href: `/tasks/${location.task.parentTask.id}`, label: location.task.parentTask.title }] : []),
    ...(location.task ? [{ href: `/tasks/${location.task.id}`, label: location.task.title }] : []),
  ];

  return (
    <>
      <PageHeader
        title={<span className="break-all">{file.name}</span>}
        breadcrumbs={breadcrumbs}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{file.contentType}</span>
            <span>Version {file.currentVersion}</span>
            {current && <span>{formatBytes(current.sizeBytes)}</span>}
            <span>Added {formatDateTime(file.createdAt)}</span>
          </span>
        }
        actions={
          <>
            {current && (
              <a href={`/api/file-versions/${current.id}/download`} className={buttonClass.primary} download>
                Download current version
              </a>
            )}
            {manages && (
              <MoveToTrashButton
                action={trashFileAction}
                fields={{ fileId: file.id }}
                confirmation={`Move “${file.name}” to the trash? It can be restored from the trash for 30 days.`}
              />
            )}
          </>
        }
      />

      <Card title="Versions">
        {versions.length === 0 ? (
          <EmptyState title="No versions yet">Upload the first version below.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead>
                <tr className="text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <th scope="col" className="py-2 pr-4">Version</th>
                  <th scope="col" className="py-2 pr-4">UID</th>
                  <th scope="col" className="py-2 pr-4">Size</th>
                  <th scope="col" className="py-2 pr-4">SHA-256</th>
                  <th scope="col" className="py-2 pr-4">Uploaded by</th>
                  <th scope="col" className="py-2 pr-4">Uploaded</th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {versions.map((version) => (
                  <tr key={version.id}>
                    <td className="py-2 pr-4 font-medium text-slate-900">
                      {version.version}
                      {version.version === file.currentVersion && (
                        <span className="ml-2">
                          <Badge tone="blue">current</Badge>
                        </span>
                      )}
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs text-slate-700">{version.uid}</td>
                    <td className="py-2 pr-4 text-slate-700">{formatBytes(version.sizeBytes)}</td>
                    <td className="py-2 pr-4 font-mono text-xs text-slate-700">
                      <abbr title={version.sha256} className="no-underline">
                        {version.sha256.slice(0, 12)}…
                      </abbr>
                    </td>
                    <td className="py-2 pr-4 text-slate-700">{version.uploader?.name ?? "Former member"}</td>
                    <td className="py-2 pr-4 text-slate-700">{formatDateTime(version.uploadedAt)}</td>
                    <td className="py-2 text-right">
                      <a
                        href={`/api/file-versions/${version.id}/download`}
                        className={buttonClass.link}
                        download
                        aria-label={`Download version ${version.version}`}
                      >
                        Download
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title="Upload new version">
        <UploadNewVersion fileId={file.id} />
      </Card>

      <Card title="Reviewers">
        {recipients.length === 0 ? (
          <EmptyState title="Nobody has been asked to review this file">
            {manages ? "Add a member or a contact below." : "The file's creator or an administrator can add reviewers."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {recipients.map((recipient) => (
              <RecipientRow key={recipient.id} recipient={recipient} fileId={file.id} isViewer={recipient.user?.id === viewer.userId} />
            ))}
          </ul>
        )}
        {candidates && (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Add a recipient</h3>
            <AddRecipientForm fileId={file.id} members={candidates.members} contacts={candidates.contacts} />
          </div>
        )}
      </Card>

      <section aria-labelledby="file-comments-heading">
        <h2 id="file-comments-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Comments by version
        </h2>
        {versions.map((version, index) => (
          <details key={version.id} open={version.version === file.currentVersion} className="mb-4">
            <summary className="mb-2 cursor-pointer text-sm font-medium text-slate-800">
              {`Version ${version.version}${version.version === file.currentVersion ? " (current)" : ""} · ${commentCountLabel(threads[index] ?? [])}`}
            </summary>
            <CommentThread target={{ type: "fileVersion", id: version.id }} comments={threads[index] ?? []} />
          </details>
        ))}
      </section>
    </>
  );
}

function commentCountLabel(thread: { replies: unknown[] }[]): string {
  const total = thread.reduce((sum, comment) => sum + 1 + comment.replies.length, 0);
  return `${total} comment${total === 1 ? "" : "s"}`;
}

function RecipientRow({ recipient, fileId, isViewer }: { recipient: FileRecipientRow; fileId: string; isViewer: boolean }) {
  const person = recipient.user ?? recipient.contact;
  return (
    <li className="flex flex-wrap items-start justify-between gap-4 py-3">
      <div className="min-w-0 space-y-1">
        <p className="text-sm font-medium text-slate-900">
          {person?.name ?? "Former member"}
          {recipient.contact && <span className="ml-2 text-xs font-normal text-slate-500">Contact{recipient.contact.company ? `, ${recipient.contact.company}` : ""}</span>}
          {isViewer && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
        </p>
        <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
          <span>{RECIPIENT_ROLE_LABELS[recipient.role]}</span>
          <Badge tone={DECISION_TONES[recipient.decision]}>{DECISION_LABELS[recipient.decision]}</Badge>
          {recipient.decidedAt && <span>on {formatDateTime(recipient.decidedAt)}</span>}
        </p>
      </div>
      {isViewer && <DecisionForm fileId={fileId} recipientId={recipient.id} />}
    </li>
  );
}
