import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/connection";
import {
  backupFileEntries,
  comments,
  contacts,
  fileVersions,
  files,
  folders,
  memberships,
  organizations,
  recipients,
  tasks,
  teamMembers,
  teams,
  timeLogs,
  users,
} from "@/db/schema";
import { visibleCommentIdsSql, visibleFileIdsSql, visibleFolderIdsSql, visibleTaskIdsSql, type Viewer } from "@/lib/workspace/visibility";

/**
 * What a backup exports, read inside the snapshot transaction: everything of the organization the
 * requester can see, nothing in the trash, no secrets (password hashes, tokens, sessions).
 */

const parentComments = alias(comments, "parent_comments");

export async function findExportOrganization({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  const [organization] = await executor
    .select({
      id: organizations.id,
      accountNumber: organizations.accountNumber,
      sid: organizations.sid,
      name: organizations.name,
      plan: organizations.plan,
      createdAt: organizations.createdAt,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return organization;
}

export async function findExportRequesterRole({ organizationId, userId, executor }: { organizationId: string; userId: string; executor: Executor }) {
  const [membership] = await executor
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return membership?.role;
}

export function listExportUsers({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select({ id: users.id, uid: users.uid, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.uid));
}

export function listExportTeams({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select({ uid: teams.uid, name: teams.name, createdAt: teams.createdAt, memberUids: sql<string[]>`coalesce(array_agg(${users.uid} order by ${users.uid}) filter (where ${users.uid} is not null), '{}')` })
    .from(teams)
    .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .leftJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teams.organizationId, organizationId))
    .groupBy(teams.id)
    .orderBy(asc(teams.uid));
}

export function listExportContacts({ organizationId, executor }: { organizationId: string; executor: Executor }) {
  return executor
    .select({ uid: contacts.uid, name: contacts.name, email: contacts.email, company: contacts.company, createdAt: contacts.createdAt })
    .from(contacts)
    .where(eq(contacts.organizationId, organizationId))
    .orderBy(asc(contacts.uid));
}

export function listExportFolders({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  const parent = alias(folders, "parent_folders");
  return executor
    .select({
      id: folders.id,
      uid: folders.uid,
      parentUid: parent.uid,
      title: folders.title,
      description: folders.description,
      authorUid: users.uid,
      visibility: folders.visibility,
      isProject: folders.isProject,
      projectStatus: folders.projectStatus,
      startDate: folders.startDate,
      endDate: folders.endDate,
      createdAt: folders.createdAt,
      updatedAt: folders.updatedAt,
      sharedUids: sql<string[]>`coalesce((select array_agg(su.uid order by su.uid) from folder_shares fs join users su on su.id = fs.user_id where fs.folder_id = ${folders.id}), '{}')`,
    })
    .from(folders)
    .leftJoin(parent, eq(parent.id, folders.parentId))
    .leftJoin(users, eq(users.id, folders.authorId))
    .where(sql`${folders.id} in ${visibleFolderIdsSql(viewer)}`)
    .orderBy(asc(folders.uid));
}

export function listExportTasks({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  const parent = alias(tasks, "parent_tasks");
  return executor
    .select({
      id: tasks.id,
      uid: tasks.uid,
      parentUid: parent.uid,
      title: tasks.title,
      descriptionHtml: tasks.descriptionHtml,
      status: tasks.status,
      importance: tasks.importance,
      authorUid: users.uid,
      createdAt: tasks.createdAt,
      updatedAt: tasks.updatedAt,
      folderUids: sql<string[]>`coalesce((select array_agg(f.uid order by f.uid) from task_folders tf join folders f on f.id = tf.folder_id where tf.task_id = ${tasks.id} and f.id in ${visibleFolderIdsSql(viewer)}), '{}')`,
      assigneeUids: sql<string[]>`coalesce((select array_agg(au.uid order by au.uid) from task_assignees ta join users au on au.id = ta.user_id where ta.task_id = ${tasks.id}), '{}')`,
    })
    .from(tasks)
    .leftJoin(parent, eq(parent.id, tasks.parentTaskId))
    .leftJoin(users, eq(users.id, tasks.authorId))
    .where(sql`${tasks.id} in ${visibleTaskIdsSql(viewer)}`)
    .orderBy(asc(tasks.uid));
}

export function listExportTimeLogs({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  return executor
    .select({
      uid: timeLogs.uid,
      taskUid: tasks.uid,
      taskTitle: tasks.title,
      userUid: users.uid,
      userName: users.name,
      loggedOn: timeLogs.loggedOn,
      hours: timeLogs.hours,
      comment: timeLogs.comment,
      createdAt: timeLogs.createdAt,
    })
    .from(timeLogs)
    .innerJoin(tasks, eq(tasks.id, timeLogs.taskId))
    .leftJoin(users, eq(users.id, timeLogs.userId))
    .where(sql`${timeLogs.taskId} in ${visibleTaskIdsSql(viewer)}`)
    .orderBy(asc(timeLogs.uid));
}

export function listExportFiles({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  return executor
    .select({
      id: files.id,
      uid: files.uid,
      name: files.name,
      contentType: files.contentType,
      currentVersion: files.currentVersion,
      folderUid: folders.uid,
      folderTitle: folders.title,
      taskUid: tasks.uid,
      taskTitle: tasks.title,
      creatorUid: users.uid,
      creatorName: users.name,
      createdAt: files.createdAt,
    })
    .from(files)
    .leftJoin(folders, eq(folders.id, files.folderId))
    .leftJoin(tasks, eq(tasks.id, files.taskId))
    .leftJoin(users, eq(users.id, files.createdBy))
    .where(sql`${files.id} in ${visibleFileIdsSql(viewer)}`)
    .orderBy(asc(files.uid));
}

export function listExportFileVersions({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  return executor
    .select({
      id: fileVersions.id,
      uid: fileVersions.uid,
      fileUid: files.uid,
      fileName: files.name,
      contentType: files.contentType,
      version: fileVersions.version,
      sizeBytes: fileVersions.sizeBytes,
      sha256: fileVersions.sha256,
      storageKey: fileVersions.storageKey,
      uploaderUid: users.uid,
      uploaderName: users.name,
      uploadedAt: fileVersions.uploadedAt,
    })
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .leftJoin(users, eq(users.id, fileVersions.uploadedBy))
    .where(sql`${fileVersions.fileId} in ${visibleFileIdsSql(viewer)}`)
    .orderBy(asc(files.uid), asc(fileVersions.version));
}

export function listExportRecipients({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  return executor
    .select({
      uid: recipients.uid,
      fileUid: files.uid,
      fileName: files.name,
      userUid: users.uid,
      userName: users.name,
      userEmail: users.email,
      contactUid: contacts.uid,
      contactName: contacts.name,
      contactEmail: contacts.email,
      role: recipients.role,
      decision: recipients.decision,
      decidedAt: recipients.decidedAt,
      createdAt: recipients.createdAt,
    })
    .from(recipients)
    .innerJoin(files, eq(files.id, recipients.fileId))
    .leftJoin(users, eq(users.id, recipients.userId))
    .leftJoin(contacts, eq(contacts.id, recipients.contactId))
    .where(sql`${recipients.fileId} in ${visibleFileIdsSql(viewer)}`)
    .orderBy(asc(recipients.uid));
}

export function listExportComments({ viewer, executor }: { viewer: Viewer; executor: Executor }) {
  const commentFolders = alias(folders, "comment_folders");
  const commentTasks = alias(tasks, "comment_tasks");
  const commentVersions = alias(fileVersions, "comment_versions");
  const commentFiles = alias(files, "comment_files");
  return executor
    .select({
      uid: comments.uid,
      parentUid: parentComments.uid,
      authorUid: users.uid,
      authorName: users.name,
      body: comments.body,
      createdAt: comments.createdAt,
      folderUid: commentFolders.uid,
      folderTitle: commentFolders.title,
      taskUid: commentTasks.uid,
      taskTitle: commentTasks.title,
      versionUid: commentVersions.uid,
      version: commentVersions.version,
      fileUid: commentFiles.uid,
      fileName: commentFiles.name,
    })
    .from(comments)
    .leftJoin(parentComments, eq(parentComments.id, comments.parentId))
    .leftJoin(users, eq(users.id, comments.authorId))
    .leftJoin(commentFolders, eq(commentFolders.id, comments.folderId))
    .leftJoin(commentTasks, eq(commentTasks.id, comments.taskId))
    .leftJoin(commentVersions, eq(commentVersions.id, comments.fileVersionId))
    .leftJoin(commentFiles, eq(commentFiles.id, commentVersions.fileId))
    .where(sql`${comments.id} in ${visibleCommentIdsSql(viewer)}`)
    .orderBy(asc(comments.createdAt), asc(comments.uid));
}

/** Freezes the file versions a backup packs, in archive order (by file uid, then version). */
export async function insertBackupFileEntries({
  backupId,
  entries,
  executor,
}: {
  backupId: string;
  entries: { fileVersionId: string; fileUid: string; versionUid: string; version: number; fileName: string; contentType: string; storageKey: string; sizeBytes: number; sha256: string }[];
  executor: Executor;
}) {
  await executor.delete(backupFileEntries).where(eq(backupFileEntries.backupId, backupId));
  const chunkSize = 1000;
  for (let start = 0; start < entries.length; start += chunkSize) {
    await executor.insert(backupFileEntries).values(entries.slice(start, start + chunkSize).map((entry, index) => ({ ...entry, backupId, seq: start + index })));
  }
}
