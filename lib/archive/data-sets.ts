import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { copyRows } from "@/db/copy-out";
import {
  COMMENT_FIELD_COUNT,
  exportCommentsQuery,
  exportContactsQuery,
  exportFilesQuery,
  exportFileVersionsQuery,
  exportFoldersQuery,
  exportRecipientsQuery,
  exportTasksQuery,
  exportTeamsQuery,
  exportTimeLogsQuery,
  exportUsersQuery,
  listExportAttachments,
  streamRows,
  type ExportAttachment,
} from "@/db/queries/backup-export";
import type { BackupOptions } from "@/db/schema";
import { commentBiRows, commentCsvReplies, commentCsvRows, commentJsonLines } from "./comment-encoders";
import { EntryBody, type DeflatedContent, type EntrySums } from "./zip";
import { csvHeader, encodeText, neutralizeFormula, quoteField, type Encoding, type PageEncoder } from "./encoding";

/**
 * The data sets of SPEC §4 as a stream of archive entries: Wrike-style JSON (json/), Workfront-style
 * CSV (csv/), the BI export (bi/) and one metadata file per file version (versions/). Each entry's
 * bytes are produced page by page while the archive is written, inside the snapshot transaction, so
 * memory stays flat however many rows there are.
 */

/** A data set's bytes as they are made, or (made ahead of their place in the archive) already deflated. */
type DataSetContent = AsyncIterable<Buffer> | DeflatedContent;
export type DataSetEntry = { path: string; content: () => DataSetContent };
type Row = Record<string, unknown>;

/** PostgreSQL's text for a UTC timestamp, `2024-01-08 22:03:00.5+00`, whose ISO form is a matter of rearranging. */
const UTC_TIMESTAMP_TEXT = /^([1-9]\d{3}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * ISO 8601 UTC with milliseconds, as `Date#toISOString` gives. Read from the database, a timestamp
 * is text; the common UTC form is rearranged without a Date (cheaper for millions of rows), with the
 * fraction cut to milliseconds as Date parsing cuts it. Anything else goes through a Date.
 */
function iso(value: Date | string | null | undefined): string | null {
  if (typeof value === "string") {
    const utc = UTC_TIMESTAMP_TEXT.exec(value);
    if (utc) return `${utc[1]}T${utc[2]}.${`${utc[3] ?? ""}000`.slice(0, 3)}Z`;
  }
  return value ? new Date(value).toISOString() : null;
}

/** Archive path of a file version's content: `files/<version uid>_<sanitized name>` (≤ 200 bytes, no traversal). */
export function fileContentPath(versionUid: string, fileName: string): string {
  const cleaned = fileName
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[/\\]/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.\s]+|\s+$/g, "")
    .trim();
  return `files/${truncateUtf8(`${versionUid}_${cleaned || "file"}`, 200)}`;
}

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value) <= maxBytes) return value;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(value)?.[0] ?? "";
  let stem = Array.from(value.slice(0, value.length - extension.length));
  while (Buffer.byteLength(stem.join("") + extension) > maxBytes) stem = stem.slice(0, -1);
  return stem.join("") + extension;
}

function splitName(name: string) {
  const parts = name.trim().split(/\s+/);
  return { firstName: parts.slice(0, -1).join(" ") || parts[0] || "", lastName: parts.length > 1 ? parts.at(-1)! : "" };
}

/** A CSV field for a text the export wrote (null is empty), neutralized and quoted. */
function csvText(value: string | null | undefined): string {
  return value ? quoteField(neutralizeFormula(value)) : "";
}

/** A CSV field for any cell value: dates in ISO 8601, lists joined with ";". */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return csvText(value.toISOString());
  return csvText(Array.isArray(value) ? value.join(";") : String(value));
}

/** Export columns named `…At` are timestamps, which rows read through a cursor hold as PostgreSQL text. */
const csvRecord = (row: Row, columns: string[]) =>
  `${columns.map((column) => csvValue(column.endsWith("At") ? iso(row[column] as Date | string | null) : row[column])).join(",")}\r\n`;
/** RFC 4180 with a header row and CRLF, in the chosen encoding; a whole CSV held as rows (tests, small sets). */
function encodeCsv(rows: Row[], columns: string[], encoding: Encoding): Buffer {
  return encodeText(csvHeader(columns) + rows.map((row) => csvRecord(row, columns)).join(""), encoding, true);
}

/** A JSON array with one element per line: valid JSON, readable, and cheap to write for millions of rows. */
function jsonLines<T>(lines: (rows: T[]) => Promise<string[]> | string[]): PageEncoder<T[]> {
  let separator = "";
  return {
    start: () => Buffer.from("["),
    page: async (rows) => {
      let text = "";
      for (const line of await lines(rows)) {
        text += `${separator}\n${line}`;
        separator = ",";
      }
      return Buffer.from(text, "utf8");
    },
    end: () => Buffer.from(separator ? "\n]\n" : "]\n"),
  };
}

/** A JSON array of the objects `shape` makes of each page of rows. */
function jsonArray<T>(shape: (rows: T[]) => Promise<Row[]> | Row[]): PageEncoder<T[]> {
  return jsonLines(async (rows) => (await shape(rows)).map((row) => JSON.stringify(row)));
}

/**
 * A folder's or task's JSON line: the members of `before`, then `comments` (JSON text the database
 * wrote, see inlineComments), then the members of `after`.
 */
function withInlineComments(before: Row, comments: string, after: Row): string {
  return `${JSON.stringify(before).slice(0, -1)},"comments":${comments},${JSON.stringify(after).slice(1)}`;
}

/** A CSV with its header row; `record` writes one row's fields, already quoted, with the CRLF. */
function csvTable<T>(columns: string[], encoding: Encoding, record: (row: T) => string): PageEncoder<T[]> {
  return {
    start: () => encodeText(csvHeader(columns), encoding, true),
    page: (rows) => {
      let text = "";
      for (const row of rows) text += record(row);
      return encodeText(text, encoding, false);
    },
    end: () => Buffer.alloc(0),
  };
}

/** A CSV whose cells are the named fields of a row, after `shape` (for tables of a few thousand rows at most). */
function csvColumns<T extends Row>(columns: string[], encoding: Encoding, shape: (row: T) => Row = (row) => row): PageEncoder<T[]> {
  return csvTable(columns, encoding, (row) => csvRecord(shape(row), columns));
}

let spoolCount = 0;
const SPOOL_READ_BYTES = 1024 * 1024;

/** Deflate level of every data-set entry: the fastest, for tens of megabytes of text in one step. */
export const DATA_SET_DEFLATE_LEVEL = 1;

/** A spooled entry's deflated bytes, read back from its file, which is removed once read. */
async function* readSpool(spoolPath: string): AsyncGenerator<Buffer> {
  const file = await fs.promises.open(spoolPath);
  try {
    const { size } = await file.stat();
    // Each chunk is allocated at the size read, so a small entry holds no buffer larger than itself.
    for (let position = 0; position < size; ) {
      const chunk = Buffer.allocUnsafe(Math.min(SPOOL_READ_BYTES, size - position));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw new Error(`${spoolPath} ended before its ${size} bytes.`);
      yield bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
      position += bytesRead;
    }
  } finally {
    await file.close();
    await fs.promises.rm(spoolPath, { force: true });
  }
}

/**
 * Several entries made from one read of the same rows: the entry the archive reaches first streams
 * its bytes as the rows come, and the others' bytes are deflated as they are made, on libuv's
 * threads beside this one's, into files in `spoolDir`, to be copied from there when the archive
 * reaches them (deflating them only then kept one core idle at the end of the read). Each entry's
 * content is opened once.
 */
function sharedRead<Page>({ pages, encoders, spoolDir }: { pages: () => AsyncIterable<Page>; encoders: PageEncoder<Page>[]; spoolDir: string }): (() => DataSetContent)[] {
  const spoolPaths = encoders.map((_, index) => path.join(spoolDir, `spool-${(spoolCount += 1)}-${index}`));
  /** The sums of each spooled entry's bytes, known once all the rows were read. */
  const spooledSums: (EntrySums | undefined)[] = [];
  let read = false;

  async function* live(index: number): AsyncGenerator<Buffer> {
    read = true;
    const spools = await Promise.all(
      encoders.map(async (encoder, other) => {
        if (other === index) return undefined;
        const file = await fs.promises.open(spoolPaths[other]!, "w");
        return { encoder, other, file, body: new EntryBody({ level: DATA_SET_DEFLATE_LEVEL, sink: (chunk) => file.write(chunk) }) };
      }),
    );
    const spool = (bytes: (encoder: PageEncoder<Page>) => Buffer | Promise<Buffer>) =>
      Promise.all(
        spools.map(async (target) => {
          const chunk = target && (await bytes(target.encoder));
          if (chunk && chunk.length > 0) await target.body.write(chunk);
        }),
      );
    const encoder = encoders[index]!;
    try {
      await spool((other) => other.start());
      yield encoder.start();
      for await (const page of pages()) {
        // The other entries' pages are spooled while this one's is compressed.
        const spooled = spool((other) => other.page(page));
        const chunk = await encoder.page(page);
        if (chunk.length > 0) yield chunk;
        await spooled;
      }
      await spool((other) => other.end());
      for (const target of spools) if (target) spooledSums[target.other] = await target.body.end();
      const end = encoder.end();
      if (end.length > 0) yield end;
    } finally {
      await Promise.all(
        spools.map(async (target) => {
          await target?.body.discard();
          await target?.file.close();
        }),
      );
    }
  }

  function spooled(index: number): DeflatedContent {
    const sums = spooledSums[index];
    if (!sums) throw new Error(`${spoolPaths[index]} was opened before the rows it is made from were all read.`);
    return { ...sums, level: DATA_SET_DEFLATE_LEVEL, deflated: readSpool(spoolPaths[index]!) };
  }

  return encoders.map((_, index) => () => (read ? spooled(index) : live(index)));
}

/** Wrike's attachment: `apiId` is the current version's uid, which names its content under files/. */
function attachmentJson(attachment: ExportAttachment, parentId: string | null, includeFiles: boolean) {
  const current = attachment.versions.find((version) => version.version === attachment.currentVersion) ?? attachment.versions.at(-1);
  return {
    id: attachment.uid,
    name: attachment.name,
    contentType: attachment.contentType,
    version: attachment.currentVersion,
    parentId,
    apiId: current?.uid ?? null,
    size: current?.size ?? 0,
    dateUploaded: iso(current?.uploadedAt),
    createdDate: iso(attachment.createdAt),
    versions: attachment.versions.map((version) => ({
      version: version.version,
      apiId: version.uid,
      size: version.size,
      sha256: version.sha256,
      dateUploaded: iso(version.uploadedAt),
      path: includeFiles ? fileContentPath(version.uid, attachment.name) : null,
    })),
  };
}

/** Counts the database rows exported, for the benchmark's rows per second: a table read for several data sets counts once. */
export class RowCounter {
  private readonly perTable = new Map<string, number>();

  record(table: string, rows: number) {
    this.perTable.set(table, Math.max(this.perTable.get(table) ?? 0, rows));
  }

  get rows(): number {
    return [...this.perTable.values()].reduce((total, rows) => total + rows, 0);
  }
}

/** A table's rows, read once for all the entries made from them (see sharedRead). */
type Source<Page> = { pages: () => AsyncIterable<Page>; encoders: PageEncoder<Page>[]; contents?: (() => DataSetContent)[] };

/** Starts making a generator's first item now; reading it later yields that item, then the rest. */
function startNow<T>(source: AsyncGenerator<T>): () => AsyncGenerator<T> {
  const first = source.next();
  // A failure is reported to whoever reads the pages.
  first.catch(() => undefined);
  return async function* () {
    const head = await first;
    if (head.done) return;
    yield head.value;
    yield* source;
  };
}

/**
 * The data-set entries, in archive order, and `close`, to call once the archive is written (or its
 * writing failed): it ends a read that started early and was not read to its end.
 */
export function dataSetEntries({
  executor,
  commentsReader = executor,
  organization,
  options,
  counter,
  spoolDir,
}: {
  executor: Executor;
  /** Where comments are read (see withExportReader): on a connection of its own, the read starts at once. */
  commentsReader?: Executor;
  organization: { id: string; accountNumber: number; sid: string; name: string; plan: string; createdAt: Date };
  options: BackupOptions;
  counter: RowCounter;
  /** A folder, removed by the caller, for entries' bytes made ahead of their place in the archive. */
  spoolDir: string;
}): { entries: DataSetEntry[]; close: () => Promise<void> } {
  const organizationId = organization.id;
  /** Pages of a table's rows, counted under `table` for the rows-per-second figure. */
  function counted<Page>(table: string, pages: () => AsyncIterable<Page>, rowsIn: (page: Page) => number): Source<Page> {
    return {
      pages: async function* () {
        let read = 0;
        for await (const page of pages()) {
          read += rowsIn(page);
          counter.record(table, read);
          yield page;
        }
      },
      encoders: [],
    };
  }
  const source = <Query extends PromiseLike<unknown[]> & SQLWrapper>(table: string, query: () => Query, rowBytes?: (row: Awaited<Query>[number]) => number) =>
    counted(table, () => streamRows<Awaited<Query>[number]>(executor, query(), { rowBytes }), (rows) => rows.length);
  /** Folders and tasks carry their comments as JSON text, which can make one row megabytes long. */
  const inlineCommentsLength = (row: { comments: string }) => row.comments.length;
  const users = source("users", () => exportUsersQuery({ organizationId, executor }));
  const teams = source("teams", () => exportTeamsQuery({ organizationId, executor }));
  const contacts = source("contacts", () => exportContactsQuery({ organizationId, executor }));
  const folders = source("folders", () => exportFoldersQuery({ organizationId, executor }), inlineCommentsLength);
  const tasks = source("tasks", () => exportTasksQuery({ organizationId, executor }), inlineCommentsLength);
  const timeLogs = source("time_logs", () => exportTimeLogsQuery({ executor }));
  const files = source("files", () => exportFilesQuery({ executor }));
  const versions = source("file_versions", () => exportFileVersionsQuery({ executor }));
  const recipients = source("recipients", () => exportRecipientsQuery({ executor }));
  // Comments, by far the most rows, are read through COPY as bytes (see COMMENT_FIELD). On a reader
  // connection of their own, the COPY starts now: the database sorts them while the data sets before
  // them are read. (On the snapshot transaction's connection it must wait its turn: a COPY holds its
  // connection until it is read, and the data sets before it would queue behind it.)
  const commentPages = copyRows(commentsReader, exportCommentsQuery({ organizationId }), COMMENT_FIELD_COUNT);
  const comments = counted("comments", commentsReader === executor ? () => commentPages : startNow(commentPages), (page) => page.count);
  const encoding = options.csvEncoding;
  const entries: DataSetEntry[] = [];
  /** An entry made from a source's rows; the source is read once, when the first of its entries is written. */
  function add<Page>(path: string, from: Source<Page>, encoder: PageEncoder<Page>) {
    const index = from.encoders.push(encoder) - 1;
    entries.push({
      path,
      content: () => {
        from.contents ??= sharedRead({ pages: from.pages, encoders: from.encoders, spoolDir });
        return from.contents[index]!();
      },
    });
  }

  if (options.formats.includes("json")) {
    add("json/users.json", users, jsonArray((rows) => rows.map((user) => ({ uid: user.uid, ...splitName(user.name), name: user.name, email: user.email, userType: user.role, joinedDate: iso(user.joinedAt) }))));
    add("json/teams.json", teams, jsonArray((rows) => rows.map((team) => ({ uid: team.uid, name: team.name, members: team.memberUids, createdDate: iso(team.createdAt) }))));
    add(
      "json/contacts.json",
      contacts,
      jsonArray((rows) => rows.map((contact) => ({ uid: contact.uid, name: contact.name, email: contact.email, company: contact.company, createdDate: iso(contact.createdAt) }))),
    );
    add(
      "json/folders.json",
      folders,
      jsonLines(async (rows) => {
        const attachments = await listExportAttachments({ parent: "folder", parentIds: rows.map((folder) => folder.id), executor });
        return rows.map((folder) => withInlineComments({
          id: folder.uid,
          title: folder.title,
          description: folder.description,
          parentId: folder.parentUid,
          children: folder.childUids,
          author: folder.authorUid,
          visibility: folder.visibility,
          shared: folder.sharedUids,
          project: folder.isProject ? { status: folder.projectStatus, startDate: folder.startDate, endDate: folder.endDate } : null,
          dateCreated: iso(folder.createdAt),
          updatedDate: iso(folder.updatedAt),
        }, folder.comments, { attachments: (attachments.get(folder.id) ?? []).map((attachment) => attachmentJson(attachment, folder.uid, options.includeFiles)) }));
      }),
    );
    add(
      "json/tasks.json",
      tasks,
      jsonLines(async (rows) => {
        const attachments = await listExportAttachments({ parent: "task", parentIds: rows.map((task) => task.id), executor });
        return rows.map((task) => withInlineComments({
          id: task.uid,
          title: task.title,
          description: task.descriptionHtml,
          status: task.status,
          importance: task.importance,
          parentId: task.parentUid,
          folderIds: task.folderUids,
          assignees: task.assigneeUids,
          author: task.authorUid,
          shared: task.sharedUids,
          dateCreated: iso(task.createdAt),
          updatedDate: iso(task.updatedAt),
          timeLogs: task.timeLogs.map((log) => ({ id: log.uid, userId: log.userUid, date: log.date, hours: Number(log.hours), comment: log.comment })),
        }, task.comments, { attachments: (attachments.get(task.id) ?? []).map((attachment) => attachmentJson(attachment, task.uid, options.includeFiles)) }));
      }),
    );
    add(
      "json/files.json",
      files,
      jsonArray((rows) =>
        rows.map((file) => ({
          ...attachmentJson(file, file.folderUid ?? file.taskUid, options.includeFiles),
          folderId: file.folderUid,
          taskId: file.taskUid,
          createdBy: file.creatorUid,
          recipients: file.recipients.map((recipient) => ({
            id: recipient.uid,
            type: recipient.userUid ? "user" : "contact",
            personId: recipient.userUid ?? recipient.contactUid,
            role: recipient.role,
            decision: recipient.decision,
            decidedDate: iso(recipient.decidedAt),
          })),
        })),
      ),
    );
    add("json/comments.json", comments, commentJsonLines());
  }

  if (options.formats.includes("csv")) {
    entries.push({
      path: "csv/organisation.csv",
      content: async function* () {
        yield encodeCsv([organization], ["accountNumber", "sid", "name", "plan", "createdAt"], encoding);
      },
    });
    add("csv/users.csv", users, csvColumns(["uid", "firstName", "lastName", "email", "role", "joinedAt"], encoding, (user) => ({ ...user, ...splitName(user.name) })));
    add("csv/contacts.csv", contacts, csvColumns(["uid", "name", "email", "company", "createdAt"], encoding));
    add(
      "csv/files.csv",
      files,
      csvColumns(
        ["uid", "name", "contentType", "currentVersion", "versionCount", "currentSizeBytes", "currentSha256", "locationType", "location", "creatorName", "createdAt"],
        encoding,
        (file) => {
          const current = file.versions.find((version) => version.version === file.currentVersion);
          return { ...file, versionCount: file.versions.length, currentSizeBytes: current?.size, currentSha256: current?.sha256, locationType: file.folderUid ? "folder" : "task", location: file.folderTitle ?? file.taskTitle };
        },
      ),
    );
    add(
      "csv/recipients.csv",
      recipients,
      csvColumns(
        ["uid", "fileUid", "fileName", "recipientType", "recipientUid", "recipientName", "recipientEmail", "role", "decision", "decidedAt", "createdAt"],
        encoding,
        (recipient) => ({
          ...recipient,
          recipientType: recipient.userUid ? "user" : "contact",
          recipientUid: recipient.userUid ?? recipient.contactUid,
          recipientName: recipient.userName ?? recipient.contactName,
          recipientEmail: recipient.userEmail ?? recipient.contactEmail,
        }),
      ),
    );
    add("csv/comments.csv", comments, commentCsvRows(encoding));
    add("csv/comment_replies.csv", comments, commentCsvReplies(encoding));
    add(
      "csv/folders.csv",
      folders,
      csvColumns(
        ["uid", "parentUid", "title", "description", "visibility", "isProject", "projectStatus", "startDate", "endDate", "authorUid", "shared", "createdAt", "updatedAt"],
        encoding,
        (folder) => ({ ...folder, shared: folder.sharedUids }),
      ),
    );
    add(
      "csv/tasks.csv",
      tasks,
      csvColumns(
        ["uid", "parentUid", "title", "status", "importance", "folders", "assignees", "authorUid", "descriptionHtml", "createdAt", "updatedAt"],
        encoding,
        (task) => ({ ...task, folders: task.folderUids, assignees: task.assigneeUids }),
      ),
    );
    add("csv/time_logs.csv", timeLogs, csvColumns(["uid", "taskUid", "taskTitle", "userUid", "userName", "loggedOn", "hours", "comment", "createdAt"], encoding));
  }

  if (options.includeBi) {
    // One flat row per fact with every id resolved to a name, for BI tools that cannot join.
    add(
      "bi/tasks.csv",
      tasks,
      csvColumns(["task", "parentTask", "folders", "status", "importance", "assignees", "author", "hoursLogged", "createdAt", "updatedAt"], encoding, (task) => ({
        ...task,
        task: task.title,
        parentTask: task.parentTitle ?? "",
        folders: task.folderTitles.join("; "),
        assignees: task.assigneeNames.join("; "),
        author: task.authorName ?? "",
        hoursLogged: task.timeLogs.reduce((total, log) => total + Number(log.hours), 0),
      })),
    );
    add(
      "bi/time_logs.csv",
      timeLogs,
      csvColumns(["date", "hours", "person", "task", "folders", "comment"], encoding, (log) => ({
        date: log.loggedOn,
        hours: log.hours,
        person: log.userName ?? "",
        task: log.taskTitle,
        folders: log.folderTitles.join("; "),
        comment: log.comment,
      })),
    );
    add("bi/comments.csv", comments, commentBiRows(encoding));
    add(
      "bi/file_versions.csv",
      versions,
      csvColumns(["file", "version", "contentType", "sizeBytes", "uploadedBy", "uploadedAt", "location", "sha256"], encoding, (version) => ({
        ...version,
        file: version.fileName,
        uploadedBy: version.uploaderName ?? "",
        location: version.location ?? "",
      })),
    );
  }
  return {
    entries,
    close: async () => {
      await commentPages.return(undefined);
    },
  };
}

/** One `versions/<file uid>_<version>.json` entry per visible file version, streamed page by page. */
export async function* versionMetadataEntries({ executor, includeFiles }: { executor: Executor; includeFiles: boolean }): AsyncGenerator<{ path: string; content: Buffer }> {
  for await (const rows of streamRows<Awaited<ReturnType<typeof exportFileVersionsQuery>>[number]>(executor, exportFileVersionsQuery({ executor }))) {
    for (const version of rows) {
      yield {
        path: `versions/${version.fileUid}_${version.version}.json`,
        content: Buffer.from(
          `${JSON.stringify(
            {
              fileId: version.fileUid,
              fileName: version.fileName,
              contentType: version.contentType,
              version: version.version,
              apiId: version.uid,
              size: version.sizeBytes,
              sha256: version.sha256,
              uploadedBy: version.uploaderUid,
              uploadedDate: iso(version.uploadedAt),
              path: includeFiles ? fileContentPath(version.uid, version.fileName) : null,
            },
            null,
            2,
          )}\n`,
          "utf8",
        ),
      };
    }
  }
}
