import { createHash } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/connection";
import { comments, fileVersions, files, folderShares, folders, organizations, tasks, users } from "@/db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, buildPdf, buildPng, crc32, findDemo, seedDemo, type DemoSummary } from "@/db/seed/demo";
import { ScaleOrganizationExistsError, blobChunks, planScale, seedScale, type ScalePlan } from "@/db/seed/scale";
import { verifyPassword } from "@/lib/auth/password";
import { storage } from "@/lib/storage";
import { listVisibleFolderIds } from "@/lib/workspace/visibility";

async function readStored(key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of await storage().read(key)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function groupBy<T>(rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return [...groups.values()];
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function userIdOf(email: string): Promise<string> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

/** Checks the structure a PDF reader relies on: header, every xref offset, startxref, stream length. */
function expectValidPdf(bytes: Buffer) {
  const document = bytes.toString("latin1");
  expect(document.startsWith("%PDF-1.4\n")).toBe(true);
  expect(document.endsWith("%%EOF\n")).toBe(true);
  const xrefOffset = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(document)?.[1]);
  expect(document.startsWith("xref\n", xrefOffset)).toBe(true);
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(document.slice(xrefOffset)) ?? [];
  expect(Number(first)).toBe(0);
  const entries = document.slice(xrefOffset).split("\n").slice(2, 2 + Number(count));
  entries.slice(1).forEach((entry, index) => {
    expect(entry).toMatch(/^\d{10} 00000 n $/);
    expect(document.startsWith(`${index + 1} 0 obj\n`, Number(entry.slice(0, 10)))).toBe(true);
  });
  const [, length, stream] = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(document) ?? [];
  expect(stream?.length).toBe(Number(length));
}

/** Walks the chunks, checking each CRC, and inflates the image data to the size IHDR promises. */
function expectValidPng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({ type: typeAndData.subarray(0, 4).toString("ascii"), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  const header = chunks[0]!.data;
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  expect(inflateSync(chunks[1]!.data).length).toBe(height * (1 + width * 3));
  return { width, height };
}

describe("demo seed", () => {
  let demo: DemoSummary;
  let demoOrganizationIds: string[];

  beforeAll(async () => {
    // The test template already holds the demo (global setup seeds it); a bare database gets it here.
    demo = (await findDemo(db)) ?? (await seedDemo(db));
    demoOrganizationIds = Object.values(demo.organizationIds);
  }, 60_000);

  it("finds the stored demo with its accounts and password", async () => {
    expect(await findDemo(db)).toEqual(demo);
    expect(demo.password).toBe(DEMO_PASSWORD);
    expect(demo.accounts.map((account) => account.email)).toEqual(
      expect.arrayContaining(["owner@demo.test", "admin@demo.test", "member@demo.test", "other-admin@demo.test", "free-owner@demo.test"]),
    );
    const plans = await db
      .select({ name: organizations.name, plan: organizations.plan })
      .from(organizations)
      .where(inArray(organizations.id, demoOrganizationIds));
    expect(plans).toEqual(
      expect.arrayContaining([
        { name: "Demo Co", plan: "enterprise" },
        { name: "Other Inc", plan: "team" },
        { name: "Free Ltd", plan: "free" },
      ]),
    );
  });

  it("fills every workspace table for Demo Co", async () => {
    const [counts] = await db.execute<Record<string, number>>(sql`
      select
        (select count(*)::int from memberships where organization_id = ${demo.organizationIds.demoCo}) as memberships,
        (select count(*)::int from teams where organization_id = ${demo.organizationIds.demoCo}) as teams,
        (select count(*)::int from team_members tm join teams t on t.id = tm.team_id where t.organization_id = ${demo.organizationIds.demoCo}) as team_members,
        (select count(*)::int from contacts where organization_id = ${demo.organizationIds.demoCo}) as contacts,
        (select count(*)::int from contacts where organization_id = ${demo.organizationIds.demoCo} and company is not null) as contacts_with_company,
        (select count(*)::int from folders where organization_id = ${demo.organizationIds.demoCo}) as folders,
        (select count(*)::int from folders where organization_id = ${demo.organizationIds.demoCo} and is_project and start_date is not null and end_date is not null and project_status is not null) as projects,
        (select count(*)::int from tasks where organization_id = ${demo.organizationIds.demoCo}) as tasks,
        (select count(*)::int from tasks where organization_id = ${demo.organizationIds.demoCo} and parent_task_id is not null) as subtasks,
        (select count(*)::int from task_folders tf join tasks t on t.id = tf.task_id where t.organization_id = ${demo.organizationIds.demoCo}) as task_folders,
        (select count(*)::int from task_assignees ta join tasks t on t.id = ta.task_id where t.organization_id = ${demo.organizationIds.demoCo}) as task_assignees,
        (select count(*)::int from time_logs tl join tasks t on t.id = tl.task_id where t.organization_id = ${demo.organizationIds.demoCo}) as time_logs,
        (select count(*)::int from files where organization_id = ${demo.organizationIds.demoCo} and folder_id is not null) as folder_files,
        (select count(*)::int from files where organization_id = ${demo.organizationIds.demoCo} and task_id is not null) as task_files,
        (select count(*)::int from file_versions v join files f on f.id = v.file_id where f.organization_id = ${demo.organizationIds.demoCo}) as file_versions,
        (select count(*)::int from recipients r join files f on f.id = r.file_id where f.organization_id = ${demo.organizationIds.demoCo} and r.user_id is not null) as user_recipients,
        (select count(*)::int from recipients r join files f on f.id = r.file_id where f.organization_id = ${demo.organizationIds.demoCo} and r.contact_id is not null) as contact_recipients,
        (select count(*)::int from comments where organization_id = ${demo.organizationIds.demoCo} and task_id is not null) as task_comments,
        (select count(*)::int from comments where organization_id = ${demo.organizationIds.demoCo} and folder_id is not null) as folder_comments,
        (select count(*)::int from comments where organization_id = ${demo.organizationIds.demoCo} and file_version_id is not null) as version_comments,
        (select count(*)::int from comments where organization_id = ${demo.organizationIds.demoCo} and parent_id is not null) as replies
    `);
    for (const [table, count] of Object.entries(counts!)) expect.soft(count, table).toBeGreaterThan(0);
    expect(counts!.memberships).toBeGreaterThanOrEqual(3);
    expect(counts!.teams).toBe(2);
    expect(counts!.contacts).toBe(3);
  });

  it("nests folders at least three levels deep", async () => {
    const rows = await db
      .select({ id: folders.id, parentId: folders.parentId })
      .from(folders)
      .where(eq(folders.organizationId, demo.organizationIds.demoCo));
    const parentOf = new Map(rows.map((row) => [row.id, row.parentId]));
    const depth = (id: string | null): number => (id === null ? 0 : 1 + depth(parentOf.get(id) ?? null));
    expect(Math.max(...rows.map((row) => depth(row.id)))).toBeGreaterThanOrEqual(3);
  });

  it("versions every file 1..n with currentVersion = n, and at least two versions for live files", async () => {
    const rows = await db
      .select({ fileId: files.id, currentVersion: files.currentVersion, deletedAt: files.deletedAt, version: fileVersions.version })
      .from(files)
      .innerJoin(fileVersions, eq(fileVersions.fileId, files.id))
      .where(inArray(files.organizationId, demoOrganizationIds));
    const versionsByFile = groupBy(rows, (row) => row.fileId);
    expect(versionsByFile.length).toBeGreaterThan(0);
    for (const versions of versionsByFile) {
      const numbers = versions.map((row) => row.version).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, index) => index + 1));
      expect(versions[0]!.currentVersion).toBe(numbers.length);
      expect(numbers.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("gives every demo account the demo password", async () => {
    for (const account of Object.values(DEMO_ACCOUNTS)) {
      const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, account.email));
      expect(await verifyPassword(DEMO_PASSWORD, user!.passwordHash!), account.email).toBe(true);
    }
  });

  it("shares the private folder with the member but not the admin; the owner sees it anyway", async () => {
    const [privateFolder] = await db
      .select({ id: folders.id })
      .from(folders)
      .where(and(eq(folders.organizationId, demo.organizationIds.demoCo), eq(folders.visibility, "private")));
    const sharedWith = await db
      .select({ email: users.email })
      .from(folderShares)
      .innerJoin(users, eq(users.id, folderShares.userId))
      .where(eq(folderShares.folderId, privateFolder!.id));
    expect(sharedWith.map((row) => row.email)).toContain(DEMO_ACCOUNTS.member.email);
    expect(sharedWith.map((row) => row.email)).not.toContain(DEMO_ACCOUNTS.admin.email);

    const organizationId = demo.organizationIds.demoCo;
    const visibleTo = async (account: (typeof DEMO_ACCOUNTS)[keyof typeof DEMO_ACCOUNTS]) =>
      listVisibleFolderIds({ organizationId, userId: await userIdOf(account.email), role: account.role });
    expect((await visibleTo(DEMO_ACCOUNTS.member)).has(privateFolder!.id)).toBe(true);
    expect((await visibleTo(DEMO_ACCOUNTS.owner)).has(privateFolder!.id)).toBe(true);
    expect((await visibleTo(DEMO_ACCOUNTS.admin)).has(privateFolder!.id)).toBe(false);
  });

  it("stores every version's blob with the recorded size and sha256, as valid PDF, PNG or UTF-8 text", async () => {
    const rows = await db
      .select({ fileId: files.id, contentType: files.contentType, storageKey: fileVersions.storageKey, sizeBytes: fileVersions.sizeBytes, sha256: fileVersions.sha256 })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(inArray(files.organizationId, demoOrganizationIds));
    const contentTypes = new Set<string>();
    for (const row of rows) {
      const bytes = await readStored(row.storageKey);
      expect(bytes.length, row.storageKey).toBe(row.sizeBytes);
      expect(sha256(bytes), row.storageKey).toBe(row.sha256);
      contentTypes.add(row.contentType);
      if (row.contentType === "application/pdf") expectValidPdf(bytes);
      else if (row.contentType === "image/png") expectValidPng(bytes);
      else expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes).length).toBeGreaterThan(0);
    }
    expect(contentTypes).toEqual(new Set(["application/pdf", "image/png", "text/plain", "text/markdown", "text/csv"]));
    for (const versions of groupBy(rows, (row) => row.fileId)) {
      expect(new Set(versions.map((row) => row.sha256)).size, "each version differs").toBe(versions.length);
    }
  });

  it("puts a folder, a task, a file and a comment in the trash, on both sides of the 30-day window", async () => {
    const trashed = await db.execute<{ kind: string; deleted_at: string }>(sql`
      select 'folder' as kind, deleted_at from folders where organization_id = ${demo.organizationIds.demoCo} and deleted_at is not null
      union all select 'task', deleted_at from tasks where organization_id = ${demo.organizationIds.demoCo} and deleted_at is not null
      union all select 'file', deleted_at from files where organization_id = ${demo.organizationIds.demoCo} and deleted_at is not null
      union all select 'comment', deleted_at from comments where organization_id = ${demo.organizationIds.demoCo} and deleted_at is not null
    `);
    expect(new Set(trashed.map((row) => row.kind))).toEqual(new Set(["folder", "task", "file", "comment"]));
    const ageInDays = trashed.map((row) => (Date.now() - new Date(row.deleted_at).getTime()) / 86_400_000);
    expect(ageInDays.some((days) => days > 30)).toBe(true);
    expect(ageInDays.some((days) => days < 30)).toBe(true);
  });

  it("includes formula-like and non-ASCII text for the CSV export to escape and encode", async () => {
    const organizationId = demo.organizationIds.demoCo;
    const formulaTasks = await db
      .select({ title: tasks.title })
      .from(tasks)
      .where(and(eq(tasks.organizationId, organizationId), sql`${tasks.title} like '=SUM(%'`));
    expect(formulaTasks.length).toBeGreaterThan(0);
    const formulaComments = await db
      .select({ body: comments.body })
      .from(comments)
      .where(and(eq(comments.organizationId, organizationId), sql`left(${comments.body}, 1) in ('=', '+', '-', '@')`));
    expect(formulaComments.length).toBeGreaterThan(0);
    const [nonAscii] = await db.execute<{ accents: number; japanese: number; emoji: number }>(sql`
      with texts as (
        select title as value from tasks where organization_id = ${organizationId}
        union all select title from folders where organization_id = ${organizationId}
        union all select name from files where organization_id = ${organizationId}
        union all select body from comments where organization_id = ${organizationId}
      )
      select count(*) filter (where value like '%é%')::int as accents,
             count(*) filter (where value like '%日本%')::int as japanese,
             count(*) filter (where value ~ '[\U0001F300-\U0001FAFF]')::int as emoji
      from texts`);
    for (const count of Object.values(nonAscii!)) expect(count).toBeGreaterThan(0);
  });

  it("keeps every reference inside its own organization, and gives Other Inc data of its own", async () => {
    const [leaks] = await db.execute<Record<string, number>>(sql`
      select
        (select count(*)::int from folders c join folders p on p.id = c.parent_id where c.organization_id <> p.organization_id) as folder_parents,
        (select count(*)::int from task_folders tf join tasks t on t.id = tf.task_id join folders f on f.id = tf.folder_id where t.organization_id <> f.organization_id) as task_folders,
        (select count(*)::int from tasks c join tasks p on p.id = c.parent_task_id where c.organization_id <> p.organization_id) as task_parents,
        (select count(*)::int from files f left join folders d on d.id = f.folder_id left join tasks t on t.id = f.task_id where f.organization_id <> coalesce(d.organization_id, t.organization_id)) as file_parents,
        (select count(*)::int from comments c left join tasks t on t.id = c.task_id left join folders f on f.id = c.folder_id left join file_versions v on v.id = c.file_version_id left join files vf on vf.id = v.file_id
           where c.organization_id <> coalesce(t.organization_id, f.organization_id, vf.organization_id)) as comment_targets,
        (select count(*)::int from recipients r join files f on f.id = r.file_id left join contacts c on c.id = r.contact_id
           where (c.id is not null and c.organization_id <> f.organization_id)
              or (r.user_id is not null and not exists (select 1 from memberships m where m.user_id = r.user_id and m.organization_id = f.organization_id))) as recipients,
        (select count(*)::int from task_assignees a join tasks t on t.id = a.task_id where not exists (select 1 from memberships m where m.user_id = a.user_id and m.organization_id = t.organization_id)) as assignees,
        (select count(*)::int from team_members tm join teams t on t.id = tm.team_id where not exists (select 1 from memberships m where m.user_id = tm.user_id and m.organization_id = t.organization_id)) as team_members,
        (select count(*)::int from folder_shares s join folders f on f.id = s.folder_id where not exists (select 1 from memberships m where m.user_id = s.user_id and m.organization_id = f.organization_id)) as folder_shares
    `);
    for (const [reference, count] of Object.entries(leaks!)) expect.soft(count, reference).toBe(0);

    const otherInc = demo.organizationIds.otherInc;
    for (const table of [folders, tasks, files]) {
      const rows = await db.select({ id: table.id }).from(table).where(eq(table.organizationId, otherInc));
      expect(rows.length).toBeGreaterThan(0);
    }
  });
});

describe("sample file builders", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789", "ascii"))).toBe(0xcbf43926);
  });

  it("builds a PNG of the requested size whose pixels come back out", () => {
    const png = buildPng(3, 2, (x, y) => [x * 10, y * 20, 255]);
    expect(expectValidPng(png)).toEqual({ width: 3, height: 2 });
    const idat = png.subarray(8 + 25 + 8, png.length - 12 - 4);
    expect(inflateSync(idat)).toEqual(Buffer.from([0, 0, 0, 255, 10, 0, 255, 20, 0, 255, 0, 0, 20, 255, 10, 20, 255, 20, 20, 255]));
  });

  it("builds a PDF with escaped text and refuses what Helvetica cannot show", () => {
    const pdf = buildPdf(["Budget (draft) \\ final"]);
    expectValidPdf(pdf);
    expect(pdf.toString("latin1")).toContain("(Budget \\(draft\\) \\\\ final) Tj");
    expect(() => buildPdf(["日本"])).toThrow(/ASCII/);
  });
});

function collect(plan: ScalePlan) {
  return { ...plan, fileBatches: [...plan.fileBatches] };
}

describe("scale seed", () => {
  it("plans the same rows for the same N, and different ones for another N", () => {
    const first = collect(planScale({ files: 50 }));
    expect(collect(planScale({ files: 50 }))).toEqual(first);
    const uids = (plan: ReturnType<typeof collect>) => [
      ...plan.folders.map((row) => row.uid),
      ...plan.tasks.map((row) => row.uid),
      ...plan.taskComments.map((row) => row.uid),
      ...plan.fileBatches.flatMap((batch) => [...batch.files, ...batch.versions.map((version) => version.row), ...batch.comments].map((row) => row.uid)),
    ];
    const firstUids = uids(first);
    expect(new Set(firstUids).size).toBe(firstUids.length);
    const otherUids = new Set(uids(collect(planScale({ files: 51 }))));
    expect(firstUids.filter((uid) => otherUids.has(uid))).toEqual([]);
  });

  it("plans the expected counts for N = 50", () => {
    const plan = collect(planScale({ files: 50 }));
    const batchRows = plan.fileBatches.flatMap((batch) => batch.files);
    const versions = plan.fileBatches.flatMap((batch) => batch.versions);
    expect(plan.organization).toMatchObject({ name: "Scale Org 50", plan: "enterprise" });
    expect(plan.owner.email).toBe("scale-owner@demo.test");
    expect(plan.folders).toHaveLength(1);
    expect(plan.tasks).toHaveLength(10);
    expect(batchRows).toHaveLength(50);
    expect(versions).toHaveLength(94);
    expect(plan.taskComments.length + plan.fileBatches.flatMap((batch) => batch.comments).length).toBe(30);
    expect(plan.totals).toEqual({ files: 50, versions: 94, bytes: versions.reduce((sum, version) => sum + version.row.sizeBytes, 0) });
    for (const version of versions) expect(version.row.sizeBytes).toBeGreaterThanOrEqual(512);
  });

  it("spreads a requested total over the same versions, to the byte", () => {
    const defaultPlan = collect(planScale({ files: 50 }));
    const sizedPlan = collect(planScale({ files: 50, totalBytes: 1_000_000 }));
    const sizes = sizedPlan.fileBatches.flatMap((batch) => batch.versions.map((version) => version.row.sizeBytes));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(1_000_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    const uidsOf = (plan: typeof defaultPlan) => plan.fileBatches.flatMap((batch) => batch.versions.map((version) => version.row.uid));
    expect(uidsOf(sizedPlan)).toEqual(uidsOf(defaultPlan));
    expect(() => planScale({ files: 50, totalBytes: 10 })).toThrow(/at least 94/);
    expect(() => planScale({ files: 0 })).toThrow(/from 1/);
  });

  it("keeps every blob within a requested size range, with or without a total", () => {
    const range = { min: 256 * 1024, max: 64 * 1024 * 1024 };
    const versionsOf = (plan: ReturnType<typeof collect>) => plan.fileBatches.flatMap((batch) => batch.versions);
    const defaultUids = versionsOf(collect(planScale({ files: 50 }))).map((version) => version.row.uid);
    for (const totalBytes of [undefined, 94 * 8 * 1024 * 1024]) {
      const plan = collect(planScale({ files: 50, totalBytes, blobBytes: range }));
      const sizes = versionsOf(plan).map((version) => version.row.sizeBytes);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(range.min);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(range.max);
      expect(new Set(sizes).size).toBeGreaterThan(10);
      expect(plan.totals.bytes).toBe(sizes.reduce((sum, size) => sum + size, 0));
      if (totalBytes !== undefined) expect(plan.totals.bytes).toBe(totalBytes);
      expect(versionsOf(plan).map((version) => version.row.uid)).toEqual(defaultUids);
    }
    expect(() => planScale({ files: 50, totalBytes: 94 * 60 * 1024 * 1024, blobBytes: range })).toThrow(/use more files/);
    expect(() => planScale({ files: 50, totalBytes: 1_000_000, blobBytes: range })).toThrow(/at least 24641536/);
    expect(() => planScale({ files: 50, blobBytes: { min: 10, max: 9 } })).toThrow(/min <= max/);
  });

  it("adds discussion threads up to an exact comment count, on planned targets, changing nothing else", () => {
    const plain = collect(planScale({ files: 50 }));
    const plan = collect(planScale({ files: 50, comments: 100 }));
    expect(plan.fileBatches).toEqual(plain.fileBatches);
    expect(plan.taskComments).toEqual(plain.taskComments);
    const drawn = [...plan.taskComments, ...plan.fileBatches.flatMap((batch) => batch.comments)];
    const discussion = [...plan.discussionBatches].flat();
    expect(drawn.length + discussion.length).toBe(100);
    expect(new Set([...drawn, ...discussion].map((comment) => comment.uid)).size).toBe(100);

    const versionIds = new Set(plan.fileBatches.flatMap((batch) => batch.versions.map((version) => version.row.id)));
    const taskIds = new Set(plan.tasks.map((task) => task.id));
    const discussionIds = new Set(discussion.map((comment) => comment.id));
    for (const comment of discussion) {
      expect(comment.fileVersionId ? versionIds.has(comment.fileVersionId) : taskIds.has(comment.taskId!)).toBe(true);
      if (comment.parentId) expect(discussionIds.has(comment.parentId)).toBe(true);
    }
    expect(discussion.filter((comment) => comment.parentId).length).toBeGreaterThan(discussion.length / 2);
    expect([...plain.discussionBatches]).toEqual([]);
    expect(() => planScale({ files: 50, comments: 29 })).toThrow(/at least 30/);
  });

  it("generates each blob's bytes identically every time, text compressible and binary not", () => {
    const versions = collect(planScale({ files: 50, totalBytes: 2_000_000 })).fileBatches.flatMap((batch) => batch.versions);
    const bytesOf = (blob: (typeof versions)[number]["blob"]) => Buffer.concat([...blobChunks(blob)]);
    for (const kind of ["text", "csv", "binary"] as const) {
      const { blob } = versions.find((version) => version.blob.kind === kind && version.blob.sizeBytes > 20_000)!;
      const bytes = bytesOf(blob);
      expect(bytes.length).toBe(blob.sizeBytes);
      expect(bytesOf(blob)).toEqual(bytes);
      const ratio = deflateSync(bytes).length / bytes.length;
      if (kind === "binary") expect(ratio).toBeGreaterThan(0.99);
      else expect(ratio).toBeLessThan(0.5);
    }
    const large = { kind: "text" as const, sizeBytes: 200_003, seed: versions[0]!.blob.seed };
    expect(Buffer.concat([...blobChunks(large)]).length).toBe(200_003);
  });

  it("inserts the planned rows and blobs, and refuses to add the same organization twice", async () => {
    const plan = collect(planScale({ files: 50 }));
    const progress: number[] = [];
    const summary = await seedScale(db, { files: 50, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([50]);
    expect(summary).toMatchObject({ organizationId: plan.organization.id, name: "Scale Org 50", files: 50, versions: 94, comments: 30 });

    const storedVersions = await db
      .select({ uid: fileVersions.uid, storageKey: fileVersions.storageKey, sizeBytes: fileVersions.sizeBytes, sha256: fileVersions.sha256 })
      .from(fileVersions)
      .innerJoin(files, eq(files.id, fileVersions.fileId))
      .where(eq(files.organizationId, plan.organization.id));
    const planned = new Map(plan.fileBatches.flatMap((batch) => batch.versions).map((version) => [version.row.uid, version]));
    expect(storedVersions).toHaveLength(planned.size);
    for (const row of storedVersions) {
      const expected = sha256(Buffer.concat([...blobChunks(planned.get(row.uid)!.blob)]));
      expect(row.sha256).toBe(expected);
      expect(sha256(await readStored(row.storageKey))).toBe(expected);
    }
    const storedComments = await db
      .select({ id: comments.id })
      .from(comments)
      .where(eq(comments.organizationId, plan.organization.id));
    expect(storedComments).toHaveLength(30);

    await expect(seedScale(db, { files: 50 })).rejects.toBeInstanceOf(ScaleOrganizationExistsError);
    const second = await seedScale(db, { files: 3 });
    expect(second.ownerEmail).toBe("scale-owner@demo.test");
  });

  it("stores the requested number of comments", async () => {
    const summary = await seedScale(db, { files: 7, comments: 2_000, blobBytes: { min: 1_000, max: 5_000 } });
    expect(summary.comments).toBe(2_000);
    const [stored] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(comments)
      .where(eq(comments.organizationId, summary.organizationId));
    expect(stored!.count).toBe(2_000);
  });
});
