import {
  apiTokens,
  comments,
  contacts,
  fileVersions,
  files,
  folderShares,
  folders,
  memberships,
  organizations,
  recipients,
  taskAssignees,
  taskFolders,
  tasks,
  teamMembers,
  teams,
  timeLogs,
  users,
} from "@/db/schema";
import type { Viewer } from "@/lib/workspace/visibility";

/** Every row of the workspace tables, read raw (the app's modules load lazily: lib/env parses the environment once). */
export async function readWorkspace() {
  const { db } = await import("@/db/connection");
  return {
    organizations: await db.select().from(organizations),
    users: await db.select().from(users),
    memberships: await db.select().from(memberships),
    teams: await db.select().from(teams),
    teamMembers: await db.select().from(teamMembers),
    contacts: await db.select().from(contacts),
    folders: await db.select().from(folders),
    folderShares: await db.select().from(folderShares),
    tasks: await db.select().from(tasks),
    taskFolders: await db.select().from(taskFolders),
    taskAssignees: await db.select().from(taskAssignees),
    timeLogs: await db.select().from(timeLogs),
    files: await db.select().from(files),
    fileVersions: await db.select().from(fileVersions),
    recipients: await db.select().from(recipients),
    comments: await db.select().from(comments),
    apiTokens: await db.select().from(apiTokens),
  };
}
export type Workspace = Awaited<ReturnType<typeof readWorkspace>>;

/**
 * What a requester may see (SPEC §2): no trash, nothing under a trashed folder or task, private
 * folders only when shared with the requester (owners see all). Worked out in plain code from the
 * raw rows, not with the SQL the exporter uses, so the two can disagree.
 */
export function visibleTo(ws: Workspace, viewer: Viewer) {
  const folderById = byId(ws.folders);
  const folderVisible = (id: string): boolean => {
    const folder = folderById.get(id);
    if (!folder || folder.deletedAt || folder.organizationId !== viewer.organizationId) return false;
    const shared = viewer.role === "owner" || folder.visibility === "organization" || ws.folderShares.some((share) => share.folderId === id && share.userId === viewer.userId);
    return shared && (!folder.parentId || folderVisible(folder.parentId));
  };
  const taskById = byId(ws.tasks);
  const taskVisible = (id: string): boolean => {
    const task = taskById.get(id);
    if (!task || task.deletedAt || task.organizationId !== viewer.organizationId) return false;
    if (task.parentTaskId) return taskVisible(task.parentTaskId);
    const links = ws.taskFolders.filter((link) => link.taskId === id);
    return links.length === 0 || links.some((link) => folderVisible(link.folderId));
  };
  const visibleFiles = ws.files.filter(
    (file) => file.organizationId === viewer.organizationId && !file.deletedAt && (file.folderId ? folderVisible(file.folderId) : taskVisible(file.taskId!)),
  );
  const fileIds = new Set(visibleFiles.map((file) => file.id));
  const versions = ws.fileVersions.filter((version) => fileIds.has(version.fileId));
  const versionIds = new Set(versions.map((version) => version.id));
  const commentById = byId(ws.comments);
  const visibleTasks = ws.tasks.filter((task) => taskVisible(task.id));
  const taskIds = new Set(visibleTasks.map((task) => task.id));
  const memberIds = new Set(ws.memberships.filter((membership) => membership.organizationId === viewer.organizationId).map((membership) => membership.userId));
  return {
    folderVisible,
    users: ws.users.filter((user) => memberIds.has(user.id)),
    teams: ws.teams.filter((team) => team.organizationId === viewer.organizationId),
    contacts: ws.contacts.filter((contact) => contact.organizationId === viewer.organizationId),
    folders: ws.folders.filter((folder) => folderVisible(folder.id)),
    tasks: visibleTasks,
    files: visibleFiles,
    versions,
    comments: ws.comments.filter(
      (comment) =>
        comment.organizationId === viewer.organizationId &&
        !comment.deletedAt &&
        !(comment.parentId && commentById.get(comment.parentId)?.deletedAt) &&
        (comment.folderId ? folderVisible(comment.folderId) : comment.taskId ? taskVisible(comment.taskId) : versionIds.has(comment.fileVersionId!)),
    ),
    timeLogs: ws.timeLogs.filter((log) => taskIds.has(log.taskId)),
    recipients: ws.recipients.filter((recipient) => fileIds.has(recipient.fileId)),
  };
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
