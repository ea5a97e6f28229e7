import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { listMembershipsForUser } from "@/db/queries/memberships";
import { findUserByEmail } from "@/db/queries/users";
import { auditEvents, fileVersions, files, folderShares, folders, organizations, tasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { attachmentDisposition, fileVersionDownloadResponse, resolveRange } from "@/lib/workspace/downloads";
import { parseUploadFileName, uploadNewFile, uploadNewVersion } from "@/lib/workspace/uploads";
import { visibleFileIdsSql, type Viewer } from "@/lib/workspace/visibility";
import { refusal } from "./support/refusal";

const storageDir = process.env.STORAGE_DIR!;

async function viewerFor(email: string): Promise<Viewer> {
  const user = await findUserByEmail({ email });
  if (!user) throw new Error(`demo user ${email} missing`);
  const [membership] = await listMembershipsForUser({ userId: user.id });
  if (!membership) throw new Error(`demo user ${email} has no organization`);
  return { organizationId: membership.organization.id, userId: user.id, role: membership.role };
}

async function organizationId(name: string) {
  const [organization] = await db.select().from(organizations).where(eq(organizations.name, name));
  return organization!.id;
}

/** A top-level folder everyone in the organization can see. */
async function sharedFolderOf(orgId: string) {
  const [folder] = await db
    .select()
    .from(folders)
    .where(and(eq(folders.organizationId, orgId), eq(folders.visibility, "organization"), isNull(folders.parentId), isNull(folders.deletedAt)))
    .limit(1);
  if (!folder) throw new Error("demo data has no shared folder");
  return folder;
}

/** Every file under the storage root, so a test can prove that a refused upload left nothing behind. */
function listStoredFiles(dir = storageDir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(storageDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function chunked(bytes: Buffer, chunkSize = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

async function rowCounts() {
  const [fileRows] = await db.select({ n: count() }).from(files);
  const [versionRows] = await db.select({ n: count() }).from(fileVersions);
  return { files: fileRows!.n, versions: versionRows!.n };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("uploading a new file", () => {
  it("streams the bytes into storage and records version 1 with their size and sha256", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const content = randomBytes(250_000);

    const result = await uploadNewFile({
      viewer: admin,
      parent: { type: "folder", id: folder.id },
      fileName: encodeURIComponent("Q3 report — final.pdf"),
      contentType: "application/pdf",
      body: chunked(content, 16_384),
      declaredLength: content.length,
    });

    expect(result.version).toMatchObject({ version: 1, sizeBytes: content.length, sha256: sha256(content) });
    const [file] = await db.select().from(files).where(eq(files.id, result.file.id));
    expect(file).toMatchObject({
      name: "Q3 report — final.pdf",
      contentType: "application/pdf",
      folderId: folder.id,
      taskId: null,
      currentVersion: 1,
      createdBy: admin.userId,
      organizationId: admin.organizationId,
    });
    const [version] = await db.select().from(fileVersions).where(eq(fileVersions.id, result.version.id));
    expect(version).toMatchObject({ fileId: file!.id, version: 1, uploadedBy: admin.userId, sha256: sha256(content) });
    expect(version!.uid).toMatch(/^[0-9A-F]{16}$/);
    const stored = fs.readFileSync(path.join(storageDir, version!.storageKey));
    expect(stored.equals(content)).toBe(true);
    expect(version!.storageKey).toContain(version!.uid);

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "file.uploaded"), eq(auditEvents.targetId, version!.id)));
    expect(event).toMatchObject({ organizationId: admin.organizationId, actorId: admin.userId });
    expect(event!.metadata).toMatchObject({ fileId: file!.id, version: 1, sizeBytes: content.length });
  });

  it("accepts a web ReadableStream (a request body) and attaches the file to a task", async () => {
    const admin = await viewerFor("admin@demo.test");
    const [task] = await db
      .select()
      .from(tasks)
      .where(and(eq(tasks.organizationId, admin.organizationId), isNull(tasks.deletedAt)))
      .limit(1);
    const content = Buffer.from("plain text notes\n".repeat(100));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(content.subarray(0, 700)));
        controller.enqueue(new Uint8Array(content.subarray(700)));
        controller.close();
      },
    });
    const result = await uploadNewFile({
      viewer: admin,
      parent: { type: "task", id: task!.id },
      fileName: "notes.txt",
      contentType: "text/plain; charset=utf-8",
      body,
    });
    const [file] = await db.select().from(files).where(eq(files.id, result.file.id));
    expect(file).toMatchObject({ taskId: task!.id, folderId: null, contentType: "text/plain" });
    expect(result.version.sha256).toBe(sha256(content));
  });
});

describe("uploading new versions", () => {
  it("numbers versions one after the other and keeps every version's bytes", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const first = randomBytes(5000);
    const created = await uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "plan.bin", body: chunked(first) });

    const second = randomBytes(7000);
    const v2 = await uploadNewVersion({ viewer: member, fileId: created.file.id, body: chunked(second), contentType: "image/png" });
    const third = randomBytes(3000);
    const v3 = await uploadNewVersion({ viewer: admin, fileId: created.file.id, body: chunked(third) });

    expect([created.version.version, v2.version.version, v3.version.version]).toEqual([1, 2, 3]);
    const [file] = await db.select().from(files).where(eq(files.id, created.file.id));
    expect(file!.currentVersion).toBe(3);
    expect(file!.contentType).toBe("image/png");
    const rows = await db.select().from(fileVersions).where(eq(fileVersions.fileId, created.file.id));
    for (const [row, bytes] of [
      [rows.find((r) => r.version === 1), first],
      [rows.find((r) => r.version === 2), second],
      [rows.find((r) => r.version === 3), third],
    ] as const) {
      expect(row!.sha256).toBe(sha256(bytes));
      expect(fs.readFileSync(path.join(storageDir, row!.storageKey)).equals(bytes)).toBe(true);
    }
    expect(rows.find((r) => r.version === 2)!.uploadedBy).toBe(member.userId);
  });

  it("gives concurrent uploads to one file distinct, consecutive version numbers", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const created = await uploadNewFile({
      viewer: admin,
      parent: { type: "folder", id: folder.id },
      fileName: "busy.txt",
      body: chunked(Buffer.from("v1")),
    });
    const contents = Array.from({ length: 8 }, () => randomBytes(20_000));
    const results = await Promise.all(
      contents.map((content) => uploadNewVersion({ viewer: admin, fileId: created.file.id, body: chunked(content, 999) })),
    );
    expect(results.map((r) => r.version.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    results.forEach((result, index) => expect(result.version.sha256).toBe(sha256(contents[index]!)));
    const [file] = await db.select().from(files).where(eq(files.id, created.file.id));
    expect(file!.currentVersion).toBe(9);
  });
});

describe("refused uploads leave nothing behind", () => {
  it("refuses a stream larger than the limit with 413: no row, no blob, no partial file", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const storedBefore = listStoredFiles();
    const rowsBefore = await rowCounts();

    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "big.bin", body: chunked(randomBytes(5000), 512), maxBytes: 4096 }),
    );
    expect(error.status).toBe(413);
    expect(error.message).toBe("The file is larger than the upload limit of 4.0 KiB.");
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(listStoredFiles()).toEqual(storedBefore);
  });

  it("refuses a new version over the limit and keeps the file as it was", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const created = await uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "a.txt", body: chunked(Buffer.from("hello")) });
    const storedBefore = listStoredFiles();
    const rowsBefore = await rowCounts();
    const error = await refusal(uploadNewVersion({ viewer: admin, fileId: created.file.id, body: chunked(randomBytes(2000), 100), maxBytes: 1000 }));
    expect(error.code).toBe("payload_too_large");
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(listStoredFiles()).toEqual(storedBefore);
    const [file] = await db.select().from(files).where(eq(files.id, created.file.id));
    expect(file!.currentVersion).toBe(1);
  });

  it("refuses an announced Content-Length over the limit before reading a byte", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    let read = false;
    const body = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "big.iso", body, declaredLength: 10_000, maxBytes: 9_999 }),
    );
    expect(error.status).toBe(413);
    expect(read).toBe(false);
  });

  it("refuses an empty upload with 400 and stores nothing", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const storedBefore = listStoredFiles();
    const rowsBefore = await rowCounts();
    for (const body of [Readable.from([]), null]) {
      const error = await refusal(uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "empty.txt", body }));
      expect(error.status).toBe(400);
      expect(error.message).toBe("The file is empty. Choose a file with some content.");
    }
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(listStoredFiles()).toEqual(storedBefore);
  });

  it("turns a stream that breaks off into a plain error and stores nothing", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const storedBefore = listStoredFiles();
    const rowsBefore = await rowCounts();
    async function* brokenUpload() {
      yield randomBytes(4096);
      throw new Error("socket hang up");
    }
    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "cut.bin", body: Readable.from(brokenUpload()) }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/interrupted/);
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(listStoredFiles()).toEqual(storedBefore);
  });

  it("refuses a body shorter than its announced Content-Length", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const storedBefore = listStoredFiles();
    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "short.bin", body: chunked(randomBytes(100)), declaredLength: 200 }),
    );
    expect(error.status).toBe(400);
    expect(listStoredFiles()).toEqual(storedBefore);
  });

  it("removes the stored blob when the folder goes to the trash while the bytes arrive", async () => {
    const admin = await viewerFor("admin@demo.test");
    const [folder] = await db
      .insert(folders)
      .values({ uid: "UPLOADTRASHRACE1", organizationId: admin.organizationId, title: "Short-lived", authorId: admin.userId })
      .returning();
    const storedBefore = listStoredFiles();
    const rowsBefore = await rowCounts();
    async function* slowUpload() {
      yield randomBytes(1000);
      await db.update(folders).set({ deletedAt: new Date() }).where(eq(folders.id, folder!.id));
      yield randomBytes(1000);
    }
    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder!.id }, fileName: "late.bin", body: Readable.from(slowUpload()) }),
    );
    expect(error.status).toBe(404);
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(listStoredFiles()).toEqual(storedBefore);
  });
});

describe("who may upload where", () => {
  it("refuses a folder or a task of another organization as not found", async () => {
    const admin = await viewerFor("admin@demo.test");
    const otherOrg = await organizationId("Other Inc");
    const otherFolder = await sharedFolderOf(otherOrg);
    const [otherTask] = await db.select().from(tasks).where(eq(tasks.organizationId, otherOrg)).limit(1);
    const rowsBefore = await rowCounts();

    const folderError = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: otherFolder.id }, fileName: "x.txt", body: chunked(Buffer.from("x")) }),
    );
    expect(folderError.status).toBe(404);
    if (otherTask) {
      const taskError = await refusal(
        uploadNewFile({ viewer: admin, parent: { type: "task", id: otherTask.id }, fileName: "x.txt", body: chunked(Buffer.from("x")) }),
      );
      expect(taskError.status).toBe(404);
    }
    expect(await rowCounts()).toEqual(rowsBefore);
  });

  it("refuses a private folder the admin is not shared on, but lets the member it is shared with upload", async () => {
    const admin = await viewerFor("admin@demo.test");
    const member = await viewerFor("member@demo.test");
    const [privateFolder] = await db
      .select({ id: folders.id })
      .from(folders)
      .innerJoin(folderShares, eq(folderShares.folderId, folders.id))
      .where(
        and(
          eq(folders.organizationId, admin.organizationId),
          eq(folders.visibility, "private"),
          eq(folderShares.userId, member.userId),
          isNull(folders.deletedAt),
        ),
      )
      .limit(1);
    expect(privateFolder).toBeDefined();
    const [adminShare] = await db
      .select()
      .from(folderShares)
      .where(and(eq(folderShares.folderId, privateFolder!.id), eq(folderShares.userId, admin.userId)));
    expect(adminShare).toBeUndefined();

    const error = await refusal(
      uploadNewFile({ viewer: admin, parent: { type: "folder", id: privateFolder!.id }, fileName: "secret.txt", body: chunked(Buffer.from("x")) }),
    );
    expect(error.status).toBe(404);

    const uploaded = await uploadNewFile({
      viewer: member,
      parent: { type: "folder", id: privateFolder!.id },
      fileName: "secret.txt",
      body: chunked(Buffer.from("for the shared member only")),
    });
    expect(uploaded.version.version).toBe(1);
    const versionError = await refusal(uploadNewVersion({ viewer: admin, fileId: uploaded.file.id, body: chunked(Buffer.from("y")) }));
    expect(versionError.status).toBe(404);
  });

  it("answers not found for malformed ids, another organization's file and a trashed file", async () => {
    const admin = await viewerFor("admin@demo.test");
    const otherAdmin = await viewerFor("other-admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    expect((await refusal(uploadNewFile({ viewer: admin, parent: { type: "folder", id: "not-a-uuid" }, fileName: "a", body: chunked(Buffer.from("a")) }))).status).toBe(404);
    expect((await refusal(uploadNewVersion({ viewer: admin, fileId: "../../etc", body: chunked(Buffer.from("a")) }))).status).toBe(404);

    const created = await uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "mine.txt", body: chunked(Buffer.from("a")) });
    expect((await refusal(uploadNewVersion({ viewer: otherAdmin, fileId: created.file.id, body: chunked(Buffer.from("b")) }))).status).toBe(404);
    await db.update(files).set({ deletedAt: new Date() }).where(eq(files.id, created.file.id));
    expect((await refusal(uploadNewVersion({ viewer: admin, fileId: created.file.id, body: chunked(Buffer.from("b")) }))).status).toBe(404);
  });
});

describe("file names", () => {
  it("decodes percent-encoded names and refuses empty, overlong, control-character and undecodable ones", () => {
    expect(parseUploadFileName(encodeURIComponent("Übersicht 2024 (final).pdf"))).toBe("Übersicht 2024 (final).pdf");
    expect(parseUploadFileName(encodeURIComponent("  padded.txt  "))).toBe("padded.txt");
    expect(parseUploadFileName("a".repeat(255))).toHaveLength(255);
    for (const bad of [null, "", "%20%20", "a".repeat(256), encodeURIComponent("bad\nname.txt"), encodeURIComponent("tab\there"), "%E0%A4%A", encodeURIComponent("a/b.txt")]) {
      expect(() => parseUploadFileName(bad)).toThrowError(AppError);
    }
  });
});

describe("Range headers", () => {
  const size = 1000;
  it("serves the whole object without a header or with one it does not serve", () => {
    for (const header of [null, undefined, "", "items=0-5", "bytes=0-1,5-9", "bytes=abc", "bytes=-", "bytes 0-5"]) {
      expect(resolveRange(header, size)).toEqual({ kind: "full" });
    }
  });

  it("resolves a-b, open-ended and suffix ranges, clamping the end to the object", () => {
    expect(resolveRange("bytes=0-0", size)).toEqual({ kind: "partial", start: 0, end: 0 });
    expect(resolveRange("bytes=100-199", size)).toEqual({ kind: "partial", start: 100, end: 199 });
    expect(resolveRange("bytes=900-", size)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(resolveRange("bytes=900-5000", size)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(resolveRange("bytes=-100", size)).toEqual({ kind: "partial", start: 900, end: 999 });
    expect(resolveRange("bytes=-5000", size)).toEqual({ kind: "partial", start: 0, end: 999 });
    expect(resolveRange("Bytes = 10 - 20", size)).toEqual({ kind: "partial", start: 10, end: 20 });
  });

  it("calls a range outside the object, reversed, or of zero length unsatisfiable (416)", () => {
    for (const header of ["bytes=1000-", "bytes=1000-1001", "bytes=5000-6000", "bytes=20-10", "bytes=-0"]) {
      expect(resolveRange(header, size)).toEqual({ kind: "unsatisfiable" });
    }
    expect(resolveRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });
});

describe("downloading a version", () => {
  it("names the file for every browser: RFC 5987 plus an ASCII fallback", () => {
    expect(attachmentDisposition("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('Ünïcode "quoted" ½.txt')).toBe(
      `attachment; filename="_n_code _quoted_ _.txt"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22%20%C2%BD.txt`,
    );
  });

  it("streams the whole version or one range of it, and answers 416 outside it", async () => {
    const admin = await viewerFor("admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const content = randomBytes(70_000);
    const created = await uploadNewFile({
      viewer: admin,
      parent: { type: "folder", id: folder.id },
      fileName: encodeURIComponent("résumé.pdf"),
      contentType: "application/pdf",
      body: chunked(content, 8192),
    });

    const whole = await fileVersionDownloadResponse({ viewer: admin, versionId: created.version.id });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("application/pdf");
    expect(whole.headers.get("content-length")).toBe(String(content.length));
    expect(whole.headers.get("x-content-type-options")).toBe("nosniff");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true);

    const part = await fileVersionDownloadResponse({ viewer: admin, versionId: created.version.id, rangeHeader: "bytes=1000-1999" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${content.length}`);
    expect(part.headers.get("content-length")).toBe("1000");
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1000, 2000))).toBe(true);

    const stale = await fileVersionDownloadResponse({
      viewer: admin,
      versionId: created.version.id,
      rangeHeader: "bytes=1000-1999",
      ifRangeHeader: '"0000"',
    });
    expect(stale.status).toBe(200);
    await stale.body?.cancel();

    const outside = await fileVersionDownloadResponse({ viewer: admin, versionId: created.version.id, rangeHeader: `bytes=${content.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${content.length}`);
    expect(await outside.json()).toMatchObject({ error: { code: "range_not_satisfiable" } });
  });

  it("answers not found for another organization's version and for a blob missing from storage", async () => {
    const admin = await viewerFor("admin@demo.test");
    const otherAdmin = await viewerFor("other-admin@demo.test");
    const folder = await sharedFolderOf(admin.organizationId);
    const created = await uploadNewFile({ viewer: admin, parent: { type: "folder", id: folder.id }, fileName: "gone.txt", body: chunked(Buffer.from("soon gone")) });

    expect((await refusal(fileVersionDownloadResponse({ viewer: otherAdmin, versionId: created.version.id }))).status).toBe(404);
    expect((await refusal(fileVersionDownloadResponse({ viewer: admin, versionId: "nope" }))).status).toBe(404);

    const [version] = await db.select().from(fileVersions).where(eq(fileVersions.id, created.version.id));
    fs.rmSync(path.join(storageDir, version!.storageKey));
    const missing = await refusal(fileVersionDownloadResponse({ viewer: admin, versionId: created.version.id }));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain('"gone.txt" (version 1)');
  });

  it("serves the seeded versions with the bytes their sha256 promises", async () => {
    const owner = await viewerFor("owner@demo.test");
    const seeded = await db
      .select({ id: fileVersions.id, sha256: fileVersions.sha256, sizeBytes: fileVersions.sizeBytes })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(and(eq(files.organizationId, owner.organizationId), sql`${files.id} in ${visibleFileIdsSql(owner)}`))
      .limit(3);
    expect(seeded.length).toBeGreaterThan(0);
    for (const version of seeded) {
      const response = await fileVersionDownloadResponse({ viewer: owner, versionId: version.id });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(version.sizeBytes);
      expect(sha256(bytes)).toBe(version.sha256);
    }
  });
});
