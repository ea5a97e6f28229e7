import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import {
  backups,
  comments,
  contacts,
  organizations,
  type Backup,
} from "@/db/schema";
import type { BackupRequestInput } from "@/lib/backups/request-schema";
import { backupArchiveKey } from "@/lib/backups/storage-keys";
import { newUid } from "@/lib/ids";
import { callerFor } from "./support/callers";
import { readWorkspace, visibleTo, type Workspace } from "./support/expected-visibility";

/**
 * Issue 5, points 1–4 and 9, as a checklist: what a backup archive holds, read back entry by entry
 * and compared with the database rows. What each requester may see is worked out here in plain code
 * from the raw rows, not with the SQL the exporter uses, so the two can disagree.
 */

let app: Awaited<ReturnType<typeof importApp>>;

// lib/env parses the environment once, so the app's modules are imported after it is set.
async function importApp() {
  const [{ db }, { waitForInlineRuns }, service, { storage }, { createApiToken }, fixtures] = await Promise.all([
    import("@/db/connection"),
    import("@/inngest/inline-runner"),
    import("@/lib/backups/service"),
    import("@/lib/storage"),
    import("@/lib/api/tokens"),
    import("./workspace-fixtures"),
  ]);
  return { db, waitForInlineRuns, storage, createApiToken, ...service, ...fixtures };
}

type Archive = { backup: Backup; sid: string; zip: JSZip; names: string[] };

const defaults: Omit<BackupRequestInput, "name"> = { description: "", includeFiles: true, formats: ["json", "csv"], csvEncoding: "utf-8", includeBi: false };

async function build(email: string, input: Partial<BackupRequestInput> & { name: string }): Promise<Archive> {
  const requested = await app.requestBackup({ caller: await callerFor(email), input: { ...defaults, ...input } });
  await app.waitForInlineRuns();
  const [backup] = await app.db.select().from(backups).where(eq(backups.id, requested.id));
  if (backup?.status !== "ready") throw new Error(`backup ${input.name} is ${backup?.status}: ${backup?.failureReason}`);
  const [organization] = await app.db.select().from(organizations).where(eq(organizations.id, backup.organizationId));
  const chunks: Buffer[] = [];
  for await (const chunk of await app.storage().read(backupArchiveKey(backup.id))) chunks.push(chunk as Buffer);
  const zip = await JSZip.loadAsync(Buffer.concat(chunks));
  return { backup, sid: organization!.sid, zip, names: Object.keys(zip.files).filter((name) => !zip.files[name]!.dir) };
}

async function bytesOf(archive: Archive, path: string): Promise<Buffer> {
  const entry = archive.zip.file(`${archive.sid}/${path}`);
  if (!entry) throw new Error(`${path} is missing from the archive`);
  return entry.async("nodebuffer");
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** An entry's text in whichever of the three encodings its byte order mark names. */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le", { ignoreBOM: true }).decode(bytes.subarray(2));
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) return bytes.subarray(3).toString("utf8");
  return bytes.toString("utf8");
}

type JsonObject = Record<string, unknown>;

async function jsonOf(archive: Archive, name: string): Promise<JsonObject[]> {
  return JSON.parse((await bytesOf(archive, `json/${name}.json`)).toString("utf8")) as JsonObject[];
}

type Csv = { header: string[]; rows: Record<string, string>[] };

/** Strict RFC 4180 parsing: unbalanced quotes or a record with another field count throw. */
function parseCsv(text: string): Csv {
  const [header = [], ...records] = parse(text, { record_delimiter: "\r\n" }) as string[][];
  return { header, rows: records.map((record) => Object.fromEntries(header.map((column, index) => [column, record[index]!]))) };
}

async function csvOf(archive: Archive, path: string): Promise<Csv> {
  return parseCsv(decode(await bytesOf(archive, path)));
}

/** Every entry's name and decoded text, to search for what must not be anywhere. */
async function wholeText(archive: Archive): Promise<string> {
  const texts = await Promise.all(archive.names.map(async (name) => decode(await archive.zip.file(name)!.async("nodebuffer"))));
  return [...archive.names, ...texts].join("\n");
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** SPEC §4: what a CSV cell holding `value` must read. */
const csvCell = (value: string | number | null | undefined) => (value === null || value === undefined ? "" : FORMULA_START.test(String(value)) ? `'${value}` : String(value));
/** A list cell's items, whatever their order (a neutralized first item is checked by the formula test). */
const listCell = (cell: string, separator: string) => (cell === "" ? [] : cell.replace(/^'(?=[=+\-@\t\r])/, "").split(separator).sort());
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : "");
/** The instant a CSV date cell names, whatever its notation: the notation has a test of its own. */
const instant = (cell: string) => (cell === "" ? "" : new Date(cell.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).toISOString());
const sorted = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
/** Archive name of a version's content: the seed's file names need only the slash replaced. */
const contentPath = (versionUid: string, fileName: string) => `files/${versionUid}_${fileName.replace(/[/\\]/g, "_")}`;

type Visible = ReturnType<typeof visibleTo>;

/** Name and uid lookups over the raw rows. */
function lookups(ws: Workspace) {
  const user = byId(ws.users);
  const folder = byId(ws.folders);
  const task = byId(ws.tasks);
  const file = byId(ws.files);
  const version = byId(ws.fileVersions);
  const contact = byId(ws.contacts);
  const comment = byId(ws.comments);
  return {
    userUid: (id: string | null) => (id ? user.get(id)!.uid : null),
    userName: (id: string | null) => (id ? user.get(id)!.name : ""),
    user: (id: string) => user.get(id)!,
    folder: (id: string) => folder.get(id)!,
    task: (id: string) => task.get(id)!,
    file: (id: string) => file.get(id)!,
    version: (id: string) => version.get(id)!,
    contact: (id: string) => contact.get(id)!,
    comment: (id: string) => comment.get(id)!,
    currentVersion: (fileId: string) => ws.fileVersions.find((candidate) => candidate.fileId === fileId && candidate.version === file.get(fileId)!.currentVersion)!,
  };
}

let ws: Workspace;
let look: ReturnType<typeof lookups>;
let demoCoId: string;
let adminSees: Visible;
let ownerSees: Visible;
/** Admin, JSON + CSV in UTF-8, with files and the BI export. */
let adminFull: Archive;
/** Owner, JSON + CSV in UTF-8, with files, without the BI export. */
let ownerFull: Archive;
/** Admin, CSV only, data only: one per encoding. */
let csvByEncoding: Record<BackupRequestInput["csvEncoding"], Archive>;
let tokenSecret: string;
const replyToTrashedUid = newUid();

beforeAll(async () => {
  Object.assign(process.env, {
    INLINE_RETRY_BASE_MS: "10",
    // Several backups per organization in one file; the cooldowns are tested on their own.
    BACKUP_COOLDOWN_MINUTES_WITH_FILES: "0",
    BACKUP_COOLDOWN_MINUTES_DATA_ONLY: "0",
  });
  app = await importApp();
  demoCoId = await app.organizationIdNamed("Demo Co");
  const admin = await app.viewerFor("admin@demo.test");

  // The seed starts cells with =, + and -; these add @, tab and carriage return, and a line break
  // with neither comma nor quote beside it, which only the line break itself can get quoted.
  await app.db.insert(contacts).values({ uid: newUid(), organizationId: demoCoId, name: "@Rita Alves", email: "rita@tabs.example", company: "\tTabs & Co" });
  await app.db.insert(comments).values({
    uid: newUid(),
    organizationId: demoCoId,
    authorId: admin.userId,
    folderId: await app.folderIdTitled("Marketing"),
    body: "\rCarriage return first\nthen a second line",
  });
  // A reply stays out of the archive while the comment it answers is in the trash.
  const [trashed] = await app.db
    .insert(comments)
    .values({ uid: newUid(), organizationId: demoCoId, authorId: admin.userId, folderId: await app.folderIdTitled("Marketing"), body: "In the trash", deletedAt: new Date() })
    .returning({ id: comments.id });
  await app.db.insert(comments).values({ uid: replyToTrashedUid, organizationId: demoCoId, authorId: admin.userId, folderId: await app.folderIdTitled("Marketing"), parentId: trashed!.id, body: "Answers a trashed comment" });
  // Everything JSON must escape: a quote, a backslash and control characters.
  await app.db.insert(comments).values({
    uid: newUid(),
    organizationId: demoCoId,
    authorId: admin.userId,
    taskId: await app.taskIdTitled("Draft three hero variants"),
    body: 'A "quoted" word, a back\\slash, a tab\t and a bell \u0007',
  });
  // A token whose hash and secret must not leak into any archive.
  tokenSecret = (await app.createApiToken({ caller: await callerFor("admin@demo.test"), name: "CI downloads" })).secret;

  adminFull = await build("admin@demo.test", { name: "Admin, everything", includeBi: true });
  ownerFull = await build("owner@demo.test", { name: "Owner, everything" });
  csvByEncoding = {
    "utf-8": await build("admin@demo.test", { name: "CSV utf-8", includeFiles: false, formats: ["csv"], csvEncoding: "utf-8" }),
    "utf-8-bom": await build("admin@demo.test", { name: "CSV utf-8-bom", includeFiles: false, formats: ["csv"], csvEncoding: "utf-8-bom" }),
    "utf-16le": await build("admin@demo.test", { name: "CSV utf-16le", includeFiles: false, formats: ["csv"], csvEncoding: "utf-16le" }),
  };

  ws = await readWorkspace();
  look = lookups(ws);
  adminSees = visibleTo(ws, admin);
  ownerSees = visibleTo(ws, await app.viewerFor("owner@demo.test"));
});

const WORKFRONT_CSVS = ["organisation", "users", "contacts", "files", "recipients", "comments", "comment_replies"];
const ALL_CSVS = [...WORKFRONT_CSVS, "folders", "tasks", "time_logs"];
const BI_CSVS = ["tasks", "time_logs", "comments", "file_versions"];

/** A CSV's rows reduced to `columns`, by uid, for comparison with rows expected from the database. */
async function csvRows(archive: Archive, name: string, columns: string[], dates: string[] = []) {
  const { rows } = await csvOf(archive, `csv/${name}.csv`);
  const picked = rows.map((row) => Object.fromEntries(columns.map((column) => [column, dates.includes(column) ? instant(row[column]!) : row[column]])));
  return sorted(picked, (row) => row.uid ?? "");
}

describe("issue 5 §1: Workfront's CSVs", () => {
  it("csv/ holds Workfront's seven (organisation, users, contacts, files, recipients, comments, comment_replies) plus folders, tasks and time_logs, each with a header row naming the columns the seeds imply", async () => {
    const required: Record<string, string[]> = {
      organisation: ["accountNumber", "sid", "name"],
      users: ["uid", "firstName", "lastName", "email", "role"],
      contacts: ["uid", "name", "email", "company"],
      files: ["uid", "name", "contentType", "currentVersion", "versionCount", "currentSizeBytes", "location", "creatorName", "createdAt"],
      recipients: ["uid", "fileUid", "recipientUid", "recipientName", "role", "decision", "decidedAt"],
      comments: ["uid", "targetUid", "authorName", "body", "createdAt"],
      comment_replies: ["uid", "parentUid", "authorName", "body", "createdAt"],
      folders: ["uid", "parentUid", "title", "description", "authorUid", "createdAt"],
      tasks: ["uid", "parentUid", "title", "status", "importance", "assignees", "authorUid", "descriptionHtml", "createdAt"],
      time_logs: ["uid", "taskUid", "userUid", "loggedOn", "hours", "comment"],
    };
    for (const name of ALL_CSVS) {
      const { header } = await csvOf(adminFull, `csv/${name}.csv`);
      expect(header, name).toEqual(expect.arrayContaining(required[name]!));
      expect(new Set(header).size, `${name}: column names are unique`).toBe(header.length);
    }
  });

  it("csv/ and bi/ are RFC 4180 (a strict parser reads them, one field count per file) with CRLF and only CRLF ending every record", async () => {
    for (const path of [...ALL_CSVS.map((name) => `csv/${name}.csv`), ...BI_CSVS.map((name) => `bi/${name}.csv`)]) {
      const text = decode(await bytesOf(adminFull, path));
      const { header, rows } = parseCsv(text);
      expect(header.length, path).toBeGreaterThan(1);
      expect(rows.length, path).toBeGreaterThan(0);
      expect(text.endsWith("\r\n"), `${path} ends its last record with CRLF`).toBe(true);
      // Outside quoted fields, every CR is followed by LF and every LF preceded by CR.
      const unquoted = text.replace(/"(?:[^"]|"")*"/g, "");
      expect(/.{0,60}(?:\r(?!\n)|(?<!\r)\n).{0,60}/s.exec(unquoted)?.[0], `${path}: a CR or LF that is not a record end is quoted`).toBeUndefined();
    }
  });

  it("csv/organisation.csv, users.csv and contacts.csv: ids, names, e-mails, roles and each contact's organization, as in the database", async () => {
    const organization = ws.organizations.find((row) => row.id === demoCoId)!;
    expect((await csvOf(adminFull, "csv/organisation.csv")).rows.map((row) => [row.accountNumber, row.sid, row.name])).toEqual([
      [String(organization.accountNumber), organization.sid, organization.name],
    ]);
    const role = (userId: string) => ws.memberships.find((membership) => membership.userId === userId && membership.organizationId === demoCoId)!.role;
    const usersCsv = (await csvRows(adminFull, "users", ["uid", "firstName", "lastName", "email", "role"])).map(({ firstName, lastName, ...row }) => ({
      ...row,
      name: `${firstName} ${lastName}`.trim(),
    }));
    expect(usersCsv).toEqual(sorted(adminSees.users.map((user) => ({ uid: user.uid, email: user.email, role: role(user.id), name: user.name })), (row) => row.uid));
    expect(await csvRows(adminFull, "contacts", ["uid", "name", "email", "company"])).toEqual(
      sorted(
        adminSees.contacts.map((contact) => ({ uid: contact.uid, name: csvCell(contact.name), email: csvCell(contact.email), company: csvCell(contact.company) })),
        (row) => row.uid,
      ),
    );
  });

  it("csv/files.csv: each visible file's Proof Details (name, type, current version, version count, size, checksum, location, creator, date created)", async () => {
    const columns = ["uid", "name", "contentType", "currentVersion", "versionCount", "currentSizeBytes", "currentSha256", "location", "creatorName", "createdAt"];
    expect(await csvRows(adminFull, "files", columns, ["createdAt"])).toEqual(
      sorted(
        adminSees.files.map((file) => {
          const current = look.currentVersion(file.id);
          return {
            uid: file.uid,
            name: csvCell(file.name),
            contentType: file.contentType,
            currentVersion: String(file.currentVersion),
            versionCount: String(ws.fileVersions.filter((version) => version.fileId === file.id).length),
            currentSizeBytes: String(current.sizeBytes),
            currentSha256: current.sha256,
            location: csvCell(file.folderId ? look.folder(file.folderId).title : look.task(file.taskId!).title),
            creatorName: csvCell(look.userName(file.createdBy)),
            createdAt: iso(file.createdAt),
          };
        }),
        (row) => row.uid,
      ),
    );
  });

  it("csv/recipients.csv: each reviewer's and approver's id, file, role, decision and decision date, users and contacts alike", async () => {
    const columns = ["uid", "fileUid", "recipientType", "recipientUid", "recipientName", "role", "decision", "decidedAt"];
    const expected = adminSees.recipients.map((recipient) => {
      const person = recipient.userId ? look.user(recipient.userId) : look.contact(recipient.contactId!);
      return {
        uid: recipient.uid,
        fileUid: look.file(recipient.fileId).uid,
        recipientType: recipient.userId ? "user" : "contact",
        recipientUid: person.uid,
        recipientName: csvCell(person.name),
        role: recipient.role,
        decision: recipient.decision,
        decidedAt: iso(recipient.decidedAt),
      };
    });
    expect(new Set(expected.map((row) => row.decision)).size, "the seed has several decisions").toBeGreaterThan(2);
    expect(await csvRows(adminFull, "recipients", columns, ["decidedAt"])).toEqual(sorted(expected, (row) => row.uid));
  });

  it("csv/comments.csv and comment_replies.csv: top-level comments and replies apart, with target, author, exact body (quotes, commas, line breaks) and date", async () => {
    const targetUid = (comment: Visible["comments"][number]) =>
      comment.folderId ? look.folder(comment.folderId).uid : comment.taskId ? look.task(comment.taskId).uid : look.version(comment.fileVersionId!).uid;
    const shape = (comment: Visible["comments"][number]) => ({
      uid: comment.uid,
      targetUid: targetUid(comment),
      authorName: csvCell(look.userName(comment.authorId)),
      body: csvCell(comment.body),
      createdAt: iso(comment.createdAt),
    });
    const topLevel = adminSees.comments.filter((comment) => !comment.parentId);
    const replies = adminSees.comments.filter((comment) => comment.parentId);
    expect(topLevel.some((comment) => /[",\n]/.test(comment.body)), "a body that needs quoting").toBe(true);
    expect(await csvRows(adminFull, "comments", ["uid", "targetUid", "authorName", "body", "createdAt"], ["createdAt"])).toEqual(sorted(topLevel.map(shape), (row) => row.uid));
    expect(await csvRows(adminFull, "comment_replies", ["uid", "parentUid", "targetUid", "authorName", "body", "createdAt"], ["createdAt"])).toEqual(
      sorted(
        replies.map((reply) => ({ ...shape(reply), parentUid: look.comment(reply.parentId!).uid })),
        (row) => row.uid,
      ),
    );
  });

  it("csv/folders.csv, tasks.csv and time_logs.csv: every visible row with its titles, descriptions, people, dates and hours", async () => {
    expect(await csvRows(adminFull, "folders", ["uid", "parentUid", "title", "description", "authorUid", "createdAt"], ["createdAt"])).toEqual(
      sorted(
        adminSees.folders.map((folder) => ({
          uid: folder.uid,
          parentUid: folder.parentId ? look.folder(folder.parentId).uid : "",
          title: csvCell(folder.title),
          description: csvCell(folder.description),
          authorUid: look.userUid(folder.authorId) ?? "",
          createdAt: iso(folder.createdAt),
        })),
        (row) => row.uid,
      ),
    );
    const tasksCsv = (await csvRows(adminFull, "tasks", ["uid", "parentUid", "title", "status", "importance", "assignees", "authorUid", "descriptionHtml", "createdAt"], ["createdAt"])).map(
      (row) => ({ ...row, assignees: listCell(row.assignees!, ";") }),
    );
    expect(tasksCsv).toEqual(
      sorted(
        adminSees.tasks.map((task) => ({
          uid: task.uid,
          parentUid: task.parentTaskId ? look.task(task.parentTaskId).uid : "",
          title: csvCell(task.title),
          status: task.status,
          importance: task.importance,
          assignees: ws.taskAssignees.filter((link) => link.taskId === task.id).map((link) => look.userUid(link.userId)!).sort(),
          authorUid: look.userUid(task.authorId) ?? "",
          descriptionHtml: csvCell(task.descriptionHtml),
          createdAt: iso(task.createdAt),
        })),
        (row) => row.uid,
      ),
    );
    expect(await csvRows(adminFull, "time_logs", ["uid", "taskUid", "userUid", "loggedOn", "hours", "comment"])).toEqual(
      sorted(
        adminSees.timeLogs.map((log) => ({
          uid: log.uid,
          taskUid: look.task(log.taskId).uid,
          userUid: look.userUid(log.userId) ?? "",
          loggedOn: log.loggedOn,
          hours: log.hours,
          comment: csvCell(log.comment),
        })),
        (row) => row.uid,
      ),
    );
  });

  it("csv/ and bi/ dates are ISO 8601 UTC, the same notation as the JSON and organisation.csv", async () => {
    const offenders: string[] = [];
    for (const path of [...ALL_CSVS.map((name) => `csv/${name}.csv`), ...BI_CSVS.map((name) => `bi/${name}.csv`)]) {
      const { header, rows } = await csvOf(adminFull, path);
      for (const column of header.filter((name) => name.endsWith("At"))) {
        const wrong = rows.map((row) => row[column]!).find((cell) => cell !== "" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/.test(cell));
        if (wrong !== undefined) offenders.push(`${path} ${column}: ${wrong}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("csv/ in utf-8 has no BOM, utf-8-bom starts with EF BB BF, utf-16le with FF FE, and every CSV decodes to the same text in all three", async () => {
    const strict = (encoding: string) => new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    for (const name of ALL_CSVS) {
      const path = `csv/${name}.csv`;
      const utf8 = await bytesOf(csvByEncoding["utf-8"], path);
      const bom = await bytesOf(csvByEncoding["utf-8-bom"], path);
      const utf16 = await bytesOf(csvByEncoding["utf-16le"], path);
      expect(utf8.subarray(0, 3).equals(UTF8_BOM), `${path} utf-8 has no BOM`).toBe(false);
      expect([...bom.subarray(0, 3)], `${path} utf-8-bom`).toEqual([0xef, 0xbb, 0xbf]);
      expect([...utf16.subarray(0, 2)], `${path} utf-16le`).toEqual([0xff, 0xfe]);
      const text = strict("utf-8").decode(utf8);
      expect(text.startsWith("\ufeff"), path).toBe(false);
      // One BOM at the very start only, not one per chunk written.
      expect(strict("utf-8").decode(bom.subarray(3)), `${path} utf-8-bom`).toBe(text);
      expect(strict("utf-16le").decode(utf16.subarray(2)), `${path} utf-16le`).toBe(text);
      expect(text, `${path} is the same as in the full backup`).toBe(decode(await bytesOf(adminFull, path)));
    }
  });

  it("csv/ keeps the seed's non-ASCII text (accents, Japanese, emoji) intact in every encoding", async () => {
    const texts = [
      ...adminSees.users.map((user) => user.name),
      ...adminSees.contacts.flatMap((contact) => [contact.name, contact.company ?? ""]),
      ...adminSees.folders.map((folder) => folder.title),
      ...adminSees.tasks.flatMap((task) => [task.title, task.descriptionHtml]),
      ...adminSees.files.map((file) => file.name),
      ...adminSees.comments.map((comment) => comment.body),
      ...adminSees.timeLogs.map((log) => log.comment),
    ].filter((text) => /[^\x00-\x7f]/.test(text));
    expect(texts.some((text) => /\p{Script=Han}/u.test(text)) && texts.some((text) => /\p{Extended_Pictographic}/u.test(text)) && texts.some((text) => /é/.test(text))).toBe(true);
    for (const [encoding, archive] of Object.entries(csvByEncoding)) {
      const cells = new Set<string>();
      for (const name of ALL_CSVS) for (const row of (await csvOf(archive, `csv/${name}.csv`)).rows) for (const cell of Object.values(row)) cells.add(cell);
      expect(texts.filter((text) => !cells.has(csvCell(text))), encoding).toEqual([]);
    }
  });

  it("csv/ and bi/ prefix a cell starting with =, +, -, @, tab or carriage return with ' (no cell starts with one); json/ keeps the exact value", async () => {
    const formulas = [
      ...adminSees.contacts.flatMap((contact) => [contact.name, contact.company ?? ""]),
      ...adminSees.tasks.map((task) => task.title),
      ...adminSees.comments.map((comment) => comment.body),
      ...adminSees.timeLogs.map((log) => log.comment),
    ].filter((text) => FORMULA_START.test(text));
    expect(new Set(formulas.map((text) => text[0])), "the data starts cells with all six").toEqual(new Set(["=", "+", "-", "@", "\t", "\r"]));

    const cells = new Set<string>();
    const unsafe: string[] = [];
    for (const path of [...ALL_CSVS.map((name) => `csv/${name}.csv`), ...BI_CSVS.map((name) => `bi/${name}.csv`)]) {
      for (const row of (await csvOf(adminFull, path)).rows) {
        for (const cell of Object.values(row)) {
          cells.add(cell);
          if (FORMULA_START.test(cell)) unsafe.push(`${path}: ${JSON.stringify(cell)}`);
        }
      }
    }
    expect(unsafe).toEqual([]);
    expect(formulas.filter((text) => !cells.has(`'${text}`))).toEqual([]);

    const jsonStrings = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === "string") jsonStrings.add(value);
      else if (value && typeof value === "object") Object.values(value).forEach(collect);
    };
    for (const name of ["contacts", "tasks", "comments"]) collect(await jsonOf(adminFull, name));
    expect(formulas.filter((text) => !jsonStrings.has(text)), "exact in JSON").toEqual([]);
    expect(formulas.filter((text) => jsonStrings.has(`'${text}`)), "never prefixed in JSON").toEqual([]);
  });
});

const pick = <Key extends string>(object: JsonObject, keys: readonly Key[]) => Object.fromEntries(keys.map((key) => [key, object[key]])) as Record<Key, unknown>;
const sortedIds = (value: unknown) => (Array.isArray(value) ? [...(value as string[])].sort() : value);

describe("issue 5 §2: Wrike's JSON shapes", () => {
  it("json/users.json: firstName, lastName, uid, email and userType of every member", async () => {
    const role = (userId: string) => ws.memberships.find((membership) => membership.userId === userId && membership.organizationId === demoCoId)!.role;
    const actual = (await jsonOf(adminFull, "users")).map((user) => ({
      uid: user.uid,
      email: user.email,
      userType: user.userType,
      name: typeof user.firstName === "string" && typeof user.lastName === "string" ? `${user.firstName} ${user.lastName}`.trim() : undefined,
    }));
    expect(sorted(actual, (user) => String(user.uid))).toEqual(
      sorted(adminSees.users.map((user) => ({ uid: user.uid, email: user.email, userType: role(user.id), name: user.name })), (user) => user.uid),
    );
  });

  it("json/teams.json: uid, name and members (user uids) of every team", async () => {
    const actual = (await jsonOf(adminFull, "teams")).map((team) => ({ ...pick(team, ["uid", "name"]), members: sortedIds(team.members) }));
    expect(sorted(actual, (team) => String(team.uid))).toEqual(
      sorted(
        adminSees.teams.map((team) => ({
          uid: team.uid,
          name: team.name,
          members: ws.teamMembers.filter((member) => member.teamId === team.id).map((member) => look.userUid(member.userId)!).sort(),
        })),
        (team) => team.uid,
      ),
    );
  });

  it("json/folders.json: id, title, description, author uid, dateCreated, shared user uids and children = ids of the non-deleted child folders the requester sees", async () => {
    expect(ownerSees.folders.some((folder) => ws.folderShares.some((share) => share.folderId === folder.id)), "the owner's backup has a shared folder").toBe(true);
    const marketing = ws.folders.find((folder) => folder.title === "Marketing")!;
    expect(ws.folders.some((child) => child.parentId === marketing.id && child.deletedAt), "the seed has a trashed child folder").toBe(true);
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees]] as const) {
      const actual = (await jsonOf(archive, "folders")).map((folder) => ({ ...pick(folder, ["id", "title", "description", "author", "dateCreated"]), shared: sortedIds(folder.shared), children: sortedIds(folder.children) }));
      const expected = sees.folders.map((folder) => ({
        id: folder.uid,
        title: folder.title,
        description: folder.description,
        author: look.userUid(folder.authorId),
        dateCreated: iso(folder.createdAt),
        shared: ws.folderShares.filter((share) => share.folderId === folder.id).map((share) => look.userUid(share.userId)!).sort(),
        children: ws.folders.filter((child) => child.parentId === folder.id && sees.folderVisible(child.id)).map((child) => child.uid).sort(),
      }));
      expect(sorted(actual, (folder) => String(folder.id)), archive.backup.name).toEqual(sorted(expected, (folder) => folder.id));
    }
  });

  it("json/tasks.json: tasks and subtasks together, the folder shape without children, with descriptions and time logs", async () => {
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees]] as const) {
      const sharedThroughFolders = (taskId: string) =>
        ws.taskFolders
          .filter((link) => link.taskId === taskId && sees.folderVisible(link.folderId))
          .flatMap((link) => ws.folderShares.filter((share) => share.folderId === link.folderId).map((share) => look.userUid(share.userId)!));
      const actual = (await jsonOf(archive, "tasks")).map((task) => ({
        ...pick(task, ["id", "title", "description", "author", "dateCreated", "children", "shared"]),
        timeLogs: sorted((task.timeLogs as JsonObject[] | undefined) ?? [], (log) => String(log.id)),
      }));
      const expected = sees.tasks.map((task) => ({
        id: task.uid,
        title: task.title,
        description: task.descriptionHtml,
        author: look.userUid(task.authorId),
        dateCreated: iso(task.createdAt),
        children: undefined,
        // Users a task is shared with through its folders are among those it lists (an empty
        // arrayContaining would also match a missing key).
        shared: sharedThroughFolders(task.id).length > 0 ? expect.arrayContaining(sharedThroughFolders(task.id)) : expect.any(Array),
        timeLogs: sorted(
          ws.timeLogs
            .filter((log) => log.taskId === task.id)
            .map((log) => ({ id: log.uid, userId: look.userUid(log.userId), date: log.loggedOn, hours: Number(log.hours), comment: log.comment })),
          (log) => log.id,
        ),
      }));
      expect(sees.tasks.some((task) => task.parentTaskId), "subtasks are among them").toBe(true);
      expect(sorted(actual, (task) => String(task.id)), archive.backup.name).toEqual(sorted(expected, (task) => task.id));
    }
  });

  it("json/folders.json and tasks.json comments: body, author uid and dateCreated of every visible comment on the folder or task", async () => {
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees]] as const) {
      for (const kind of ["folders", "tasks"] as const) {
        const actual = (await jsonOf(archive, kind)).map((parent) => ({
          id: parent.id,
          comments: sorted(
            ((parent.comments as JsonObject[]) ?? []).map((comment) => pick(comment, ["body", "author", "dateCreated"])),
            (comment) => `${comment.dateCreated}${comment.body}`,
          ),
        }));
        const parents = kind === "folders" ? sees.folders : sees.tasks;
        const expected = parents.map((parent) => ({
          id: parent.uid,
          comments: sorted(
            sees.comments
              .filter((comment) => (kind === "folders" ? comment.folderId : comment.taskId) === parent.id)
              .map((comment) => ({ body: comment.body, author: look.userUid(comment.authorId), dateCreated: iso(comment.createdAt) })),
            (comment) => `${comment.dateCreated}${comment.body}`,
          ),
        }));
        expect(expected.some((parent) => parent.comments.length > 0), kind).toBe(true);
        expect(sorted(actual, (parent) => String(parent.id)), `${archive.backup.name} ${kind}`).toEqual(sorted(expected, (parent) => parent.id));
      }
    }
  });

  it("json/folders.json and tasks.json attachments: id, name, contentType, version, parentId, dateUploaded, and apiId = the version uid whose content is under files/", async () => {
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees]] as const) {
      for (const kind of ["folders", "tasks"] as const) {
        const keys = ["id", "name", "contentType", "version", "parentId", "apiId", "dateUploaded"];
        const entries = await jsonOf(archive, kind);
        const actual = entries.map((parent) => ({
          id: parent.id,
          attachments: sorted(((parent.attachments as JsonObject[]) ?? []).map((attachment) => pick(attachment, keys)), (attachment) => String(attachment.id)),
        }));
        const parents = kind === "folders" ? sees.folders : sees.tasks;
        const expected = parents.map((parent) => ({
          id: parent.uid,
          attachments: sorted(
            sees.files
              .filter((file) => (kind === "folders" ? file.folderId : file.taskId) === parent.id)
              .map((file) => {
                const current = look.currentVersion(file.id);
                return { id: file.uid, name: file.name, contentType: file.contentType, version: file.currentVersion, parentId: parent.uid, apiId: current.uid, dateUploaded: iso(current.uploadedAt) };
              }),
            (attachment) => attachment.id,
          ),
        }));
        expect(expected.some((parent) => parent.attachments.length > 0), kind).toBe(true);
        expect(sorted(actual, (parent) => String(parent.id)), `${archive.backup.name} ${kind}`).toEqual(sorted(expected, (parent) => parent.id));
        for (const attachment of actual.flatMap((parent) => parent.attachments)) {
          expect(archive.names, `${kind} attachment ${attachment.name}`).toContain(`${archive.sid}/${contentPath(String(attachment.apiId), String(attachment.name))}`);
        }
      }
    }
  });

  it("json/files.json, contacts.json and comments.json: every visible row, consistent with the database, text exact, comments oldest first", async () => {
    const filesJson = (await jsonOf(adminFull, "files")).map((file) => ({
      ...pick(file, ["id", "name", "contentType", "version", "folderId", "taskId", "createdBy"]),
      versions: ((file.versions as JsonObject[]) ?? []).map((version) => pick(version, ["version", "apiId", "size", "sha256"])),
      recipients: sorted(((file.recipients as JsonObject[]) ?? []).map((recipient) => pick(recipient, ["id", "personId", "role", "decision"])), (recipient) => String(recipient.id)),
    }));
    expect(sorted(filesJson, (file) => String(file.id))).toEqual(
      sorted(
        adminSees.files.map((file) => ({
          id: file.uid,
          name: file.name,
          contentType: file.contentType,
          version: file.currentVersion,
          folderId: file.folderId ? look.folder(file.folderId).uid : null,
          taskId: file.taskId ? look.task(file.taskId).uid : null,
          createdBy: look.userUid(file.createdBy),
          versions: sorted(
            ws.fileVersions.filter((version) => version.fileId === file.id),
            (version) => String(version.version).padStart(6, "0"),
          ).map((version) => ({ version: version.version, apiId: version.uid, size: version.sizeBytes, sha256: version.sha256 })),
          recipients: sorted(
            ws.recipients
              .filter((recipient) => recipient.fileId === file.id)
              .map((recipient) => ({
                id: recipient.uid,
                personId: recipient.userId ? look.userUid(recipient.userId) : look.contact(recipient.contactId!).uid,
                role: recipient.role,
                decision: recipient.decision,
              })),
            (recipient) => recipient.id,
          ),
        })),
        (file) => file.id,
      ),
    );

    const contactsJson = (await jsonOf(adminFull, "contacts")).map((contact) => pick(contact, ["uid", "name", "email", "company"]));
    expect(sorted(contactsJson, (contact) => String(contact.uid))).toEqual(
      sorted(
        adminSees.contacts.map((contact) => ({ uid: contact.uid, name: contact.name, email: contact.email, company: contact.company })),
        (contact) => contact.uid,
      ),
    );

    const commentsJson = (await jsonOf(adminFull, "comments")).map((comment) => ({
      ...pick(comment, ["id", "parentId", "authorId", "text", "createdDate"]),
      target: pick(comment.target as JsonObject, ["type", "id", "fileId", "version"]),
    }));
    expect(sorted(commentsJson, (comment) => String(comment.id))).toEqual(
      sorted(
        adminSees.comments.map((comment) => ({
          id: comment.uid,
          parentId: comment.parentId ? look.comment(comment.parentId).uid : null,
          authorId: look.userUid(comment.authorId),
          text: comment.body,
          createdDate: iso(comment.createdAt),
          target: comment.folderId
            ? { type: "folder", id: look.folder(comment.folderId).uid }
            : comment.taskId
              ? { type: "task", id: look.task(comment.taskId).uid }
              : {
                  type: "fileVersion",
                  id: look.version(comment.fileVersionId!).uid,
                  fileId: look.file(look.version(comment.fileVersionId!).fileId).uid,
                  version: look.version(comment.fileVersionId!).version,
                },
        })),
        (comment) => comment.id,
      ),
    );
    // In the order they were written, as the folders' and tasks' inline comments are.
    const commentDates = commentsJson.map((comment) => String(comment.createdDate));
    expect(commentDates).toEqual([...commentDates].sort());
  });
});

describe("issue 5 §3: the third seed's layout", () => {
  it("puts every entry under the organization's sid", async () => {
    const sid = ws.organizations.find((organization) => organization.id === demoCoId)!.sid;
    for (const archive of [adminFull, ownerFull, ...Object.values(csvByEncoding)]) {
      expect(archive.names.filter((name) => !name.startsWith(`${sid}/`)), archive.backup.name).toEqual([]);
    }
  });

  it("versions/<file uid>_<version>.json: one per visible file version, with its metadata", async () => {
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees], [csvByEncoding["utf-8"], adminSees]] as const) {
      const names = archive.names.filter((name) => name.startsWith(`${archive.sid}/versions/`));
      const expected = sees.versions.map((version) => {
        const file = look.file(version.fileId);
        return {
          fileId: file.uid,
          fileName: file.name,
          contentType: file.contentType,
          version: version.version,
          apiId: version.uid,
          size: version.sizeBytes,
          sha256: version.sha256,
          uploadedBy: look.userUid(version.uploadedBy),
          uploadedDate: iso(version.uploadedAt),
          path: archive.backup.options.includeFiles ? contentPath(version.uid, file.name) : null,
        };
      });
      expect(names.sort(), archive.backup.name).toEqual(expected.map((version) => `${archive.sid}/versions/${version.fileId}_${version.version}.json`).sort());
      for (const version of expected) {
        const metadata = JSON.parse((await bytesOf(archive, `versions/${version.fileId}_${version.version}.json`)).toString("utf8")) as JsonObject;
        expect(pick(metadata, Object.keys(version)), `${archive.backup.name} ${version.fileName} v${version.version}`).toEqual(version);
      }
    }
  });

  it("files/<version uid>_<file name>: one per visible file version with its exact bytes when files are included, none without", async () => {
    for (const [archive, sees] of [[adminFull, adminSees], [ownerFull, ownerSees]] as const) {
      const packed = archive.names.filter((name) => name.startsWith(`${archive.sid}/files/`));
      expect(packed.sort(), archive.backup.name).toEqual(sees.versions.map((version) => `${archive.sid}/${contentPath(version.uid, look.file(version.fileId).name)}`).sort());
      for (const version of sees.versions) {
        const bytes = await bytesOf(archive, contentPath(version.uid, look.file(version.fileId).name));
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(version.sha256);
      }
    }
    expect(csvByEncoding["utf-8"].names.filter((name) => name.includes("/files/"))).toEqual([]);
  });

  it("records on the backup row (shown on the detail page) and in the manifest the versions and files counts the archive holds", async () => {
    for (const archive of [adminFull, ownerFull, csvByEncoding["utf-8"]]) {
      const packed = archive.names.filter((name) => name.startsWith(`${archive.sid}/files/`)).length;
      const fileUids = new Set(
        archive.names.filter((name) => name.startsWith(`${archive.sid}/versions/`)).map((name) => name.slice(`${archive.sid}/versions/`.length).replace(/_\d+\.json$/, "")),
      );
      expect({ versions: archive.backup.versionsCount, files: archive.backup.filesCount }, archive.backup.name).toEqual({ versions: packed, files: fileUids.size });
      const manifest = JSON.parse((await bytesOf(archive, "manifest.json")).toString("utf8")) as { counts: { versions: number; files: number } };
      expect(pick(manifest.counts, ["versions", "files"])).toEqual({ versions: packed, files: fileUids.size });
    }
    expect(adminFull.backup.versionsCount).toBe(adminSees.versions.length);
    expect(ownerFull.backup.filesCount).toBe(ownerSees.files.length);
  });
});

describe("issue 5 §4: scope", () => {
  it("never includes the trash: the trashed folder, task, file and comments, and what hangs on them, are absent from JSON, CSV, versions/, files/ and the manifest", async () => {
    const mine = <T extends { organizationId: string }>(rows: T[]) => rows.filter((row) => row.organizationId === demoCoId);
    const trashed = {
      folders: mine(ws.folders).filter((folder) => folder.deletedAt),
      tasks: mine(ws.tasks).filter((task) => task.deletedAt),
      files: mine(ws.files).filter((file) => file.deletedAt),
      comments: mine(ws.comments).filter((comment) => comment.deletedAt),
    };
    for (const [kind, rows] of Object.entries(trashed)) expect(rows.length, `the seed has a trashed ${kind}`).toBeGreaterThan(0);
    // The owner sees everything that is not trash, so what the owner does not see is trash or hangs on it.
    const notVisible = <T extends { id: string }>(rows: T[], visible: T[]) => rows.filter((row) => !visible.some((seen) => seen.id === row.id));
    const uids = [
      ...notVisible(mine(ws.folders), ownerSees.folders),
      ...notVisible(mine(ws.tasks), ownerSees.tasks),
      ...notVisible(mine(ws.files), ownerSees.files),
      ...notVisible(
        ws.fileVersions.filter((version) => look.file(version.fileId).organizationId === demoCoId),
        ownerSees.versions,
      ),
      ...notVisible(mine(ws.comments), ownerSees.comments),
    ].map((row) => row.uid);
    expect(uids.length, "what hangs on trashed rows (versions, comments on a trashed folder) is checked too").toBeGreaterThan(Object.values(trashed).flat().length);
    expect(uids, "a reply to a trashed comment is checked").toContain(replyToTrashedUid);
    const texts = [
      ...trashed.folders.map((folder) => folder.title),
      ...trashed.tasks.map((task) => task.title),
      ...trashed.files.map((file) => file.name),
      ...notVisible(mine(ws.comments), ownerSees.comments).map((comment) => comment.body),
    ];
    for (const archive of [adminFull, ownerFull]) {
      const text = await wholeText(archive);
      expect([...uids, ...texts].filter((needle) => text.includes(needle)), archive.backup.name).toEqual([]);
    }
  });

  it("includes a private folder and its contents in the owner's backup but not in an admin's it is not shared with; members, who may be shared on it, cannot back up at all", async () => {
    const admin = await app.viewerFor("admin@demo.test");
    const privateFolders = ws.folders.filter(
      (folder) => folder.organizationId === demoCoId && folder.visibility === "private" && !folder.deletedAt && !ws.folderShares.some((share) => share.folderId === folder.id && share.userId === admin.userId),
    );
    expect(privateFolders.length, "the seed has a private folder the admin is not on").toBeGreaterThan(0);
    const hidden = <T extends { id: string; uid: string }>(owner: T[], adminRows: T[]) => owner.filter((row) => !adminRows.some((seen) => seen.id === row.id));
    const hiddenFolders = hidden(ownerSees.folders, adminSees.folders);
    expect(hiddenFolders.map((folder) => folder.id)).toEqual(expect.arrayContaining(privateFolders.map((folder) => folder.id)));
    const hiddenRows = {
      folders: hiddenFolders,
      tasks: hidden(ownerSees.tasks, adminSees.tasks),
      files: hidden(ownerSees.files, adminSees.files),
      versions: hidden(ownerSees.versions, adminSees.versions),
      comments: hidden(ownerSees.comments, adminSees.comments),
      timeLogs: hidden(ownerSees.timeLogs, adminSees.timeLogs),
    };
    for (const [kind, rows] of Object.entries(hiddenRows)) expect(rows.length, `the private folder holds ${kind}`).toBeGreaterThan(0);
    const uids = Object.values(hiddenRows).flatMap((rows) => rows.map((row) => row.uid));
    const titles = [...hiddenRows.folders.map((folder) => folder.title), ...hiddenRows.tasks.map((task) => task.title), ...hiddenRows.files.map((file) => file.name)];

    const adminText = await wholeText(adminFull);
    expect([...uids, ...titles].filter((needle) => adminText.includes(needle)), "absent from the admin's backup").toEqual([]);
    const ownerText = await wholeText(ownerFull);
    expect([...uids, ...titles].filter((needle) => !ownerText.includes(needle)), "present in the owner's backup").toEqual([]);
    for (const version of hiddenRows.versions) expect(ownerFull.names).toContain(`${ownerFull.sid}/${contentPath(version.uid, look.file(version.fileId).name)}`);

    const member = await app.viewerFor("member@demo.test");
    expect(ws.folderShares.some((share) => share.userId === member.userId && privateFolders.some((folder) => folder.id === share.folderId))).toBe(true);
    await app.expectRefused("forbidden", () => callerFor("member@demo.test").then((caller) => app.requestBackup({ caller, input: { ...defaults, name: "Member's" } })));
  });

  it("exports no secrets: no password hash, API token hash or token secret in any entry of any backup", async () => {
    const secrets = [...ws.users.map((user) => user.passwordHash), ...ws.apiTokens.map((token) => token.tokenHash), tokenSecret].filter((secret): secret is string => Boolean(secret));
    expect(secrets.length).toBeGreaterThan(ws.users.length);
    for (const archive of [adminFull, ownerFull, ...Object.values(csvByEncoding)]) {
      const text = await wholeText(archive);
      expect(secrets.filter((secret) => text.includes(secret)), archive.backup.name).toEqual([]);
      expect(text, archive.backup.name).not.toMatch(/\$2[aby]\$\d\d\$/);
    }
  });

  it("exports no other organization's data: none of Other Inc's or Free Ltd's ids, names, titles, e-mails or texts", async () => {
    const others = (row: { organizationId: string }) => row.organizationId !== demoCoId;
    const demoCoMembers = new Set(ws.memberships.filter((membership) => membership.organizationId === demoCoId).map((membership) => membership.userId));
    const otherFileIds = new Set(ws.files.filter(others).map((file) => file.id));
    const otherTaskIds = new Set(ws.tasks.filter(others).map((task) => task.id));
    const outsiders = ws.users.filter((user) => !demoCoMembers.has(user.id));
    const needles = [
      ...ws.organizations.filter((organization) => organization.id !== demoCoId).flatMap((organization) => [organization.sid, organization.name]),
      ...outsiders.flatMap((user) => [user.uid, user.name, user.email]),
      ...ws.teams.filter(others).map((team) => team.uid),
      ...ws.contacts.filter(others).flatMap((contact) => [contact.uid, contact.name, contact.email]),
      ...ws.folders.filter(others).flatMap((folder) => [folder.uid, folder.title]),
      ...ws.tasks.filter(others).flatMap((task) => [task.uid, task.title]),
      ...ws.files.filter(others).flatMap((file) => [file.uid, file.name]),
      ...ws.fileVersions.filter((version) => otherFileIds.has(version.fileId)).map((version) => version.uid),
      ...ws.recipients.filter((recipient) => otherFileIds.has(recipient.fileId)).map((recipient) => recipient.uid),
      ...ws.timeLogs.filter((log) => otherTaskIds.has(log.taskId)).map((log) => log.uid),
      ...ws.comments.filter(others).flatMap((comment) => [comment.uid, comment.body]),
      // Short words ("Sales") could occur by chance; their rows' uids are checked instead.
    ].filter((needle) => needle.length >= 8);
    expect(outsiders.length).toBeGreaterThan(0);
    for (const archive of [adminFull, ownerFull]) {
      const text = await wholeText(archive);
      expect(needles.filter((needle) => text.includes(needle)), archive.backup.name).toEqual([]);
    }
  });
});

describe("issue 5 §9: the BI export", () => {
  it("bi/tasks.csv: each visible task with its parent, folders, assignees and author by name and the hours logged", async () => {
    expect(ws.organizations.find((organization) => organization.id === demoCoId)!.plan).toBe("enterprise");
    const { rows } = await csvOf(adminFull, "bi/tasks.csv");
    const actual = rows.map((row) => ({
      task: row.task,
      parentTask: row.parentTask,
      folders: listCell(row.folders!, "; "),
      assignees: listCell(row.assignees!, "; "),
      author: row.author,
      hoursLogged: Number(row.hoursLogged),
    }));
    const expected = adminSees.tasks.map((task) => ({
      task: csvCell(task.title),
      parentTask: task.parentTaskId ? csvCell(look.task(task.parentTaskId).title) : "",
      folders: ws.taskFolders
        .filter((link) => link.taskId === task.id && adminSees.folderVisible(link.folderId))
        .map((link) => look.folder(link.folderId).title)
        .sort(),
      assignees: ws.taskAssignees
        .filter((link) => link.taskId === task.id)
        .map((link) => look.userName(link.userId))
        .sort(),
      author: csvCell(look.userName(task.authorId)),
      hoursLogged: ws.timeLogs.filter((log) => log.taskId === task.id).reduce((total, log) => total + Number(log.hours), 0),
    }));
    expect(expected.some((task) => task.assignees.length > 1 && task.folders.length > 1 && task.parentTask === "") && expected.some((task) => task.parentTask !== "")).toBe(true);
    expect(sorted(actual, (task) => task.task!)).toEqual(sorted(expected, (task) => task.task));
  });

  it("bi/time_logs.csv, comments.csv and file_versions.csv: people, tasks, folders and files by name, and no ids anywhere in bi/", async () => {
    const logs = (await csvOf(adminFull, "bi/time_logs.csv")).rows.map((row) => ({ ...row, hours: Number(row.hours), folders: listCell(row.folders!, "; ") }));
    expect(sorted(logs, (log) => JSON.stringify(log))).toEqual(
      sorted(
        adminSees.timeLogs.map((log) => ({
          date: log.loggedOn,
          hours: Number(log.hours),
          person: csvCell(look.userName(log.userId)),
          task: csvCell(look.task(log.taskId).title),
          folders: ws.taskFolders
            .filter((link) => link.taskId === log.taskId && adminSees.folderVisible(link.folderId))
            .map((link) => look.folder(link.folderId).title)
            .sort(),
          comment: csvCell(log.comment),
        })),
        (log) => JSON.stringify(log),
      ),
    );

    const commentRows = (await csvOf(adminFull, "bi/comments.csv")).rows.map((row) => pick(row, ["author", "isReply", "targetType", "target", "body"]));
    expect(sorted(commentRows, (row) => JSON.stringify(row))).toEqual(
      sorted(
        adminSees.comments.map((comment) => {
          const version = comment.fileVersionId ? look.version(comment.fileVersionId) : undefined;
          return {
            author: csvCell(look.userName(comment.authorId)),
            isReply: comment.parentId ? "yes" : "no",
            targetType: comment.folderId ? "folder" : comment.taskId ? "task" : "file_version",
            target: csvCell(
              comment.folderId ? look.folder(comment.folderId).title : comment.taskId ? look.task(comment.taskId).title : `${look.file(version!.fileId).name} v${version!.version}`,
            ),
            body: csvCell(comment.body),
          };
        }),
        (row) => JSON.stringify(row),
      ),
    );

    const versionRows = (await csvOf(adminFull, "bi/file_versions.csv")).rows.map((row) => pick(row, ["file", "version", "contentType", "sizeBytes", "uploadedBy", "location", "sha256"]));
    expect(sorted(versionRows, (row) => String(row.sha256))).toEqual(
      sorted(
        adminSees.versions.map((version) => {
          const file = look.file(version.fileId);
          return {
            file: csvCell(file.name),
            version: String(version.version),
            contentType: file.contentType,
            sizeBytes: String(version.sizeBytes),
            uploadedBy: csvCell(look.userName(version.uploadedBy)),
            location: csvCell(file.folderId ? look.folder(file.folderId).title : look.task(file.taskId!).title),
            sha256: version.sha256,
          };
        }),
        (row) => row.sha256,
      ),
    );

    const ids = [...ws.users, ...ws.folders, ...ws.tasks, ...ws.files, ...ws.fileVersions, ...ws.comments, ...ws.contacts].map((row) => row.uid);
    for (const name of BI_CSVS) {
      const text = decode(await bytesOf(adminFull, `bi/${name}.csv`));
      expect(ids.filter((id) => text.includes(id)), name).toEqual([]);
    }
  });

  it("leaves bi/ out when the BI export is not chosen", async () => {
    expect(ownerFull.backup.options.includeBi).toBe(false);
    for (const archive of [ownerFull, ...Object.values(csvByEncoding)]) {
      expect(archive.names.filter((name) => name.includes("/bi/")), archive.backup.name).toEqual([]);
    }
    expect(adminFull.names.filter((name) => name.startsWith(`${adminFull.sid}/bi/`)).sort()).toEqual(BI_CSVS.map((name) => `${adminFull.sid}/bi/${name}.csv`).sort());
  });

  it("refuses the BI export for a team-plan organization (Other Inc) and starts no backup", async () => {
    const caller = await callerFor("other-admin@demo.test");
    expect(caller.organization.plan).toBe("team");
    const before = await app.db.select().from(backups).where(eq(backups.organizationId, caller.organization.id));
    const error = await app.expectRefused(
      "invalid_input",
      () => app.requestBackup({ caller, input: { ...defaults, name: "BI on a team plan", includeBi: true } }),
      /Enterprise plan/,
    );
    expect(error.field).toBe("includeBi");
    expect(await app.db.select().from(backups).where(eq(backups.organizationId, caller.organization.id))).toEqual(before);
  });
});
