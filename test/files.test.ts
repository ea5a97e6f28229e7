import { Readable } from "node:stream";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import {
  findFileLocation,
  findVisibleFile,
  findVisibleFileVersion,
  listFileRecipients,
  listFileVersions,
  listRecipientCandidates,
} from "@/db/queries/files";
import { listMembershipsForUser } from "@/db/queries/memberships";
import { findUserByEmail } from "@/db/queries/users";
import { auditEvents, contacts, files, folderShares, folders, organizations, recipients, taskFolders, tasks } from "@/db/schema";
import { addFileRecipient, canManageFile, moveFileToTrash, recordRecipientDecision } from "@/lib/workspace/files";
import { uploadNewFile, uploadNewVersion } from "@/lib/workspace/uploads";
import type { Viewer } from "@/lib/workspace/visibility";
import { refusal } from "./support/refusal";

async function viewerFor(email: string): Promise<Viewer> {
  const user = await findUserByEmail({ email });
  if (!user) throw new Error(`demo user ${email} missing`);
  const [membership] = await listMembershipsForUser({ userId: user.id });
  if (!membership) throw new Error(`demo user ${email} has no organization`);
  return { organizationId: membership.organization.id, userId: user.id, role: membership.role };
}

async function folderTitled(organizationId: string, title: string) {
  const [folder] = await db.select().from(folders).where(and(eq(folders.organizationId, organizationId), eq(folders.title, title)));
  if (!folder) throw new Error(`demo folder ${title} missing`);
  return folder;
}

async function privateFolderSharedWith(viewer: Viewer) {
  const [folder] = await db
    .select({ id: folders.id, title: folders.title })
    .from(folders)
    .innerJoin(folderShares, eq(folderShares.folderId, folders.id))
    .where(and(eq(folders.organizationId, viewer.organizationId), eq(folders.visibility, "private"), eq(folderShares.userId, viewer.userId)))
    .limit(1);
  if (!folder) throw new Error("demo data has no private folder shared with this user");
  return folder;
}

async function upload(viewer: Viewer, folderId: string, name: string, text = `content of ${name}`) {
  return uploadNewFile({ viewer, parent: { type: "folder", id: folderId }, fileName: name, body: Readable.from([Buffer.from(text)]) });
}

describe("which files a user may open", () => {
  it("shows a file to its organization, hides it from another and from everyone once trashed", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const otherAdmin = await viewerFor("other-admin@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const { file } = await upload(admin, folder.id, "visible.txt");

    expect((await findVisibleFile({ viewer: admin, fileId: file.id }))?.name).toBe("visible.txt");
    expect((await findVisibleFile({ viewer: member, fileId: file.id }))?.name).toBe("visible.txt");
    expect(await findVisibleFile({ viewer: otherAdmin, fileId: file.id })).toBeUndefined();

    await moveFileToTrash({ viewer: admin, fileId: file.id });
    expect(await findVisibleFile({ viewer: admin, fileId: file.id })).toBeUndefined();
  });

  it("hides files of a private folder from the admin it is not shared with, not from its member or the owner", async () => {
    const member = await viewerFor("member@demo.test");
    const admin = await viewerFor("admin@demo.test");
    const owner = await viewerFor("owner@demo.test");
    const privateFolder = await privateFolderSharedWith(member);
    const { file, version } = await upload(member, privateFolder.id, "minutes.txt");

    expect(await findVisibleFile({ viewer: admin, fileId: file.id })).toBeUndefined();
    expect(await findVisibleFileVersion({ viewer: admin, versionId: version.id })).toBeUndefined();
    expect((await findVisibleFile({ viewer: member, fileId: file.id }))?.id).toBe(file.id);
    expect((await findVisibleFile({ viewer: owner, fileId: file.id }))?.id).toBe(file.id);
    expect((await findVisibleFileVersion({ viewer: owner, versionId: version.id }))?.file.id).toBe(file.id);
  });

  it("hides a file whose folder is in the trash", async () => {
    const admin = await viewerFor("admin@demo.test");
    const [folder] = await db
      .insert(folders)
      .values({ uid: "FILESTESTFOLDER1", organizationId: admin.organizationId, title: "To be trashed", authorId: admin.userId })
      .returning();
    const { file } = await upload(admin, folder!.id, "inside.txt");
    await db.update(folders).set({ deletedAt: new Date() }).where(eq(folders.id, folder!.id));
    expect(await findVisibleFile({ viewer: admin, fileId: file.id })).toBeUndefined();
  });
});

describe("what the file page shows", () => {
  it("lists versions newest first with their uploader", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const { file } = await upload(admin, folder.id, "history.txt");
    await uploadNewVersion({ viewer: member, fileId: file.id, body: Readable.from([Buffer.from("second")]) });
    const versions = await listFileVersions({ fileId: file.id });
    expect(versions.map((v) => [v.version, v.uploader?.name])).toEqual([
      [2, (await findUserByEmail({ email: "member@demo.test" }))!.name],
      [1, (await findUserByEmail({ email: "admin@demo.test" }))!.name],
    ]);
    expect(versions[0]!.sizeBytes).toBe(6);
  });

  it("places a file under its folder path, or under its task", async () => {
    const admin = await viewerFor("admin@demo.test");
    const [child] = await db
      .select({ id: folders.id, title: folders.title, parentId: folders.parentId })
      .from(folders)
      .where(and(eq(folders.organizationId, admin.organizationId), eq(folders.visibility, "organization"), isNull(folders.deletedAt)))
      .then((rows) => rows.filter((row) => row.parentId !== null));
    const [parent] = await db.select().from(folders).where(eq(folders.id, child!.parentId!));
    const { file } = await upload(admin, child!.id, "deep.txt");
    const fileRow = (await findVisibleFile({ viewer: admin, fileId: file.id }))!;
    const location = await findFileLocation({ viewer: admin, file: fileRow });
    expect(location.task).toBeNull();
    expect(location.folders.at(-1)).toEqual({ id: child!.id, title: child!.title });
    expect(location.folders.at(-2)).toEqual({ id: parent!.id, title: parent!.title });
    expect(location.folders[0]!.id).not.toBe(child!.id);

    const [link] = await db
      .select({ taskId: taskFolders.taskId, folderId: taskFolders.folderId })
      .from(taskFolders)
      .innerJoin(tasks, eq(tasks.id, taskFolders.taskId))
      .innerJoin(folders, eq(folders.id, taskFolders.folderId))
      .where(and(eq(tasks.organizationId, admin.organizationId), isNull(tasks.parentTaskId), isNull(tasks.deletedAt), eq(folders.visibility, "organization"), isNull(folders.deletedAt)))
      .limit(1);
    const onTask = await uploadNewFile({
      viewer: admin,
      parent: { type: "task", id: link!.taskId },
      fileName: "attachment.txt",
      body: Readable.from([Buffer.from("x")]),
    });
    const taskFile = (await findVisibleFile({ viewer: admin, fileId: onTask.file.id }))!;
    const taskLocation = await findFileLocation({ viewer: admin, file: taskFile });
    expect(taskLocation.task?.id).toBe(link!.taskId);
    expect(taskLocation.folders.length).toBeGreaterThan(0);
  });

  it("offers the organization's members and contacts as recipients, nobody from elsewhere", async () => {
    const admin = await viewerFor("admin@demo.test");
    const { members, contacts: organizationContacts } = await listRecipientCandidates({ organizationId: admin.organizationId });
    const emails = members.map((m) => m.email);
    expect(emails).toEqual(expect.arrayContaining(["owner@demo.test", "admin@demo.test", "member@demo.test"]));
    expect(emails).not.toContain("other-admin@demo.test");
    expect(organizationContacts.length).toBeGreaterThan(0);
    const [foreign] = await db
      .select({ id: contacts.id })
      .from(contacts)
      .innerJoin(organizations, eq(organizations.id, contacts.organizationId))
      .where(eq(organizations.name, "Other Inc"));
    expect(organizationContacts.map((c) => c.id)).not.toContain(foreign!.id);
  });
});

describe("recipients and decisions", () => {
  it("lets an admin add a member and a contact, once each, and lists them with their role", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const { file } = await upload(admin, folder.id, "review-me.pdf");
    const [contact] = await db.select().from(contacts).where(eq(contacts.organizationId, admin.organizationId)).limit(1);

    await addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "user", id: member.userId }, role: "approver" });
    await addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "contact", id: contact!.id }, role: "reviewer" });
    const listed = await listFileRecipients({ fileId: file.id });
    expect(listed.map((r) => [r.user?.id ?? r.contact?.id, r.role, r.decision, r.decidedAt])).toEqual([
      [member.userId, "approver", "pending", null],
      [contact!.id, "reviewer", "pending", null],
    ]);
    expect(listed[0]!.uid).toMatch(/^[0-9A-F]{16}$/);

    const duplicate = await refusal(addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "user", id: member.userId }, role: "reviewer" }));
    expect(duplicate.code).toBe("conflict");
    expect(duplicate.message).toMatch(/already a recipient/);
    expect(await listFileRecipients({ fileId: file.id })).toHaveLength(2);

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "file.recipient_added"), eq(auditEvents.targetId, listed[0]!.id)));
    expect(event?.actorId).toBe(admin.userId);
  });

  it("refuses people of another organization", async () => {
    const admin = await viewerFor("admin@demo.test");
    const otherAdmin = await viewerFor("other-admin@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const { file } = await upload(admin, folder.id, "outsiders.txt");
    const [foreignContact] = await db.select().from(contacts).where(eq(contacts.organizationId, otherAdmin.organizationId)).limit(1);

    const user = await refusal(addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "user", id: otherAdmin.userId }, role: "reviewer" }));
    expect(user.code).toBe("invalid_input");
    const contact = await refusal(addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "contact", id: foreignContact!.id }, role: "reviewer" }));
    expect(contact.code).toBe("invalid_input");
    expect(await listFileRecipients({ fileId: file.id })).toEqual([]);
  });

  it("lets a member manage only the files they created", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const owner = await viewerFor("owner@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const adminsFile = await upload(admin, folder.id, "admins.txt");
    const membersFile = await upload(member, folder.id, "members.txt");

    const adminFileRow = (await findVisibleFile({ viewer: member, fileId: adminsFile.file.id }))!;
    expect(canManageFile(member, adminFileRow)).toBe(false);
    expect(canManageFile(owner, adminFileRow)).toBe(true);

    const refused = await refusal(addFileRecipient({ viewer: member, fileId: adminsFile.file.id, person: { type: "user", id: owner.userId }, role: "reviewer" }));
    expect(refused.code).toBe("forbidden");
    const trashRefused = await refusal(moveFileToTrash({ viewer: member, fileId: adminsFile.file.id }));
    expect(trashRefused.code).toBe("forbidden");
    expect(await findVisibleFile({ viewer: admin, fileId: adminsFile.file.id })).toBeDefined();

    await addFileRecipient({ viewer: member, fileId: membersFile.file.id, person: { type: "user", id: owner.userId }, role: "reviewer_approver" });
    expect(await listFileRecipients({ fileId: membersFile.file.id })).toHaveLength(1);
    const where = await moveFileToTrash({ viewer: member, fileId: membersFile.file.id });
    expect(where.folderId).toBe(folder.id);
    const [trashed] = await db.select().from(files).where(eq(files.id, membersFile.file.id));
    expect(trashed!.deletedAt).toBeInstanceOf(Date);
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "file.trashed"), eq(auditEvents.targetId, membersFile.file.id)));
    expect(event?.actorId).toBe(member.userId);
  });

  it("lets the recipient record their own decision, and nobody else", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const otherAdmin = await viewerFor("other-admin@demo.test");
    const folder = await folderTitled(admin.organizationId, "Marketing");
    const { file } = await upload(admin, folder.id, "decide.pdf");
    const { recipientId } = await addFileRecipient({ viewer: admin, fileId: file.id, person: { type: "user", id: member.userId }, role: "approver" });

    expect((await refusal(recordRecipientDecision({ viewer: admin, recipientId, decision: "approved" }))).code).toBe("forbidden");
    expect((await refusal(recordRecipientDecision({ viewer: otherAdmin, recipientId, decision: "approved" }))).code).toBe("not_found");
    const [untouched] = await db.select().from(recipients).where(eq(recipients.id, recipientId));
    expect(untouched).toMatchObject({ decision: "pending", decidedAt: null });

    const before = Date.now();
    await recordRecipientDecision({ viewer: member, recipientId, decision: "changes_requested" });
    const [decided] = await db.select().from(recipients).where(eq(recipients.id, recipientId));
    expect(decided!.decision).toBe("changes_requested");
    expect(decided!.decidedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    await moveFileToTrash({ viewer: admin, fileId: file.id });
    expect((await refusal(recordRecipientDecision({ viewer: member, recipientId, decision: "approved" }))).code).toBe("not_found");
  });
});
