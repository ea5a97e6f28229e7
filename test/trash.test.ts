import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { listAuditEvents } from "@/db/queries/audit-events";
import { findUserByEmail } from "@/db/queries/users";
import { comments, fileVersions, files, folders, organizations, taskFolders, tasks, type Role } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { newUid } from "@/lib/ids";
import { fileVersionKey, storage } from "@/lib/storage";
import { listTrash, purgeExpiredTrash, restoreTrashItem, type TrashItemType } from "@/lib/workspace/trash";
import type { Viewer } from "@/lib/workspace/visibility";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

let demoCoId: string;
let otherIncId: string;
const userIds: Record<string, string> = {};

async function viewer(email: string, role: Role, organizationId = demoCoId): Promise<Viewer> {
  return { organizationId, userId: userIds[email]!, role };
}

async function folderId(title: string) {
  const [row] = await db.select({ id: folders.id }).from(folders).where(eq(folders.title, title));
  if (!row) throw new Error(`demo folder ${title} missing`);
  return row.id;
}

async function createFolder(values: { title: string; parentId?: string; authorEmail?: string; deletedAt?: Date; organizationId?: string }) {
  const [row] = await db
    .insert(folders)
    .values({
      uid: newUid(),
      organizationId: values.organizationId ?? demoCoId,
      parentId: values.parentId,
      title: values.title,
      authorId: userIds[values.authorEmail ?? "owner@demo.test"],
      deletedAt: values.deletedAt,
    })
    .returning();
  return row!;
}

async function createTask(values: { title: string; folderIds?: string[]; authorEmail?: string; deletedAt?: Date }) {
  const [row] = await db
    .insert(tasks)
    .values({ uid: newUid(), organizationId: demoCoId, title: values.title, authorId: userIds[values.authorEmail ?? "owner@demo.test"], deletedAt: values.deletedAt })
    .returning();
  for (const folderId of values.folderIds ?? []) await db.insert(taskFolders).values({ taskId: row!.id, folderId });
  return row!;
}

/** A file with two stored versions; returns the file and the storage keys of its versions. */
async function createFile(values: { name: string; folderId?: string; taskId?: string; deletedAt?: Date; authorEmail?: string }) {
  const [file] = await db
    .insert(files)
    .values({
      uid: newUid(),
      organizationId: demoCoId,
      folderId: values.folderId,
      taskId: values.taskId,
      name: values.name,
      contentType: "text/plain",
      currentVersion: 2,
      createdBy: userIds[values.authorEmail ?? "owner@demo.test"],
      deletedAt: values.deletedAt,
    })
    .returning();
  const keys: string[] = [];
  for (const version of [1, 2]) {
    const versionUid = newUid();
    const storageKey = fileVersionKey({ organizationId: demoCoId, versionUid });
    const stored = await storage().put(storageKey, Buffer.from(`${values.name} v${version}`));
    await db.insert(fileVersions).values({
      uid: versionUid,
      fileId: file!.id,
      version,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      storageKey,
      uploadedBy: userIds["owner@demo.test"],
    });
    keys.push(storageKey);
  }
  return { file: file!, keys };
}

async function deletedAtOf(type: TrashItemType, id: string) {
  const table = { folder: folders, task: tasks, file: files, comment: comments }[type];
  const [row] = await db.select({ deletedAt: table.deletedAt }).from(table).where(eq(table.id, id));
  return row?.deletedAt;
}

async function expectAppError(promise: Promise<unknown>, code: AppError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

beforeAll(async () => {
  const orgs = await db.select({ id: organizations.id, name: organizations.name }).from(organizations);
  demoCoId = orgs.find((org) => org.name === "Demo Co")!.id;
  otherIncId = orgs.find((org) => org.name === "Other Inc")!.id;
  for (const email of ["owner@demo.test", "admin@demo.test", "member@demo.test", "other-admin@demo.test"]) {
    userIds[email] = (await findUserByEmail({ email }))!.id;
  }
});

describe("listing the trash", () => {
  it("shows the organization's trashed items newest first, without expired ones or other organizations' items", async () => {
    const otherTrash = await createFolder({ title: "Other Inc trashed folder", organizationId: otherIncId, deletedAt: daysAgo(1) });
    const items = await listTrash({ viewer: await viewer("owner@demo.test", "owner") });
    const titles = items.map((item) => item.title);

    expect(titles).toContain("Print flyers for the trade fair");
    expect(titles).toContain("logo-draft-old.png");
    // Deleted 45 and 35 days ago: past the 30 days, so no longer restorable.
    expect(titles).not.toContain("Spring campaign 2023");
    expect(titles).not.toContain("Ignore this — wrong thread.");
    expect(titles).not.toContain(otherTrash.title);

    const times = items.map((item) => item.deletedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const flyers = items.find((item) => item.title === "Print flyers for the trade fair")!;
    expect(flyers).toMatchObject({ type: "task", location: "Folder “Website Relaunch”", canRestore: true });
    expect(flyers.purgesAt.getTime() - flyers.deletedAt.getTime()).toBe(30 * DAY);
    const logo = items.find((item) => item.title === "logo-draft-old.png")!;
    expect(logo).toMatchObject({ type: "file", location: "Folder “Design assets”" });
  });

  it("shows a trashed comment by its first 80 characters", async () => {
    const body = `${"A long comment about the homepage hero, ".repeat(4)}end`;
    const [comment] = await db
      .insert(comments)
      .values({ uid: newUid(), organizationId: demoCoId, authorId: userIds["member@demo.test"], folderId: await folderId("Marketing"), body, deletedAt: daysAgo(2) })
      .returning();
    const items = await listTrash({ viewer: await viewer("member@demo.test", "member") });
    const listed = items.find((item) => item.id === comment!.id)!;
    expect(listed.type).toBe("comment");
    expect(listed.title).toBe(`${body.slice(0, 80).trimEnd()}…`);
    expect(listed.location).toBe("Folder “Marketing”");
    expect(listed.canRestore).toBe(true);
  });

  it("applies the private-folder rule to trashed items: shared users and owners see them, others do not", async () => {
    const leadership = await folderId("Leadership – confidential");
    const trashedPrivate = await createFolder({ title: "Trashed board notes", parentId: leadership, deletedAt: daysAgo(1) });
    const { file } = await createFile({ name: "secret-plan.txt", folderId: trashedPrivate.id, deletedAt: daysAgo(1) });

    const seenBy = async (email: string, role: Role) =>
      (await listTrash({ viewer: await viewer(email, role) })).map((item) => item.id);
    expect(await seenBy("owner@demo.test", "owner")).toEqual(expect.arrayContaining([trashedPrivate.id, file.id]));
    expect(await seenBy("member@demo.test", "member")).toEqual(expect.arrayContaining([trashedPrivate.id, file.id]));
    const admin = await seenBy("admin@demo.test", "admin");
    expect(admin).not.toContain(trashedPrivate.id);
    expect(admin).not.toContain(file.id);

    await expectAppError(
      restoreTrashItem({ viewer: await viewer("admin@demo.test", "admin"), type: "folder", id: trashedPrivate.id }),
      "not_found",
    );
    expect(await deletedAtOf("folder", trashedPrivate.id)).not.toBeNull();
  });
});

describe("restoring from the trash", () => {
  it("lets an admin restore someone else's item and records it", async () => {
    const task = await createTask({ title: "Trashed by the owner", folderIds: [await folderId("Operations")], deletedAt: daysAgo(2) });
    const restored = await restoreTrashItem({ viewer: await viewer("admin@demo.test", "admin"), type: "task", id: task.id });
    expect(restored.title).toBe("Trashed by the owner");
    expect(await deletedAtOf("task", task.id)).toBeNull();
    const events = await listAuditEvents({ organizationId: demoCoId, action: "trash.restored" });
    expect(events.find((event) => event.targetId === task.id)).toMatchObject({ actorId: userIds["admin@demo.test"], targetType: "task" });
  });

  it("lets a member restore their own item but not someone else's", async () => {
    const own = await createTask({ title: "Maya's own task", authorEmail: "member@demo.test", deletedAt: daysAgo(1) });
    const others = await createTask({ title: "Olivia's task", authorEmail: "owner@demo.test", deletedAt: daysAgo(1) });
    const member = await viewer("member@demo.test", "member");

    const listed = await listTrash({ viewer: member });
    expect(listed.find((item) => item.id === own.id)?.canRestore).toBe(true);
    expect(listed.find((item) => item.id === others.id)?.canRestore).toBe(false);

    await expectAppError(restoreTrashItem({ viewer: member, type: "task", id: others.id }), "forbidden");
    expect(await deletedAtOf("task", others.id)).not.toBeNull();

    await restoreTrashItem({ viewer: member, type: "task", id: own.id });
    expect(await deletedAtOf("task", own.id)).toBeNull();
  });

  it("refuses to restore a folder whose parent is still in the trash, until the parent is restored", async () => {
    const parent = await createFolder({ title: "Old campaigns", parentId: await folderId("Marketing"), deletedAt: daysAgo(5) });
    const child = await createFolder({ title: "Winter 2024", parentId: parent.id, deletedAt: daysAgo(6) });
    const owner = await viewer("owner@demo.test", "owner");

    await expectAppError(restoreTrashItem({ viewer: owner, type: "folder", id: child.id }), "conflict", /Restore “Old campaigns” first/);
    expect(await deletedAtOf("folder", child.id)).not.toBeNull();
    const events = await listAuditEvents({ organizationId: demoCoId, action: "trash.restored" });
    expect(events.some((event) => event.targetId === child.id)).toBe(false);

    await restoreTrashItem({ viewer: owner, type: "folder", id: parent.id });
    await restoreTrashItem({ viewer: owner, type: "folder", id: child.id });
    expect(await deletedAtOf("folder", child.id)).toBeNull();
  });

  it("refuses to restore a file or a comment whose container is still in the trash", async () => {
    const trashedFolder = await createFolder({ title: "Abandoned drafts", deletedAt: daysAgo(3) });
    const { file } = await createFile({ name: "draft.txt", folderId: trashedFolder.id, deletedAt: daysAgo(4) });
    const [comment] = await db
      .insert(comments)
      .values({ uid: newUid(), organizationId: demoCoId, authorId: userIds["owner@demo.test"], folderId: trashedFolder.id, body: "Old note", deletedAt: daysAgo(4) })
      .returning();
    const owner = await viewer("owner@demo.test", "owner");

    await expectAppError(restoreTrashItem({ viewer: owner, type: "file", id: file.id }), "conflict", /folder “Abandoned drafts”/);
    await expectAppError(restoreTrashItem({ viewer: owner, type: "comment", id: comment!.id }), "conflict", /Abandoned drafts/);
    expect(await deletedAtOf("file", file.id)).not.toBeNull();
    expect(await deletedAtOf("comment", comment!.id)).not.toBeNull();
  });

  it("treats an item of another organization, or not in the trash, as not found", async () => {
    const otherFolder = await createFolder({ title: "Other Inc old folder", organizationId: otherIncId, deletedAt: daysAgo(1) });
    await expectAppError(restoreTrashItem({ viewer: await viewer("owner@demo.test", "owner"), type: "folder", id: otherFolder.id }), "not_found");
    await expectAppError(
      restoreTrashItem({ viewer: await viewer("owner@demo.test", "owner"), type: "folder", id: await folderId("Marketing") }),
      "not_found",
    );
    expect(await deletedAtOf("folder", otherFolder.id)).not.toBeNull();
  });
});

describe("purging expired trash", () => {
  it("deletes rows older than 30 days with everything beneath them and their blobs, keeping newer ones", async () => {
    const expired = await createFolder({ title: "Expired folder", deletedAt: daysAgo(31) });
    const expiredChild = await createFolder({ title: "Child of expired folder", parentId: expired.id });
    const inExpired = await createFile({ name: "in-expired.txt", folderId: expiredChild.id });
    const taskOnlyInExpired = await createTask({ title: "Task only in the expired folder", folderIds: [expired.id] });
    const onThatTask = await createFile({ name: "on-task.txt", taskId: taskOnlyInExpired.id });
    const taskAlsoElsewhere = await createTask({ title: "Task also in Operations", folderIds: [expired.id, await folderId("Operations")] });
    const expiredFile = await createFile({ name: "expired-file.txt", folderId: await folderId("Operations"), deletedAt: daysAgo(40) });

    const recent = await createFolder({ title: "Recently trashed folder", deletedAt: daysAgo(29) });
    const inRecent = await createFile({ name: "in-recent.txt", folderId: recent.id });
    const [logo] = await db.select({ id: files.id }).from(files).where(eq(files.name, "logo-draft-old.png"));
    const logoKeys = (await db.select({ key: fileVersions.storageKey }).from(fileVersions).where(eq(fileVersions.fileId, logo!.id))).map((row) => row.key);

    const doomedKeys = [...inExpired.keys, ...onThatTask.keys, ...expiredFile.keys];
    for (const key of doomedKeys) expect(await storage().stat(key)).not.toBeNull();

    const result = await purgeExpiredTrash({ now: new Date() });

    expect(result.blobsDeleted).toBeGreaterThanOrEqual(doomedKeys.length);
    for (const key of doomedKeys) expect(await storage().stat(key)).toBeNull();
    const remainingFolders = await db.select({ id: folders.id }).from(folders).where(inArray(folders.id, [expired.id, expiredChild.id, recent.id]));
    expect(remainingFolders.map((row) => row.id)).toEqual([recent.id]);
    const remainingTasks = await db.select({ id: tasks.id }).from(tasks).where(inArray(tasks.id, [taskOnlyInExpired.id, taskAlsoElsewhere.id]));
    expect(remainingTasks.map((row) => row.id)).toEqual([taskAlsoElsewhere.id]);
    const remainingFiles = await db
      .select({ id: files.id })
      .from(files)
      .where(inArray(files.id, [inExpired.file.id, onThatTask.file.id, expiredFile.file.id, inRecent.file.id, logo!.id]));
    expect(remainingFiles.map((row) => row.id).sort()).toEqual([inRecent.file.id, logo!.id].sort());
    expect(await db.select().from(fileVersions).where(inArray(fileVersions.fileId, [inExpired.file.id, expiredFile.file.id]))).toEqual([]);

    for (const key of [...inRecent.keys, ...logoKeys]) expect(await storage().stat(key)).not.toBeNull();

    // The demo's own expired items go too: a folder trashed 45 days ago and a comment 35 days ago.
    expect(await db.select().from(folders).where(eq(folders.title, "Spring campaign 2023"))).toEqual([]);
    expect(await db.select().from(comments).where(and(eq(comments.organizationId, demoCoId), eq(comments.body, "Ignore this — wrong thread.")))).toEqual([]);

    const again = await purgeExpiredTrash({ now: new Date() });
    expect(again).toEqual({ folders: 0, tasks: 0, files: 0, comments: 0, blobsDeleted: 0 });
  });

  it("uses the given time, so an item purges exactly when its 30 days are over", async () => {
    const deletedAt = daysAgo(10);
    const folder = await createFolder({ title: "Purged later", deletedAt });
    const { keys } = await createFile({ name: "later.txt", folderId: folder.id });

    await purgeExpiredTrash({ now: new Date(deletedAt.getTime() + 30 * DAY - 1000) });
    expect(await deletedAtOf("folder", folder.id)).toEqual(deletedAt);

    const result = await purgeExpiredTrash({ now: new Date(deletedAt.getTime() + 30 * DAY + 1000) });
    expect(result.folders).toBeGreaterThanOrEqual(1);
    expect(await deletedAtOf("folder", folder.id)).toBeUndefined();
    for (const key of keys) expect(await storage().stat(key)).toBeNull();
  });
});
