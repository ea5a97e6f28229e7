import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "@/db/connection";
import {
  contacts,
  fileVersions,
  files,
  folders,
  memberships,
  recipients,
  taskFolders,
  tasks,
  users,
  type FileRecord,
  type Recipient,
} from "@/db/schema";
import {
  visibleFileIdsSql,
  visibleFolderIdsSql,
  visibleTaskIdsSql,
  type Viewer,
} from "@/lib/workspace/visibility";

/** The file if the viewer may see it in their organization (not trashed, not in a folder hidden from them). */
export async function findVisibleFile({
  viewer,
  fileId,
  executor = db,
}: {
  viewer: Viewer;
  fileId: string;
  executor?: Executor;
}): Promise<FileRecord | undefined> {
  const [file] = await executor
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), sql`${files.id} in ${visibleFileIdsSql(viewer)}`))
    .limit(1);
  return file;
}

/**
 * Same as findVisibleFile, but holds the row locked until the transaction ends so that concurrent
 * uploads of new versions take their version numbers one after the other.
 */
export async function lockVisibleFile({ viewer, fileId, executor }: { viewer: Viewer; fileId: string; executor: Executor }) {
  const [file] = await executor
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), sql`${files.id} in ${visibleFileIdsSql(viewer)}`))
    .for("update");
  return file;
}

export async function findVisibleFolder({
  viewer,
  folderId,
  executor = db,
}: {
  viewer: Viewer;
  folderId: string;
  executor?: Executor;
}) {
  const [folder] = await executor
    .select({ id: folders.id, title: folders.title, organizationId: folders.organizationId })
    .from(folders)
    .where(and(eq(folders.id, folderId), sql`${folders.id} in ${visibleFolderIdsSql(viewer)}`))
    .limit(1);
  return folder;
}

export async function findVisibleTask({ viewer, taskId, executor = db }: { viewer: Viewer; taskId: string; executor?: Executor }) {
  const [task] = await executor
    .select({ id: tasks.id, title: tasks.title, organizationId: tasks.organizationId, parentTaskId: tasks.parentTaskId })
    .from(tasks)
    .where(and(eq(tasks.id, taskId), sql`${tasks.id} in ${visibleTaskIdsSql(viewer)}`))
    .limit(1);
  return task;
}

/** A version with its file, if the viewer may see that file. */
export async function findVisibleFileVersion({
  viewer,
  versionId,
  executor = db,
}: {
  viewer: Viewer;
  versionId: string;
  executor?: Executor;
}) {
  const [row] = await executor
    .select({ version: fileVersions, file: files })
    .from(fileVersions)
    .innerJoin(files, eq(files.id, fileVersions.fileId))
    .where(and(eq(fileVersions.id, versionId), sql`${files.id} in ${visibleFileIdsSql(viewer)}`))
    .limit(1);
  return row;
}

export async function listFileVersions({ fileId, executor = db }: { fileId: string; executor?: Executor }) {
  return executor
    .select({
      id: fileVersions.id,
      uid: fileVersions.uid,
      version: fileVersions.version,
      sizeBytes: fileVersions.sizeBytes,
      sha256: fileVersions.sha256,
      uploadedAt: fileVersions.uploadedAt,
      uploader: { id: users.id, name: users.name },
    })
    .from(fileVersions)
    .leftJoin(users, eq(users.id, fileVersions.uploadedBy))
    .where(eq(fileVersions.fileId, fileId))
    .orderBy(sql`${fileVersions.version} desc`);
}

export async function insertFile({
  executor,
  values,
}: {
  executor: Executor;
  values: Pick<FileRecord, "uid" | "organizationId" | "folderId" | "taskId" | "name" | "contentType" | "createdBy">;
}) {
  const [file] = await executor.insert(files).values({ ...values, currentVersion: 0 }).returning();
  if (!file) throw new Error("Inserting the file returned no row");
  return file;
}

/** Records the next version of a file the caller has already locked, and makes it the current one. */
export async function insertNextFileVersion({
  executor,
  file,
  version,
  contentType,
}: {
  executor: Executor;
  file: Pick<FileRecord, "id" | "currentVersion">;
  version: { uid: string; sizeBytes: number; sha256: string; storageKey: string; uploadedBy: string };
  contentType?: string;
}) {
  const number = file.currentVersion + 1;
  const [inserted] = await executor
    .insert(fileVersions)
    .values({ ...version, fileId: file.id, version: number })
    .returning();
  if (!inserted) throw new Error("Inserting the file version returned no row");
  await executor
    .update(files)
    .set({ currentVersion: number, ...(contentType ? { contentType } : {}) })
    .where(eq(files.id, file.id));
  return inserted;
}

export type FileRecipientRow = Awaited<ReturnType<typeof listFileRecipients>>[number];

export async function listFileRecipients({ fileId, executor = db }: { fileId: string; executor?: Executor }) {
  return executor
    .select({
      id: recipients.id,
      uid: recipients.uid,
      role: recipients.role,
      decision: recipients.decision,
      decidedAt: recipients.decidedAt,
      createdAt: recipients.createdAt,
      user: { id: users.id, name: users.name, email: users.email },
      contact: { id: contacts.id, name: contacts.name, email: contacts.email, company: contacts.company },
    })
    .from(recipients)
    .leftJoin(users, eq(users.id, recipients.userId))
    .leftJoin(contacts, eq(contacts.id, recipients.contactId))
    .where(eq(recipients.fileId, fileId))
    .orderBy(asc(recipients.createdAt), asc(recipients.id));
}

/** The people of an organization who can be asked to review a file: its members and its contacts. */
export async function listRecipientCandidates({ organizationId, executor = db }: { organizationId: string; executor?: Executor }) {
  const [members, organizationContacts] = await Promise.all([
    executor
      .select({ id: users.id, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, organizationId))
      .orderBy(asc(users.name)),
    executor
      .select({ id: contacts.id, name: contacts.name, email: contacts.email, company: contacts.company })
      .from(contacts)
      .where(eq(contacts.organizationId, organizationId))
      .orderBy(asc(contacts.name)),
  ]);
  return { members, contacts: organizationContacts };
}

export async function findMemberUser({
  organizationId,
  userId,
  executor = db,
}: {
  organizationId: string;
  userId: string;
  executor?: Executor;
}) {
  const [user] = await executor
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .limit(1);
  return user;
}

export async function findContact({
  organizationId,
  contactId,
  executor = db,
}: {
  organizationId: string;
  contactId: string;
  executor?: Executor;
}) {
  const [contact] = await executor
    .select({ id: contacts.id, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, contactId)))
    .limit(1);
  return contact;
}

export async function findRecipientOfFile({
  fileId,
  person,
  executor = db,
}: {
  fileId: string;
  person: { userId: string } | { contactId: string };
  executor?: Executor;
}) {
  const personCondition = "userId" in person ? eq(recipients.userId, person.userId) : eq(recipients.contactId, person.contactId);
  const [recipient] = await executor
    .select()
    .from(recipients)
    .where(and(eq(recipients.fileId, fileId), personCondition))
    .limit(1);
  return recipient;
}

export async function insertRecipient({
  executor = db,
  values,
}: {
  executor?: Executor;
  values: Pick<Recipient, "uid" | "fileId" | "userId" | "contactId" | "role">;
}) {
  const [recipient] = await executor.insert(recipients).values(values).returning();
  if (!recipient) throw new Error("Inserting the recipient returned no row");
  return recipient;
}

export async function findRecipient({ recipientId, executor = db }: { recipientId: string; executor?: Executor }) {
  const [recipient] = await executor.select().from(recipients).where(eq(recipients.id, recipientId)).limit(1);
  return recipient;
}

export async function updateRecipientDecision({
  recipientId,
  decision,
  decidedAt,
  executor = db,
}: {
  recipientId: string;
  decision: Recipient["decision"];
  decidedAt: Date;
  executor?: Executor;
}) {
  const [recipient] = await executor
    .update(recipients)
    .set({ decision, decidedAt })
    .where(eq(recipients.id, recipientId))
    .returning();
  return recipient;
}

export async function markFileTrashed({ fileId, executor = db }: { fileId: string; executor?: Executor }) {
  const [file] = await executor
    .update(files)
    .set({ deletedAt: new Date() })
    .where(and(eq(files.id, fileId), isNull(files.deletedAt)))
    .returning({ id: files.id });
  return file;
}

/** The chain of folders from the root down to (and including) the given folder. */
export async function listFolderPath({ folderId, executor = db }: { folderId: string; executor?: Executor }) {
  const chain = await executor
    .select({ id: folders.id, title: folders.title, parentId: folders.parentId })
    .from(folders)
    .where(
      sql`${folders.id} in (
        with recursive chain as (
          select f.id, f.parent_id from folders f where f.id = ${folderId}
          union all
          select p.id, p.parent_id from folders p join chain c on p.id = c.parent_id
        )
        select id from chain
      )`,
    );
  const byId = new Map(chain.map((folder) => [folder.id, folder]));
  const path: { id: string; title: string }[] = [];
  for (let folder = byId.get(folderId); folder; folder = folder.parentId ? byId.get(folder.parentId) : undefined) {
    path.unshift({ id: folder.id, title: folder.title });
  }
  return path;
}

/** Where a file lives, for its breadcrumbs: the folder path, or the task (with a visible folder of it). */
export async function findFileLocation({ viewer, file, executor = db }: { viewer: Viewer; file: FileRecord; executor?: Executor }) {
  if (file.folderId) {
    return { folders: await listFolderPath({ folderId: file.folderId, executor }), task: null };
  }
  if (!file.taskId) return { folders: [], task: null };
  const parentTask = alias(tasks, "parent_task");
  const [task] = await executor
    .select({ id: tasks.id, title: tasks.title, parentTask: { id: parentTask.id, title: parentTask.title } })
    .from(tasks)
    .leftJoin(parentTask, eq(parentTask.id, tasks.parentTaskId))
    .where(eq(tasks.id, file.taskId))
    .limit(1);
  if (!task) return { folders: [], task: null };
  const [link] = await executor
    .select({ folderId: taskFolders.folderId })
    .from(taskFolders)
    .where(and(eq(taskFolders.taskId, task.parentTask?.id ?? task.id), sql`${taskFolders.folderId} in ${visibleFolderIdsSql(viewer)}`))
    .limit(1);
  return {
    folders: link ? await listFolderPath({ folderId: link.folderId, executor }) : [],
    task: { id: task.id, title: task.title, parentTask: task.parentTask },
  };
}
